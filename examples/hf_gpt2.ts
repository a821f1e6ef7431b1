// GPT-2 as Hugging Face's transformers writes it (models/gpt2/modeling_gpt2.py: GPT2LMHeadModel),
// module for module, so that a checkpoint saved by `save_pretrained` (config.json +
// model.safetensors, or shards with model.safetensors.index.json) loads by name and gives the
// same logits. Point it at a downloaded checkpoint (e.g. `huggingface-cli download gpt2`):
//
//   node --conditions=source --import tsx examples/hf_gpt2.ts DIR [token ids...]
//
// prints the logits' shape and the greedy next tokens after the ids given (GPT-2's tokenizer is
// not part of this example: the ids are the tokenizer's output).

import torch, { nn, type Tensor } from "typetorch";
import { pathToFileURL } from "node:url";
import { Conv1D, activation, eagerAttention, paddingMask, readConfig, loadCheckpoint } from "./hf_common.js";

/** The fields of GPT2Config this model reads (with transformers' defaults). */
export interface GPT2Config {
  vocab_size: number; n_positions: number; n_embd: number; n_layer: number; n_head: number;
  n_inner?: number | null; activation_function?: string; layer_norm_epsilon?: number;
  resid_pdrop?: number; embd_pdrop?: number; attn_pdrop?: number;
  scale_attn_weights?: boolean; scale_attn_by_inverse_layer_idx?: boolean; reorder_and_upcast_attn?: boolean;
  add_cross_attention?: boolean; tie_word_embeddings?: boolean;
}

export class GPT2Attention extends nn.Module {
  c_attn: Conv1D; c_proj: Conv1D; attn_dropout: nn.Dropout; resid_dropout: nn.Dropout;
  readonly num_heads: number;
  constructor(config: GPT2Config) {
    super();
    const e = config.n_embd;
    this.num_heads = config.n_head;
    if (e % this.num_heads !== 0) throw new Error(`\`embed_dim\` must be divisible by num_heads (got \`embed_dim\`: ${e} and \`num_heads\`: ${this.num_heads}).`);
    this.c_attn = new Conv1D(3 * e, e);
    this.c_proj = new Conv1D(e, e);
    this.attn_dropout = new nn.Dropout(config.attn_pdrop ?? 0.1);
    this.resid_dropout = new nn.Dropout(config.resid_pdrop ?? 0.1);
  }
  override forward(x: Tensor, mask: Tensor): Tensor {
    const [b, s, e] = x.shape as [number, number, number];
    const heads = (t: Tensor) => t.view(b, s, this.num_heads, -1).transpose(1, 2);
    const [q, k, v] = this.c_attn.forward(x).split(e, 2).map(heads) as [Tensor, Tensor, Tensor];
    const out = eagerAttention(q, k, v, mask, this.attn_dropout).reshape(b, s, e);
    return this.resid_dropout.forward(this.c_proj.forward(out));
  }
}

export class GPT2MLP extends nn.Module {
  c_fc: Conv1D; c_proj: Conv1D; dropout: nn.Dropout;
  private readonly act: (x: Tensor) => Tensor;
  constructor(inner: number, config: GPT2Config) {
    super();
    this.c_fc = new Conv1D(inner, config.n_embd);
    this.c_proj = new Conv1D(config.n_embd, inner);
    this.act = activation(config.activation_function ?? "gelu_new");
    this.dropout = new nn.Dropout(config.resid_pdrop ?? 0.1);
  }
  override forward(x: Tensor): Tensor {
    return this.dropout.forward(this.c_proj.forward(this.act(this.c_fc.forward(x))));
  }
}

export class GPT2Block extends nn.Module {
  ln_1: nn.LayerNorm; attn: GPT2Attention; ln_2: nn.LayerNorm; mlp: GPT2MLP;
  constructor(config: GPT2Config) {
    super();
    const eps = config.layer_norm_epsilon ?? 1e-5;
    this.ln_1 = new nn.LayerNorm(config.n_embd, { eps });
    this.attn = new GPT2Attention(config);
    this.ln_2 = new nn.LayerNorm(config.n_embd, { eps });
    this.mlp = new GPT2MLP(config.n_inner ?? 4 * config.n_embd, config);
  }
  override forward(x: Tensor, mask: Tensor): Tensor {
    x = x.add(this.attn.forward(this.ln_1.forward(x), mask));
    return x.add(this.mlp.forward(this.ln_2.forward(x)));
  }
}

