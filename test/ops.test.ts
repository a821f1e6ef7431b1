// Every op against PyTorch: one test per case of test/golden/ops.json (tools/gen_golden.py), run
// by test/opdb_runner.ts through the op table of test/opdb.ts.

import { OPS } from "./opdb.js";
import { runOpDb } from "./opdb_runner.js";

runOpDb("ops.json", OPS);
