"""Data in: rosters and visit lists from Excel/CSV, and a work plan's month schedule.

Pure Python (no Textual): the command line (``tui/cli/importing.py``) and the
full-screen import screen both call ``plan_import`` then ``commit_import``.
"""

from domain.importing.commit import commit_import, write_errors
from domain.importing.engine import plan_import
from domain.importing.roster import ImportOptions, ImportPlan, RowResult

__all__ = ["ImportOptions", "ImportPlan", "RowResult", "commit_import", "plan_import", "write_errors"]
