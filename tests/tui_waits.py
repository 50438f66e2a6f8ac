"""Waiting for the full-screen program in pilot tests.

The ledger is read in a worker that starts only after the first frame, so
``app.workers.wait_for_complete()`` right after ``run_test`` can return
before that worker exists; ``loaded`` waits for the ledger itself.
"""

from __future__ import annotations


async def settle(app, pilot) -> None:
    """Until the app's current workers are done and the screen is drawn."""
    await app.workers.wait_for_complete()
    await pilot.pause()


async def loaded(app, pilot, tries: int = 200) -> None:
    """Until the ledger is read and shown (a busy machine takes longer), then settled."""
    for _ in range(tries):
        await settle(app, pilot)
        if app.is_loaded:
            await settle(app, pilot)
            return
        await pilot.pause(0.05)
    raise AssertionError("the ledger was not loaded")
