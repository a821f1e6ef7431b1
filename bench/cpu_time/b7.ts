import torch, { nn, optim, type Tensor } from "typetorch";
torch.manual_seed(0); torch.set_num_threads(1);
const V = 65, L = 4, NH = 4, D = 128, T = 64, B = 16;
const F = nn.functional;
class Block extends nn.Module {
  ln1 = new nn.LayerNorm(D); ln2 = new nn.LayerNorm(D);
  qkv = new nn.Linear(D, 3 * D); proj = new nn.Linear(D, D);
  fc = new nn.Linear(D, 4 * D); out = new nn.Linear(4 * D, D);
  override forward(x: Tensor): Tensor {
    const [q, k, v] = this.qkv.forward(this.ln1.forward(x)).split(D, 2).map((t) => t.view(B, T, NH, D / NH).transpose(1, 2)) as [Tensor, Tensor, Tensor];
    const y = F.scaled_dot_product_attention(q, k, v, null, 0, true).transpose(1, 2).contiguous().view(B, T, D);
    x = x.add(this.proj.forward(y));
    return x.add(this.out.forward(F.gelu(this.fc.forward(this.ln2.forward(x)))));
  }
}
const tok = new nn.Embedding(V, D), pos = new nn.Embedding(T, D), blocks = Array.from({ length: L }, () => new Block()), lnf = new nn.LayerNorm(D), head = new nn.Linear(D, V);
const model = new nn.ModuleList([tok, pos, ...blocks, lnf, head]);
const opt = new optim.AdamW(model.parameters(), { lr: 3e-4, weight_decay: 0.01 });
const x = torch.randint(0, V, [B, T]), y = torch.randint(0, V, [B, T]), p = torch.arange(T, { dtype: torch.int64 });
const step = () => {
  opt.zero_grad();
  let h = tok.forward(x).add(pos.forward(p));
  for (const b of blocks) h = b.forward(h);
  const logits = head.forward(lnf.forward(h));
  F.cross_entropy(logits.view(-1, V), y.view(-1)).backward();
  opt.step();
};
for (let i = 0; i < 2; i++) step();
const N = +(process.argv[2] ?? 5);
const c0 = process.cpuUsage(), t0 = performance.now();
for (let i = 0; i < N; i++) step();
const cpu = process.cpuUsage(c0);
console.log(`B7 ${process.env.TYPETORCH_BACKEND ?? "default"}: wall ${((performance.now() - t0) / N).toFixed(2)} ms/step, cpu ${((cpu.user + cpu.system) / 1000 / N).toFixed(2)} ms/step`);
