"""What an import of a roster or a visit list is made of: options, row outcomes, the plan.

``domain.importing.engine.plan_import`` builds an ``ImportPlan`` (the mapping
and each row's outcome: new, update, duplicate, skip, error);
``domain.importing.commit`` applies one.  Row numbers are the spreadsheet's own.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from domain.errors import UserError
from domain.fields import FIELDS
from domain.fields import field as field_spec
from domain.i18n import register, tr
from domain.importing.cells import CellError, cell_text, shown
from domain.importing.headers import LOOKUP_FIELDS, Column, detect_header_row
from domain.importing.readers import Table
from domain.validation import ValidationError, parse_value, validate_record

register({
    "imp.no_header": ("在前 10 行中找不到表头（应含 姓名、手机、身份证号 等列名）；请用 --header-row 指定表头所在行",
                      "No header among the first 10 rows (columns such as 姓名, 手机, 身份证号); give --header-row"),
    "imp.bad_header_row": ("--header-row {n} 超出文件范围（共 {rows} 行）",
                           "--header-row {n} is outside the file ({rows} rows)"),
    "imp.bad_map": ("--map {arg} 应写成 列名=字段名（如 联系方式=phone，字段名留空表示忽略该列）；可用字段：{names}",
                    "--map {arg} must be COLUMN=FIELD (e.g. 联系方式=phone; an empty FIELD ignores the column); fields: {names}"),
    "imp.status.new": ("新增", "new"),
    "imp.status.update": ("更新", "update"),
    "imp.status.duplicate": ("可能重复", "duplicate"),
    "imp.status.skip": ("跳过", "skip"),
    "imp.status.error": ("错误", "error"),
    "imp.bad_duplicate_mode": ("--on-duplicate 应为 skip、fill 或 update", "--on-duplicate must be skip, fill or update"),
})

STATUSES = ("new", "update", "duplicate", "skip", "error")
DUPLICATE_MODES = ("skip", "fill", "update")
MAPPINGS_TABLE = "_import_mappings"
_OWN_FIELDS = {kind: frozenset(f.name for f in fields) for kind, fields in FIELDS.items()}


@dataclass
class ImportOptions:
    sheet: str | None = None
    header_row: int | None = None  # the spreadsheet's row number
    maps: list[str] = field(default_factory=list)  # "列名=field"
    encoding: str | None = None
    on_duplicate: str = "skip"


@dataclass
class RowResult:
    row: int
    cells: list
    status: str = "new"
    member_id: str | None = None
    fields: list[str] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    record: dict | None = None  # stored values: the whole record (new) or the changes (update)

    def fail(self, name: str, value, why: str) -> None:
        self.status = "error"
        self.errors.append({"field": name, "value": shown(value), "why": why})

    def as_json(self) -> dict:
        return {"row": self.row, "status": self.status, "member_id": self.member_id,
                "fields": list(self.fields), "errors": list(self.errors), "warnings": list(self.warnings)}


@dataclass
class ImportPlan:
    kind: str
    table: Table
    header_row: int
    columns: list[Column]
    rows: list[RowResult]
    on_duplicate: str
    remember: dict[str, str | None] = field(default_factory=dict)  # header -> field, from --map

    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(("new", "update", "duplicate", "skip", "error"), 0)
        for r in self.rows:
            out[r.status] += 1
        return out

    def as_json(self) -> dict:
        return {
            "file": self.table.file, "sheet": self.table.sheet, "header_row": self.header_row,
            "encoding": self.table.encoding,
            "mapping": [{"column": c.letter, "header": c.header, "field": c.field} for c in self.columns],
            "rows": [r.as_json() for r in self.rows],
            "counts": self.counts(),
        }


def field_names_for(kind: str) -> list[str]:
    names = [f.name for f in FIELDS[kind]]
    return names + [n for n in LOOKUP_FIELDS if kind == "visit" and n not in names]


def parse_maps(kind: str, items: list[str]) -> dict[str, str | None]:
    """``--map 列名=field`` pairs; an empty field means: ignore this column."""
    names = field_names_for(kind)
    out: dict[str, str | None] = {}
    for item in items:
        header, sep, name = item.partition("=")
        header, name = header.strip(), name.strip()
        if not sep or not header or (name and name not in names):
            raise UserError(tr("imp.bad_map", arg=item, names=", ".join(names)))
        out[header] = name or None
    return out


def remembered_mappings(ledger, kind: str) -> dict[str, str | None]:
    prefix = kind + ":"
    return {key[len(prefix):]: value.get("field") for key, value in ledger.kv_all(MAPPINGS_TABLE).items()
            if key.startswith(prefix)}


def find_header(kind: str, table: Table, header_row: int | None) -> int:
    if header_row is not None:
        if not 1 <= header_row <= len(table.rows):
            raise UserError(tr("imp.bad_header_row", n=header_row, rows=len(table.rows)))
        return header_row - 1
    index = detect_header_row(kind, table.rows)
    if index is None:
        raise UserError(tr("imp.no_header"))
    return index


def filled(cells: list, index: int) -> bool:
    return index < len(cells) and cells[index] is not None and str(cells[index]).strip() != ""


def row_texts(plan: ImportPlan, result: RowResult, kind_fields: dict) -> dict[str, str]:
    """The row's non-empty cells as text by field; cells refused outright become errors."""
    given: dict[str, str] = {}
    for column in plan.columns:
        if column.field is None or column.index >= len(result.cells):
            continue
        raw = result.cells[column.index]
        f = kind_fields[column.field]
        try:
            text = cell_text(f, raw)
        except CellError as exc:
            result.fail(column.field, raw, str(exc))
            continue
        if text:
            given[column.field] = text
    return given


