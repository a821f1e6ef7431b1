#!/bin/sh
# Builds the standalone GEMM/conv harness with the addon's own thread pool and compiler flags
# (binding.gyp): bench/build.sh [extra compiler flags]
set -e
here=$(dirname "$0")
${CC:-gcc} -std=gnu11 -O3 -ffp-contract=off -fno-math-errno -Wall -Wextra "$@" \
    -o "$here/gemm_bench" "$here/gemm_bench.c" "$here/../parallel.c" "$here/../gemm.c" \
    "$here/../conv.c" -lpthread -lm
