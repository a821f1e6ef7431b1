// The op-database runner: a node:test test for each case of a golden file (the cases themselves
// in ./opdb_cases.ts, which a browser page runs too).

import { test } from "node:test";
import type { OpFn } from "./opdb.js";
import { type OpCase, type DeviceRun, runCase, runsOnDevice } from "./opdb_cases.js";
import { readGolden } from "./helpers.js";

export { type DeviceRun, WEBGPU } from "./opdb_cases.js";

/** One test per case of test/golden/<file> (written by a generator built on tools/gen_golden.py's
 *  case machinery), each op called through `ops`; with `dev`, the cases that run on that device,
 *  their inputs moved there. */
export function runOpDb(file: string, ops: Record<string, OpFn>, dev?: DeviceRun): void {
  const golden = readGolden<{ torch_version: string; cases: OpCase[] }>(file);
  for (const c of golden.cases) if (dev === undefined || runsOnDevice(c)) test(c.name, () => runCase(c, ops, dev));
}
