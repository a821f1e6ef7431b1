#!/usr/bin/env node
// typetorch-run: torchrun for typetorch. Starts --nproc-per-node processes of a script on this
// node with torchrun's environment (RANK, LOCAL_RANK, WORLD_SIZE, MASTER_ADDR, MASTER_PORT, ...),
// so that torch.distributed.init_process_group() (env://) joins them into one group; forwards
// SIGINT/SIGTERM/SIGHUP to them, and when one fails, stops the others and exits with its code.
//
//   npx typetorch-run --nproc-per-node 2 train.ts --epochs 3
//   npx typetorch-run --nnodes 2 --node-rank 0 --nproc-per-node 4 --master-addr 10.0.0.1 --master-port 29500 train.ts
//
// A .ts script runs through tsx (node --import tsx) unless this launcher's own node flags name a
// loader already; those flags (process.execArgv) are passed on to every process.

import { spawn } from "node:child_process";
import { availableParallelism } from "node:os";
import { createServer } from "node:net";
import { randomUUID } from "node:crypto";

const usage = `usage: typetorch-run [--nnodes NNODES] [--nproc-per-node NPROC_PER_NODE] [--node-rank NODE_RANK]
                     [--master-addr MASTER_ADDR] [--master-port MASTER_PORT] [--standalone]
                     [--rdzv-id RUN_ID] [--role ROLE] training_script ...`;

function fail(message) {
  console.error(`${usage}\ntypetorch-run: error: ${message}`);
  process.exit(2);
}

/** torchrun's options, with both spellings (--nproc-per-node and --nproc_per_node). */
function parse(argv) {
  const o = { nnodes: "1", nproc_per_node: "1", node_rank: "0", master_addr: "127.0.0.1", master_port: "29500", standalone: false, rdzv_id: "none" };
  const takes = new Set(["nnodes", "nproc_per_node", "node_rank", "master_addr", "master_port", "rdzv_id", "role"]);
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith("--")) break;
    let [name, value] = a.slice(2).split(/=(.*)/s);
    name = name.replaceAll("-", "_");
    if (name === "standalone") { o.standalone = true; continue; }
    if (name === "help") { console.log(usage); process.exit(0); }
    if (!takes.has(name)) fail(`unrecognized arguments: ${a}`);
    if (value === undefined) {
      value = argv[++i];
      if (value === undefined) fail(`argument --${name.replaceAll("_", "-")}: expected one argument`);
    }
    o[name] = value;
  }
  if (i >= argv.length) fail("the following arguments are required: training_script, training_script_args");
  o.script = argv[i];
  o.args = argv.slice(i + 1);
  return o;
}

const int = (name, v) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) fail(`argument --${name}: invalid int value: '${v}'`);
  return n;
};

const freePort = () => new Promise((resolve) => {
  const s = createServer().listen(0, () => { const { port } = s.address(); s.close(() => resolve(port)); });
});

const o = parse(process.argv.slice(2));
const nproc = ["cpu", "auto"].includes(o.nproc_per_node) ? availableParallelism() : int("nproc-per-node", o.nproc_per_node);
if (nproc < 1) fail("argument --nproc-per-node: must be at least 1");
const nnodes = o.standalone ? 1 : int("nnodes", o.nnodes);
const nodeRank = o.standalone ? 0 : int("node-rank", o.node_rank);
if (nodeRank >= nnodes) fail(`argument --node-rank: ${nodeRank} is not below --nnodes ${nnodes}`);
const masterAddr = o.standalone ? "127.0.0.1" : o.master_addr;
const masterPort = o.standalone ? await freePort() : int("master-port", o.master_port);
const world = nnodes * nproc;

const env = { ...process.env };
if (nproc > 1 && env.OMP_NUM_THREADS === undefined) {
  console.error("*****************************************\nSetting OMP_NUM_THREADS environment variable for each process to be 1 in default, to avoid your system being overloaded, please further tune the variable for optimal performance in your application as needed. \n*****************************************");
  env.OMP_NUM_THREADS = "1";
}
const nodeArgs = [...process.execArgv];
if (/\.[mc]?ts$/.test(o.script) && !nodeArgs.some((a) => /tsx|--loader|--import|--experimental-strip-types/.test(a))) nodeArgs.push("--import", "tsx");

const runId = o.rdzv_id === "none" ? randomUUID() : o.rdzv_id;
const children = [];
let failure = null, signalled = null;

for (let local = 0; local < nproc; local++) {
  const rank = nodeRank * nproc + local;
  const child = spawn(process.execPath, [...nodeArgs, o.script, ...o.args], {
    stdio: "inherit",
    env: {
      ...env, LOCAL_RANK: String(local), RANK: String(rank), GROUP_RANK: String(nodeRank), ROLE_RANK: String(rank),
      ROLE_NAME: o.role ?? "default", LOCAL_WORLD_SIZE: String(nproc), WORLD_SIZE: String(world), GROUP_WORLD_SIZE: String(nnodes),
      ROLE_WORLD_SIZE: String(world), MASTER_ADDR: masterAddr, MASTER_PORT: String(masterPort), TORCHELASTIC_RUN_ID: runId,
      TORCHELASTIC_RESTART_COUNT: "0", TORCHELASTIC_MAX_RESTARTS: "0",
    },
  });
  children.push({ child, rank, local, exited: false });
  child.on("exit", (code, signal) => {
    children[local].exited = true;
    if ((code !== 0 || signal) && !failure && !signalled) {
      failure = { rank, local, code, signal };
      stopAll("SIGTERM");
    }
    if (children.every((c) => c.exited)) finish();
  });
}

/** Asks the processes still running to stop; those that do not within 5 s are killed. */
function stopAll(signal) {
  for (const c of children) if (!c.exited) c.child.kill(signal);
  setTimeout(() => { for (const c of children) if (!c.exited) c.child.kill("SIGKILL"); }, 5000).unref();
}

for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(sig, () => {
    signalled ??= sig;
    stopAll(sig);
  });
}

function finish() {
  if (signalled) process.exit(128 + ({ SIGHUP: 1, SIGINT: 2, SIGTERM: 15 })[signalled]);
  if (!failure) process.exit(0);
  const how = failure.signal ? `was killed by signal ${failure.signal}` : `exited with code ${failure.code}`;
  console.error(`typetorch-run: ${o.script} FAILED: rank ${failure.rank} (local_rank ${failure.local}) ${how}; the other processes were stopped`);
  process.exit(failure.code || 1);
}
