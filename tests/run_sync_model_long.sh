#!/bin/sh
# The sync model test with a large budget (hundreds of examples).
#   tests/run_sync_model_long.sh [EXAMPLES] [STEPS]
cd "$(dirname "$0")/.." || exit 1
SYNC_MODEL_EXAMPLES="${1:-400}" SYNC_MODEL_STEPS="${2:-50}" \
  exec uv run pytest tests/test_sync_model.py -q -p no:randomly -o addopts="" --timeout=0
