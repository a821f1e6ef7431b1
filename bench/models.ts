// The model workloads of the bench, each written twice, line for line: in typetorch and in
// PyTorch (a Python source that defines `step()`). bench/run.ts times them (bench/webgpu.ts on the
// WebGPU device); bench/profile.ts runs B7 and B8 under both profilers.
//
// B6: the PyTorch MNIST example's CNN (pytorch/examples mnist/main.py: two 3x3 convolutions,
// max-pool, dropout, two linear layers, log_softmax + nll_loss, Adadelta), batch 64. (No TF.js
// figure: its WebAssembly backend has no Conv2DBackpropFilter kernel, so it cannot train this.)
// B7: a small GPT training step (minGPT's block: pre-LayerNorm, causal self-attention written out
// as matmul, mask and softmax, an MLP of 4x with GELU): vocab 65, 4 layers, 4 heads, d_model 128,
// sequence 64, batch 16, cross-entropy, AdamW (lr 3e-4, weight decay 0.01).
// B8: PyTorch's word-language-model example (pytorch/examples word_language_model, its defaults):
// a 2-layer LSTM of 200 hidden units on 200-wide embeddings of a 10,000-word vocabulary, dropout
// 0.2, sequence 35, batch 20, log_softmax + NLLLoss, gradient clipping at 0.25 and its plain SGD
// update (lr 20). Inputs are random tokens: the time per step does not depend on the text.

import torch, { nn, optim, type Tensor } from "typetorch";

const F = nn.functional;

export interface ModelWorkload {
  /** builds the model on a seeded generator (on `device`, the CPU by default) and returns one
   *  training step */
  ts: (device?: string) => () => void;
  /** Python defining `step()` (after `import torch, torch.nn as nn` and a seed) */
  py: string;
}

// ---------------------------------------------------------------------------------------------
// B6

class MnistNet extends nn.Module {
  conv1 = new nn.Conv2d(1, 32, 3, 1); conv2 = new nn.Conv2d(32, 64, 3, 1);
  dropout1 = new nn.Dropout(0.25); dropout2 = new nn.Dropout(0.5);
  fc1 = new nn.Linear(9216, 128); fc2 = new nn.Linear(128, 10);
  override forward(x: Tensor): Tensor {
    x = F.relu(this.conv2.forward(F.relu(this.conv1.forward(x))));
    x = torch.flatten(this.dropout1.forward(F.max_pool2d(x, 2)), 1);
    return F.log_softmax(this.fc2.forward(this.dropout2.forward(F.relu(this.fc1.forward(x)))), 1);
  }
}

export const mnistCnn: ModelWorkload = {
  ts: (device = "cpu") => {
    torch.manual_seed(0);
    const model = new MnistNet().to(device);
    const x = torch.randn(64, 1, 28, 28, { device }), y = torch.randint(0, 10, [64], { device });
    const opt = new optim.Adadelta(model.parameters(), { lr: 1.0 });
    return () => { opt.zero_grad(); F.nll_loss(model.forward(x), y).backward(); opt.step(); };
  },
  py: `import torch.nn.functional as F
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 3, 1); self.conv2 = nn.Conv2d(32, 64, 3, 1)
        self.dropout1 = nn.Dropout(0.25); self.dropout2 = nn.Dropout(0.5)
        self.fc1 = nn.Linear(9216, 128); self.fc2 = nn.Linear(128, 10)
    def forward(self, x):
        x = F.relu(self.conv2(F.relu(self.conv1(x))))
        x = torch.flatten(self.dropout1(F.max_pool2d(x, 2)), 1)
        return F.log_softmax(self.fc2(self.dropout2(F.relu(self.fc1(x)))), dim=1)
model = Net()
x = torch.randn(64, 1, 28, 28); y = torch.randint(0, 10, (64,))
opt = torch.optim.Adadelta(model.parameters(), lr=1.0)
def step():
    opt.zero_grad(); F.nll_loss(model(x), y).backward(); opt.step()
`,
};

// ---------------------------------------------------------------------------------------------
// B7

const GPT = { vocab: 65, layers: 4, heads: 4, d: 128, seq: 64, batch: 16 };

