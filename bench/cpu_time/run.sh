#!/bin/sh
# B5-B8 on one thread each, typetorch and PyTorch one after the other, reported as process CPU
# time per step as well as wall time: on a shared machine CPU time is what stays comparable
# (a multi-threaded PyTorch waiting for a descheduled OpenMP thread spins, and its wall time
# collapses; see the README's Speed section). Usage: bench/cpu_time/run.sh [python]
cd "$(dirname "$0")/../.."
PY=${1:-${TYPETORCH_BENCH_PYTHON:-.venv-torch/bin/python}}
for b in b5 b6 b7 b8; do
  node --conditions=source --import tsx "bench/cpu_time/$b.ts"
  "$PY" "bench/cpu_time/$b.py"
done
