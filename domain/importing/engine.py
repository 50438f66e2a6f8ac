"""The dry run of an import: read the file, find the header, map the columns, judge every row.

Nothing is written; ``domain.importing.commit.commit_import`` applies the plan.
"""

from __future__ import annotations

from pathlib import Path

from domain.errors import UserError
from domain.i18n import tr
from domain.importing.headers import map_columns, normalise_label
from domain.importing.members import judge_members
from domain.importing.readers import read_table
from domain.importing.roster import (
    DUPLICATE_MODES,
    ImportOptions,
    ImportPlan,
    RowResult,
    filled,
    find_header,
    parse_maps,
    remembered_mappings,
)
from domain.importing.visits import judge_visits


def plan_import(kind: str, ledger, path: Path | str, options: ImportOptions | None = None) -> ImportPlan:
    options = options or ImportOptions()
    if options.on_duplicate not in DUPLICATE_MODES:
        raise UserError(tr("imp.bad_duplicate_mode"))
    overrides = parse_maps(kind, options.maps)
    table = read_table(path, options.sheet, options.encoding)
    index = find_header(kind, table, options.header_row)
    columns = map_columns(kind, table.rows[index], overrides, remembered_mappings(ledger, kind))
    remember = {normalise_label(c.header): c.field for c in columns
                if c.how in ("--map", "ignored") and c.header}
    mapped = [c.index for c in columns if c.field]
    # A row with nothing in a mapped column (a template's pre-numbered blank rows) is not a row.
    rows = [RowResult(i + 1, cells) for i, cells in enumerate(table.rows[index + 1:], start=index + 1)
            if any(filled(cells, j) for j in mapped)]
    plan = ImportPlan(kind, table, index + 1, columns, rows, options.on_duplicate, remember)
    (judge_members if kind == "member" else judge_visits)(plan, ledger)
    return plan