# Checked across fields by validate_record (身份证号 vs 出生日期 and 性别); the rest is parsed alone.
CROSS_FIELDS = {"member": ("id_number", "birth_date", "gender"), "visit": ()}


class RowValidator:
    """Rows to stored records through ``domain.validation``, fast for 10,000 rows.

    Each cell is parsed with ``parse_value``, remembered by (field, text): a
    roster repeats its groups, titles and dates thousands of times.  Then
    ``validate_record`` runs over those values with the fields it checks
    against each other: the same result as validating the row at once."""

    def __init__(self, kind: str, config):
        self.kind, self.config = kind, config
        self.memo: dict[tuple[str, str], object] = {}
        self.defaults = {}
        for f in FIELDS[kind]:
            try:
                self.defaults[f.name] = parse_value(kind, f, f.default, config)
            except ValidationError:  # a required field: the row must give it
                continue

    def parse(self, name: str, text: str):
        key = (name, text)
        if key not in self.memo:
            try:
                self.memo[key] = parse_value(self.kind, field_spec(self.kind, name), text, self.config)
            except ValidationError as exc:
                self.memo[key] = exc
        value = self.memo[key]
        if isinstance(value, ValidationError):  # a fresh one: a re-raised exception keeps growing its traceback
            raise ValidationError(value.kind, value.field, value.reason)
        return value

    def record(self, result: RowResult, values: dict[str, str]) -> dict | None:
        """The row's stored record, or None with every bad cell reported on ``result``."""
        cross = {k: values[k] for k in CROSS_FIELDS[self.kind] if k in values}
        parsed = self._parse_all(result, values, skip=cross)
        try:
            if result.status == "error":
                self._parse_all(result, cross)  # report these too
                return None
            return validate_record(self.kind, cross, self.config, base={**self.defaults, **parsed})
        except ValidationError as exc:
            before = len(result.errors)
            self._parse_all(result, cross)
            if len(result.errors) == before:  # a check across fields, or a required field left out
                result.fail(exc.field, values.get(exc.field, ""), exc.reason)
            return None
        finally:  # in the order of the columns
            order = {name: i for i, name in enumerate(values)}
            result.errors.sort(key=lambda e: order.get(e["field"], -1))

    def _parse_all(self, result: RowResult, values: dict[str, str], skip=()) -> dict:
        """The fields parsed one by one; a bad one is reported on ``result`` and left out."""
        own, parsed = _OWN_FIELDS[self.kind], {}
        for name, text in values.items():
            if name in skip or name not in own or any(e["field"] == name for e in result.errors):
                continue
            try:
                parsed[name] = self.parse(name, text)
            except ValidationError as exc:
                result.fail(name, text, exc.reason)
        return parsed
