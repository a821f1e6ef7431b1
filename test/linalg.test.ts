// torch.linalg decompositions and their torch.* forms: the op database of test/golden/linalg.json
// (tools/gen_golden_linalg.py), plus focused checks the op database cannot express.

import { runOpDb } from "./opdb_runner.js";
import { OPS_LINALG } from "./opdb_linalg.js";

runOpDb("linalg.json", OPS_LINALG);