export class GPT2Model extends nn.Module {
  wte: nn.Embedding; wpe: nn.Embedding; drop: nn.Dropout; h: nn.ModuleList; ln_f: nn.LayerNorm;
  constructor(readonly config: GPT2Config) {
    super();
    this.wte = new nn.Embedding(config.vocab_size, config.n_embd);
    this.wpe = new nn.Embedding(config.n_positions, config.n_embd);
    this.drop = new nn.Dropout(config.embd_pdrop ?? 0.1);
    this.h = new nn.ModuleList(Array.from({ length: config.n_layer }, () => new GPT2Block(config)));
    this.ln_f = new nn.LayerNorm(config.n_embd, { eps: config.layer_norm_epsilon ?? 1e-5 });
  }
  /** The last hidden states [batch, seq, n_embd]; attention_mask (1 attend, 0 padding) is optional. */
  override forward(input_ids: Tensor, attention_mask: Tensor | null = null): Tensor {
    const s = input_ids.shape[1]!;
    if (s > this.config.n_positions) throw new Error(`sequence length ${s} is longer than n_positions (${this.config.n_positions})`);
    const position_ids = torch.arange(s, { dtype: torch.int64 }).unsqueeze(0);
    let x = this.drop.forward(this.wte.forward(input_ids).add(this.wpe.forward(position_ids)));
    // causal: position i attends to positions <= i; padding adds its own mask
    let mask = torch.full([s, s], torch.finfo(torch.float32).min).triu(1).view(1, 1, s, s);
    if (attention_mask !== null) mask = mask.add(paddingMask(attention_mask)).clamp({ min: torch.finfo(torch.float32).min });
    for (const block of this.h) x = (block as GPT2Block).forward(x, mask);
    return this.ln_f.forward(x);
  }
}

export class GPT2LMHeadModel extends nn.Module {
  transformer: GPT2Model; lm_head: nn.Linear;
  constructor(readonly config: GPT2Config) {
    super();
    this.transformer = new GPT2Model(config);
    this.lm_head = new nn.Linear(config.n_embd, config.vocab_size, { bias: false });
    // the output embedding is the input embedding (tie_word_embeddings, true for GPT-2)
    if (config.tie_word_embeddings ?? true) this.lm_head.weight = this.transformer.wte.weight;
  }
  /** The logits [batch, seq, vocab_size]. */
  override forward(input_ids: Tensor, attention_mask: Tensor | null = null): Tensor {
    return this.lm_head.forward(this.transformer.forward(input_ids, attention_mask));
  }

  /** GPT2LMHeadModel.from_pretrained(dir): the config and weights of a checkpoint directory, in eval mode. */
  static from_pretrained(dir: string): GPT2LMHeadModel {
    const config = readConfig<GPT2Config>(dir);
    for (const flag of ["scale_attn_by_inverse_layer_idx", "reorder_and_upcast_attn", "add_cross_attention"] as const) {
      if (config[flag]) throw new Error(`this example does not implement GPT2Config.${flag}`);
    }
    if (config.scale_attn_weights === false) throw new Error("this example does not implement scale_attn_weights=False");
    const model = new GPT2LMHeadModel(config);
    // attn.bias / attn.masked_bias: the causal-mask buffers older checkpoints saved
    loadCheckpoint(model, dir, { prefix: "transformer.", ignore: /\.attn\.(masked_)?bias$/, tied: (config.tie_word_embeddings ?? true) ? ["lm_head.weight"] : [] });
    return model.eval() as GPT2LMHeadModel;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const [dir, ...ids] = process.argv.slice(2);
  if (!dir) {
    console.error("usage: examples/hf_gpt2.ts CHECKPOINT_DIR [token ids...]");
    process.exit(2);
  }
  const model = GPT2LMHeadModel.from_pretrained(dir);
  let tokens = (ids.length ? ids : ["464", "3290"]).map((t) => BigInt(t)); // "The dog" in GPT-2's vocabulary
  torch.no_grad(() => {
    const logits = model.forward(torch.tensor([tokens]));
    console.log(`logits: [${logits.shape.join(", ")}] (batch, sequence, vocabulary)`);
    for (let i = 0; i < 8 && tokens.length < model.config.n_positions; i++) {
      const next = model.forward(torch.tensor([tokens])).index(0, -1).argmax().item();
      tokens = [...tokens, BigInt(next)];
    }
  });
  console.log(`greedy continuation: ${tokens.join(" ")}`);
}