class CausalSelfAttention extends nn.Module {
  c_attn = new nn.Linear(GPT.d, 3 * GPT.d);
  c_proj = new nn.Linear(GPT.d, GPT.d);
  declare mask: Tensor;
  constructor() {
    super();
    this.register_buffer("mask", torch.tril(torch.ones(GPT.seq, GPT.seq)).view(1, 1, GPT.seq, GPT.seq));
  }
  override forward(x: Tensor): Tensor {
    const [B, T, C] = x.shape as [number, number, number];
    const hs = C / GPT.heads;
    const [q, k, v] = this.c_attn.forward(x).split(GPT.d, 2).map((t) => t.view(B, T, GPT.heads, hs).transpose(1, 2)) as [Tensor, Tensor, Tensor];
    let att = q.matmul(k.transpose(-2, -1)).mul(1 / Math.sqrt(hs));
    att = att.masked_fill(this.mask.index(torch.slice(null), torch.slice(null), torch.slice(T), torch.slice(T)).eq(0), -Infinity);
    att = F.softmax(att, -1);
    const y = att.matmul(v).transpose(1, 2).contiguous().view(B, T, C);
    return this.c_proj.forward(y);
  }
}

class Block extends nn.Module {
  ln_1 = new nn.LayerNorm(GPT.d);
  attn = new CausalSelfAttention();
  ln_2 = new nn.LayerNorm(GPT.d);
  c_fc = new nn.Linear(GPT.d, 4 * GPT.d);
  c_proj = new nn.Linear(4 * GPT.d, GPT.d);
  override forward(x: Tensor): Tensor {
    x = x.add(this.attn.forward(this.ln_1.forward(x)));
    return x.add(this.c_proj.forward(F.gelu(this.c_fc.forward(this.ln_2.forward(x)))));
  }
}

class GPTModel extends nn.Module {
  wte = new nn.Embedding(GPT.vocab, GPT.d);
  wpe = new nn.Embedding(GPT.seq, GPT.d);
  h = new nn.ModuleList(Array.from({ length: GPT.layers }, () => new Block()));
  ln_f = new nn.LayerNorm(GPT.d);
  lm_head = new nn.Linear(GPT.d, GPT.vocab, { bias: false });
  override forward(idx: Tensor): Tensor {
    const T = idx.shape[1]!;
    let x = this.wte.forward(idx).add(this.wpe.forward(torch.arange(T, { dtype: torch.int64, device: idx.device })));
    for (const block of this.h) x = (block as Block).forward(x);
    return this.lm_head.forward(this.ln_f.forward(x));
  }
}

export const gpt: ModelWorkload = {
  ts: (device = "cpu") => {
    torch.manual_seed(0);
    const model = new GPTModel().to(device);
    const opt = new optim.AdamW(model.parameters(), { lr: 3e-4, weight_decay: 0.01 });
    const x = torch.randint(0, GPT.vocab, [GPT.batch, GPT.seq], { device }), y = torch.randint(0, GPT.vocab, [GPT.batch, GPT.seq], { device });
    return () => {
      opt.zero_grad();
      const logits = model.forward(x);
      F.cross_entropy(logits.view(-1, GPT.vocab), y.view(-1)).backward();
      opt.step();
    };
  },
  py: `import math
import torch.nn.functional as F
V, L, H, D, T, B = ${GPT.vocab}, ${GPT.layers}, ${GPT.heads}, ${GPT.d}, ${GPT.seq}, ${GPT.batch}
class CausalSelfAttention(nn.Module):
    def __init__(self):
        super().__init__()
        self.c_attn = nn.Linear(D, 3 * D); self.c_proj = nn.Linear(D, D)
        self.register_buffer("mask", torch.tril(torch.ones(T, T)).view(1, 1, T, T))
    def forward(self, x):
        B_, T_, C = x.shape; hs = C // H
        q, k, v = [t.view(B_, T_, H, hs).transpose(1, 2) for t in self.c_attn(x).split(D, dim=2)]
        att = (q @ k.transpose(-2, -1)) * (1 / math.sqrt(hs))
        att = att.masked_fill(self.mask[:, :, :T_, :T_] == 0, float("-inf"))
        att = F.softmax(att, dim=-1)
        y = (att @ v).transpose(1, 2).contiguous().view(B_, T_, C)
        return self.c_proj(y)
class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln_1 = nn.LayerNorm(D); self.attn = CausalSelfAttention(); self.ln_2 = nn.LayerNorm(D)
        self.c_fc = nn.Linear(D, 4 * D); self.c_proj = nn.Linear(4 * D, D)
    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.c_proj(F.gelu(self.c_fc(self.ln_2(x))))
class GPT(nn.Module):
    def __init__(self):
        super().__init__()
        self.wte = nn.Embedding(V, D); self.wpe = nn.Embedding(T, D)
        self.h = nn.ModuleList([Block() for _ in range(L)])
        self.ln_f = nn.LayerNorm(D); self.lm_head = nn.Linear(D, V, bias=False)
    def forward(self, idx):
        x = self.wte(idx) + self.wpe(torch.arange(idx.shape[1]))
        for block in self.h: x = block(x)
        return self.lm_head(self.ln_f(x))
model = GPT()
opt = torch.optim.AdamW(model.parameters(), lr=3e-4, weight_decay=0.01)
x = torch.randint(0, V, (B, T)); y = torch.randint(0, V, (B, T))
def step():
    opt.zero_grad()
    logits = model(x)
    F.cross_entropy(logits.view(-1, V), y.view(-1)).backward()
    opt.step()
`,
};

