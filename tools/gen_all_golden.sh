#!/usr/bin/env bash
# Regenerates every golden file under test/golden/ with real PyTorch 2.x: each tools/gen*.py script
# writes its own JSON (see the docstring at the top of each). PYTHON names an interpreter with
# PyTorch 2.x installed (default: the project machines' /work/.venv-torch/bin/python).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-/work/.venv-torch/bin/python}
for script in tools/gen*.py; do
  echo "== $script"
  "$PYTHON" "$script"
done
