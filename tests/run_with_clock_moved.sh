#!/bin/bash
# By hand, not in CI: the whole suite with this machine's clock moved DAYS on
# (default 31: into the next month and often the next year), to find tests that
# pass only on the day they were written.  CI runs the code days after a commit.
#
#   tests/run_with_clock_moved.sh [DAYS] [pytest args...]
#
# time-machine moves the clock of every Python started with this environment
# (tests/clock_moved/sitecustomize.py), the test processes and the programs they
# start alike; file times are not moved, so a test comparing a file's mtime with
# the clock (backup thinning's "left over an hour ago") fails here and only here.
set -euo pipefail
cd "$(dirname "$0")/.."
days="${1:-31}"; shift || true
export TIMESHIFT_DAYS="$days" PYTHONPATH="$PWD/tests/clock_moved${PYTHONPATH:+:$PYTHONPATH}"
exec uv run --with time-machine pytest -q -p no:cacheprovider "$@"
