#!/usr/bin/env bash
# Regenerates every golden file under test/golden/ with real PyTorch (Debian's python3-torch):
# each tools/gen*.py script writes its own JSON (see the docstring at the top of each).
set -euo pipefail
cd "$(dirname "$0")/.."
for script in tools/gen*.py; do
  echo "== $script"
  /usr/bin/python3 "$script"
done
