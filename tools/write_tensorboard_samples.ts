// Writes, with typetorch's SummaryWriter, the event files of the calls in
// tools/gen_golden_tensorboard.py (test/helpers.ts writeTensorboardSample) into the directory
// given, for TensorBoard's own reader to check:
//
//   node --conditions=source --import tsx tools/write_tensorboard_samples.ts /tmp/tb
//   /work/.venv-torch/bin/python tools/gen_golden_tensorboard.py --check /tmp/tb
import { writeTensorboardSample } from "../test/helpers.js";

const dir = process.argv[2];
if (!dir) throw new Error("usage: write_tensorboard_samples.ts DIR");
writeTensorboardSample(dir);
console.log(`wrote event files under ${dir}`);
