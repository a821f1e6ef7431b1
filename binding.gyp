{
  "variables": { "with_gloo%": 0 },
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
      "src/backends/native/csrc/rnn.c",
      "src/backends/native/csrc/norm.c",
      "src/backends/native/csrc/bnorm.c",
      "src/backends/native/csrc/gru.c",
      "src/backends/native/csrc/index.c",
      "src/backends/native/csrc/avgpool.c",
      "src/backends/native/csrc/rng.c"
    ],
    "cflags_c": ["-std=gnu11", "-O3", "-ffp-contract=off", "-fno-math-errno", "-fopenmp-simd", "-Wall", "-Wextra"],
    "xcode_settings": { "OTHER_CFLAGS": ["-std=gnu11", "-O3", "-ffp-contract=off", "-fno-math-errno", "-fopenmp-simd"] },
    "libraries": ["-lpthread"]
  }],
  "conditions": [
    # torch.distributed's Gloo bindings, a separate addon so that a machine without Gloo still gets
    # the engine above: tools/build_native.mjs sets with_gloo=1 when Gloo's headers are there
    ["with_gloo==1", { "targets": [{
      "target_name": "typetorch_gloo",
      "sources": [
        "src/distributed/csrc/addon.cc",
        "src/distributed/csrc/group.cc",
        "src/distributed/csrc/store.cc"
      ],
      "cflags_cc": ["-std=c++17", "-O2", "-fexceptions", "-Wall", "-Wextra"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti", "-std=gnu++17"],
      "libraries": ["-lgloo", "-lpthread"]
    }] }]
  ]
}
