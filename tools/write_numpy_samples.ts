// Writes, with typetorch, every array of test/golden/numpy.json as .npy files (in the order
// numpy used, C or Fortran) and the two .npz files, into the directory given, for
// `tools/gen_golden_numpy.py --check DIR` to read with numpy:
//
//   node --conditions=source --import tsx tools/write_numpy_samples.ts /tmp/ours
//   /work/.venv-torch/bin/python tools/gen_golden_numpy.py --check /tmp/ours
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import torch from "typetorch";
import { goldenNumpyTensor, readGolden, type NumpyGolden } from "../test/helpers.js";

const dir = process.argv[2];
if (!dir) throw new Error("usage: write_numpy_samples.ts DIR");
mkdirSync(dir, { recursive: true });
const G = readGolden<NumpyGolden>("numpy.json");
for (const [name, g] of Object.entries(G.npy)) torch.numpy.save(join(dir, `${name}.npy`), goldenNumpyTensor(g));
const members = Object.fromEntries(Object.entries(G.npz).map(([k, g]) => [k, goldenNumpyTensor(g)]));
torch.numpy.savez(join(dir, "ours_stored.npz"), members);
torch.numpy.savez_compressed(join(dir, "ours_compressed.npz"), members);
console.log(`wrote ${Object.keys(G.npy).length} .npy and 2 .npz files in ${dir}`);