// ---------------------------------------------------------------------------------------------
// B8

const WLM = { ntoken: 10000, ninp: 200, nhid: 200, nlayers: 2, dropout: 0.2, bptt: 35, batch: 20, lr: 20, clip: 0.25 };

/** word_language_model/model.py's RNNModel, LSTM, untied. */
class RNNModel extends nn.Module {
  drop = new nn.Dropout(WLM.dropout);
  encoder = new nn.Embedding(WLM.ntoken, WLM.ninp);
  rnn = new nn.LSTM(WLM.ninp, WLM.nhid, WLM.nlayers, { dropout: WLM.dropout });
  decoder = new nn.Linear(WLM.nhid, WLM.ntoken);
  constructor() {
    super();
    nn.init.uniform_(this.encoder.weight, -0.1, 0.1);
    nn.init.zeros_(this.decoder.bias!);
    nn.init.uniform_(this.decoder.weight, -0.1, 0.1);
  }
  override forward(input: Tensor, hidden: [Tensor, Tensor]): [Tensor, [Tensor, Tensor]] {
    const emb = this.drop.forward(this.encoder.forward(input));
    const [output, h] = this.rnn.forward(emb, hidden) as [Tensor, [Tensor, Tensor]];
    const decoded = this.decoder.forward(this.drop.forward(output)).view(-1, WLM.ntoken);
    return [F.log_softmax(decoded, 1), h];
  }
}

export const wordLm: ModelWorkload = {
  ts: (device = "cpu") => {
    torch.manual_seed(0);
    const model = new RNNModel().to(device);
    model.train();
    const criterion = new nn.NLLLoss();
    const data = torch.randint(0, WLM.ntoken, [WLM.bptt, WLM.batch], { device }), targets = torch.randint(0, WLM.ntoken, [WLM.bptt * WLM.batch], { device });
    let hidden: [Tensor, Tensor] = [torch.zeros(WLM.nlayers, WLM.batch, WLM.nhid, { device }), torch.zeros(WLM.nlayers, WLM.batch, WLM.nhid, { device })];
    return () => {
      hidden = [hidden[0].detach(), hidden[1].detach()]; // repackage_hidden
      model.zero_grad();
      const [output, h] = model.forward(data, hidden);
      hidden = h;
      criterion.forward(output, targets).backward();
      nn.utils.clip_grad_norm_(model.parameters(), WLM.clip);
      for (const p of model.parameters()) p.data.add_(p.grad!, { alpha: -WLM.lr });
    };
  },
  py: `import torch.nn.functional as F
ntoken, ninp, nhid, nlayers, dropout, bptt, batch, lr, clip = ${WLM.ntoken}, ${WLM.ninp}, ${WLM.nhid}, ${WLM.nlayers}, ${WLM.dropout}, ${WLM.bptt}, ${WLM.batch}, ${WLM.lr}, ${WLM.clip}
class RNNModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.drop = nn.Dropout(dropout)
        self.encoder = nn.Embedding(ntoken, ninp)
        self.rnn = nn.LSTM(ninp, nhid, nlayers, dropout=dropout)
        self.decoder = nn.Linear(nhid, ntoken)
        nn.init.uniform_(self.encoder.weight, -0.1, 0.1)
        nn.init.zeros_(self.decoder.bias)
        nn.init.uniform_(self.decoder.weight, -0.1, 0.1)
    def forward(self, input, hidden):
        emb = self.drop(self.encoder(input))
        output, hidden = self.rnn(emb, hidden)
        decoded = self.decoder(self.drop(output)).view(-1, ntoken)
        return F.log_softmax(decoded, dim=1), hidden
model = RNNModel()
model.train()
criterion = nn.NLLLoss()
data = torch.randint(0, ntoken, (bptt, batch)); targets = torch.randint(0, ntoken, (bptt * batch,))
hidden = (torch.zeros(nlayers, batch, nhid), torch.zeros(nlayers, batch, nhid))
def step():
    global hidden
    hidden = tuple(h.detach() for h in hidden)
    model.zero_grad()
    output, hidden = model(data, hidden)
    criterion(output, targets).backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), clip)
    for p in model.parameters():
        p.data.add_(p.grad, alpha=-lr)
`,
};
