"""Open the ledger a run's settings name (the demo ledger is made on first use)."""

from __future__ import annotations

from domain.settings import Settings
from domain.store import Ledger


def open_ledger(settings: Settings, **options) -> Ledger:
    if settings.demo and not settings.db.exists():
        from domain.demo import make_demo_ledger

        make_demo_ledger(settings.db, config=settings.config)
    return Ledger.open(settings.db, config=settings.config, school=settings.school, **options)
