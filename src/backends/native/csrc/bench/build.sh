#!/bin/sh
# Builds the standalone GEMM/conv harness: bench/build.sh [extra compiler flags]
set -e
here=$(dirname "$0")
${CC:-gcc} -O2 -Wall -Wextra "$@" -o "$here/gemm_bench" "$here/gemm_bench.c" \
    "$here/parallel_test.c" "$here/../gemm.c" "$here/../conv.c" -lpthread -lm
