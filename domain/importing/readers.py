"""Reading a roster file into rows of cells, numbered as the spreadsheet numbers them.

Spreadsheets (.xlsx .xlsm .xls .ods) go through python-calamine, which hands
numbers back as floats and date cells as ``datetime.date``.  Text files
(.csv .txt) are decoded strictly: UTF-8 (with or without BOM) first, then
GB18030 (a superset of GBK): GB18030 "decodes" almost any bytes, so it is
never tried first.  A UTF-16 BOM (Excel's "Unicode 文本" export) is taken
at its word.  ``rows[i]`` is the spreadsheet's row ``i + 1``.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from domain.errors import UserError
from domain.i18n import register, tr

register({
    "imp.file_type": ("无法导入 {path}：只支持 .xlsx、.xlsm、.xls、.ods、.csv、.txt 文件",
                      "Cannot import {path}: only .xlsx, .xlsm, .xls, .ods, .csv and .txt files are read"),
    "imp.no_sheet": ("文件 {path} 中没有工作表“{sheet}”；有：{sheets}",
                     "{path} has no sheet “{sheet}”; it has: {sheets}"),
    "imp.bad_book": ("无法读取表格文件 {path}：文件已损坏，或不是扩展名所示的格式；请用 Excel 或 WPS 打开后另存为 .xlsx 再导入",
                     ("Cannot read the spreadsheet {path}: it is damaged or not the format its extension says; "
                      "open it in Excel or WPS, save it as .xlsx and import that")),
    "imp.bad_encoding": ("文件 {path} 既不是 UTF-8 也不是 GB18030/GBK 编码；请另存为 UTF-8 CSV，或用 --encoding 指定",
                         "{path} is neither UTF-8 nor GB18030/GBK; save it as UTF-8 CSV or give --encoding"),
    "imp.wrong_encoding": ("文件 {path} 不能按 {encoding} 解码（第 {offset} 个字节）",
                           "{path} cannot be decoded as {encoding} (at byte {offset})"),
    "imp.unknown_encoding": ("不认识的编码 {encoding}；可用如 utf-8、gb18030、gbk",
                             "unknown encoding {encoding}; use e.g. utf-8, gb18030, gbk"),
    "imp.not_found": ("找不到文件 {path}", "No such file: {path}"),
})

SPREADSHEETS = (".xlsx", ".xlsm", ".xls", ".ods", ".xlsb")
TEXTS = (".csv", ".txt", ".tsv")
STRICT_ORDER = ("utf-8-sig", "gb18030")


class ImportFileError(UserError):
    """The file cannot be read as a roster: the message says why."""


@dataclass
class Table:
    file: str
    sheet: str | None
    encoding: str | None
    rows: list[list]


def read_table(path: Path | str, sheet: str | None = None, encoding: str | None = None) -> Table:
    path = Path(path)
    if not path.is_file():
        raise ImportFileError(tr("imp.not_found", path=path))
    suffix = path.suffix.lower()
    if suffix in SPREADSHEETS:
        name, rows = _read_book(path, sheet)
        return Table(str(path), name, None, rows)
    if suffix in TEXTS:
        text, used = decode_text(path.read_bytes(), path, encoding)
        return Table(str(path), None, used, split_delimited(text))
    raise ImportFileError(tr("imp.file_type", path=path))


def _read_book(path: Path, sheet: str | None) -> tuple[str, list[list]]:
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
        names = book.sheet_names
        if sheet is not None and sheet not in names:
            raise ImportFileError(tr("imp.no_sheet", path=path, sheet=sheet, sheets="、".join(names)))
        name = sheet if sheet is not None else names[0]
        rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
    except (CalamineError, ValueError) as exc:  # calamine raises its own errors and ValueError
        if isinstance(exc, ImportFileError):
            raise
        raise ImportFileError(tr("imp.bad_book", path=path)) from None  # the library's English text helps no officer
    return name, [list(r) for r in rows]


def decode_text(data: bytes, path: Path | str = "-", encoding: str | None = None) -> tuple[str, str]:
    """The text and the encoding used (``utf-8-sig`` reported as ``utf-8``)."""
    if encoding:
        return _decode_as(data, path, encoding), encoding
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode 文本": UTF-16 with its BOM
        return _decode_as(data, path, "utf-16"), "utf-16"
    for name in STRICT_ORDER:
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:  # UTF-16 without a BOM "decodes" as anything: it is no roster text
            break
        if name == "utf-8-sig":
            return text, "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
        return text, name
    raise ImportFileError(tr("imp.bad_encoding", path=path))


def _decode_as(data: bytes, path, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except LookupError:
        raise ImportFileError(tr("imp.unknown_encoding", encoding=encoding)) from None
    except UnicodeDecodeError as exc:
        raise ImportFileError(tr("imp.wrong_encoding", path=path, encoding=encoding, offset=exc.start)) from None


def split_delimited(text: str) -> list[list]:
    """Rows of a comma- or tab-separated text (the one its first lines use more)."""
    head = text[:4096]
    delimiter = "\t" if head.count("\t") > head.count(",") else ","
    return [list(row) for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
