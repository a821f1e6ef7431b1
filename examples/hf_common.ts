// What the Hugging Face examples (hf_gpt2.ts, hf_bert.ts) share: transformers' activation table
// (ACT2FN), Conv1D (GPT-2's transposed linear layer), eager attention, and from_pretrained's
// loading of a checkpoint directory (config.json + model.safetensors, or the shards of
// model.safetensors.index.json), as `transformers` does for these models.

import torch, { nn, type Tensor } from "typetorch";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const F = torch.nn.functional;
const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/** transformers.activations.ACT2FN, the entries these models' configs use. */
export const ACT2FN: Record<string, (x: Tensor) => Tensor> = {
  gelu: (x) => F.gelu(x),
  gelu_pytorch_tanh: (x) => F.gelu(x, { approximate: "tanh" }),
  // NewGELUActivation: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))), written out as HF does
  gelu_new: (x) => x.mul(0.5).mul(torch.tanh(x.add(x.pow(3).mul(0.044715)).mul(SQRT_2_OVER_PI)).add(1)),
  gelu_fast: (x) => x.mul(0.5).mul(torch.tanh(x.mul(0.7978845608).mul(x.mul(x).mul(0.044715).add(1))).add(1)),
  quick_gelu: (x) => x.mul(torch.sigmoid(x.mul(1.702))),
  relu: (x) => F.relu(x),
  silu: (x) => F.silu(x),
  swish: (x) => F.silu(x),
  tanh: (x) => torch.tanh(x),
  sigmoid: (x) => torch.sigmoid(x),
};

export function activation(name: string): (x: Tensor) => Tensor {
  const f = ACT2FN[name];
  if (!f) throw new Error(`function ${name} not found in ACT2FN mapping ${Object.keys(ACT2FN).join(", ")}`);
  return f;
}

/** transformers.pytorch_utils.Conv1D: a linear layer whose weight is stored [in, out]. */
export class Conv1D extends nn.Module {
  weight: nn.Parameter;
  bias: nn.Parameter;
  constructor(readonly nf: number, readonly nx: number) {
    super();
    this.weight = new nn.Parameter(torch.empty(nx, nf));
    this.bias = new nn.Parameter(torch.zeros(nf));
    nn.init.normal_(this.weight, 0, 0.02);
  }
  override forward(x: Tensor): Tensor {
    const out = [...x.shape.slice(0, -1), this.nf];
    return torch.addmm(this.bias, x.reshape(-1, x.shape[x.dim() - 1]!), this.weight).view(out);
  }
  override extra_repr(): string { return `nf=${this.nf}, nx=${this.nx}`; }
}

/**
 * eager_attention_forward: softmax(q kᵀ · scaling + mask) v over [batch, heads, seq, head_dim],
 * with the additive float mask transformers builds (0 to attend, the dtype's minimum not to).
 */
export function eagerAttention(q: Tensor, k: Tensor, v: Tensor, mask: Tensor | null, dropout: nn.Dropout): Tensor {
  let w = torch.matmul(q, k.transpose(-1, -2)).mul(q.shape[q.dim() - 1]! ** -0.5);
  if (mask !== null) w = w.add(mask);
  w = dropout.forward(F.softmax(w, -1));
  return torch.matmul(w, v).transpose(1, 2);
}

/** The additive mask of a [batch, seq] 0/1 attention mask, as [batch, 1, 1, seq]. */
export function paddingMask(attention_mask: Tensor): Tensor {
  return torch.sub(1, attention_mask.to(torch.float32)).mul(torch.finfo(torch.float32).min).view(attention_mask.shape[0]!, 1, 1, -1);
}

/** A checkpoint directory's config.json. */
export function readConfig<T>(dir: string): T {
  return JSON.parse(readFileSync(join(dir, "config.json"), "utf8")) as T;
}

/**
 * Loads a checkpoint's tensors into `model` as from_pretrained does: names may carry the base
 * model's prefix (`transformer.`, `bert.`) or not, old LayerNorm names (gamma/beta) are renamed,
 * keys matched by `ignore` (buffers older versions saved, heads this model lacks) are skipped;
 * any parameter the checkpoint lacks, other than the `tied` ones, is an error.
 */
export function loadCheckpoint(model: nn.Module, dir: string, opts: { prefix: string; ignore: RegExp; tied?: string[] }): void {
  const state = torch.safetensors.load_sharded(dir);
  const own = new Set(Object.keys(model.state_dict()));
  const renamed: Record<string, Tensor> = {};
  const unused: string[] = [];
  for (const [key, t] of Object.entries(state)) {
    let k = key.replace(/\.gamma$/, ".weight").replace(/\.beta$/, ".bias");
    // a checkpoint of the base model (no prefix) loaded into the model with a head, or the reverse
    if (!own.has(k) && own.has(opts.prefix + k)) k = opts.prefix + k;
    else if (!own.has(k) && k.startsWith(opts.prefix) && own.has(k.slice(opts.prefix.length))) k = k.slice(opts.prefix.length);
    if (own.has(k)) renamed[k] = t;
    else if (!opts.ignore.test(k)) unused.push(key);
  }
  const { missing_keys } = model.load_state_dict(renamed, { strict: false });
  const missing = missing_keys.filter((k) => !(opts.tied ?? []).includes(k));
  if (missing.length) throw new Error(`${dir}: the checkpoint lacks ${missing.join(", ")}`);
  if (unused.length) console.warn(`Some weights of the checkpoint at ${dir} were not used when initializing ${model._get_name()}: ${unused.join(", ")}`);
}
