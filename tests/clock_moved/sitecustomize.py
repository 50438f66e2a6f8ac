# Moves this Python's clock TIMESHIFT_DAYS days on (a hand-run audit for tests that depend on the day)
import os

_days = os.environ.get("TIMESHIFT_DAYS")
if _days:
    try:
        import datetime as _dt

        import time_machine

        time_machine.travel(_dt.datetime.now(_dt.timezone.utc) + _dt.timedelta(days=int(_days)), tick=True).start()
    except ImportError:
        pass
