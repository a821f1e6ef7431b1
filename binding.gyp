{
  "targets": [{
    "target_name": "typetorch_native",
    "sources": [
      "src/backends/native/csrc/addon.c",
      "src/backends/native/csrc/alloc.c",
      "src/backends/native/csrc/parallel.c",
      "src/backends/native/csrc/elementwise.c",
      "src/backends/native/csrc/reduce.c",
      "src/backends/native/csrc/optim.c",
      "src/backends/native/csrc/gemm.c",
      "src/backends/native/csrc/conv.c",
      "src/backends/native/csrc/pool.c",
      "src/backends/native/csrc/rnn.c"
    ],
    "cflags_c": ["-std=gnu11", "-O3", "-ffp-contract=off", "-fno-math-errno", "-fopenmp-simd", "-Wall", "-Wextra"],
    "xcode_settings": { "OTHER_CFLAGS": ["-std=gnu11", "-O3", "-ffp-contract=off", "-fno-math-errno", "-fopenmp-simd"] },
    "libraries": ["-lpthread"]
  }]
}
