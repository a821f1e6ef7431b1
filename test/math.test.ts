// The remaining pointwise math and torch.special against PyTorch: one test per case of
// test/golden/math.json (tools/gen_golden_math.py) through test/opdb_math.ts, plus what the op
// db cannot express.

import assert from "node:assert/strict";
import { test } from "node:test";
import torch from "typetorch";
import { OPS_MATH } from "./opdb_math.js";
import { runOpDb } from "./opdb_runner.js";

runOpDb("math.json", OPS_MATH);

const dbl = { dtype: torch.float64 };
