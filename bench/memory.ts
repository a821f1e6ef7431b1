// npm run bench:memory: issue 4's memory check. Trains an MLP (784-512-512-10, batch 128,
// cross-entropy, SGD with momentum, as B5) for 1000 steps and prints the process's resident set
// size every 100 steps. Storage is garbage-collected and the WebAssembly arena is reused, so
// the RSS should level off after the first steps instead of growing with the step count.

import torch, { nn, optim } from "typetorch";

const STEPS = Number(process.argv[2] ?? 1000);
torch.manual_seed(0);
const model = new nn.Sequential(new nn.Linear(784, 512), new nn.ReLU(), new nn.Linear(512, 512), new nn.ReLU(), new nn.Linear(512, 10));
const x = torch.randn(128, 784), y = torch.randint(0, 10, [128]);
const lossFn = new nn.CrossEntropyLoss();
const opt = new optim.SGD(model.parameters(), { lr: 0.01, momentum: 0.9 });
const mb = (b: number) => (b / 2 ** 20).toFixed(0);
let peak = 0;
const rows: string[] = [];
for (let step = 1; step <= STEPS; step++) {
  opt.zero_grad();
  lossFn.forward(model.forward(x), y).backward();
  opt.step();
  peak = Math.max(peak, process.memoryUsage.rss());
  if (step % 100 === 0) rows.push(`| ${step} | ${mb(process.memoryUsage.rss())} | ${mb(peak)} | ${mb(process.memoryUsage().heapUsed)} | ${mb(process.memoryUsage().external + process.memoryUsage().arrayBuffers)} |`);
}
console.log("| step | RSS MiB | peak RSS MiB | JS heap MiB | external + ArrayBuffers MiB |\n|---|---|---|---|---|\n" + rows.join("\n"));
process.exit(0);
