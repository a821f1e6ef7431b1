// BERT as Hugging Face's transformers writes it (models/bert/modeling_bert.py: BertModel), module
// for module, so that a checkpoint saved by `save_pretrained` (config.json + model.safetensors,
// or shards with model.safetensors.index.json) loads by name and gives the same hidden states.
// Checkpoints of BertForPreTraining and friends (keys under `bert.`, heads under `cls.`, old
// LayerNorm gamma/beta names) load too. Point it at a downloaded checkpoint (e.g.
// `huggingface-cli download bert-base-uncased`):
//
//   node --conditions=source --import tsx examples/hf_bert.ts DIR [token ids...]
//
// prints the shapes of last_hidden_state and pooler_output and the first values of the pooled
// output (the tokenizer is not part of this example: the ids are its output, [CLS] ... [SEP]).

import torch, { nn, type Tensor } from "typetorch";
import { pathToFileURL } from "node:url";
import { activation, eagerAttention, paddingMask, readConfig, loadCheckpoint } from "./hf_common.js";

/** The fields of BertConfig this model reads (with transformers' defaults). */
export interface BertConfig {
  vocab_size: number; hidden_size: number; num_hidden_layers: number; num_attention_heads: number;
  intermediate_size: number; hidden_act?: string; hidden_dropout_prob?: number; attention_probs_dropout_prob?: number;
  max_position_embeddings: number; type_vocab_size?: number; layer_norm_eps?: number; pad_token_id?: number;
  position_embedding_type?: string; is_decoder?: boolean;
}

export class BertEmbeddings extends nn.Module {
  word_embeddings: nn.Embedding; position_embeddings: nn.Embedding; token_type_embeddings: nn.Embedding;
  LayerNorm: nn.LayerNorm; dropout: nn.Dropout;
  constructor(config: BertConfig) {
    super();
    this.word_embeddings = new nn.Embedding(config.vocab_size, config.hidden_size, { padding_idx: config.pad_token_id ?? 0 });
    this.position_embeddings = new nn.Embedding(config.max_position_embeddings, config.hidden_size);
    this.token_type_embeddings = new nn.Embedding(config.type_vocab_size ?? 2, config.hidden_size);
    this.LayerNorm = new nn.LayerNorm(config.hidden_size, { eps: config.layer_norm_eps ?? 1e-12 });
    this.dropout = new nn.Dropout(config.hidden_dropout_prob ?? 0.1);
  }
  override forward(input_ids: Tensor, token_type_ids: Tensor): Tensor {
    const position_ids = torch.arange(input_ids.shape[1]!, { dtype: torch.int64 }).unsqueeze(0);
    const x = this.word_embeddings.forward(input_ids).add(this.token_type_embeddings.forward(token_type_ids))
      .add(this.position_embeddings.forward(position_ids));
    return this.dropout.forward(this.LayerNorm.forward(x));
  }
}

export class BertSelfAttention extends nn.Module {
  query: nn.Linear; key: nn.Linear; value: nn.Linear; dropout: nn.Dropout;
  readonly num_attention_heads: number;
  constructor(config: BertConfig) {
    super();
    const h = config.hidden_size;
    this.num_attention_heads = config.num_attention_heads;
    if (h % this.num_attention_heads !== 0) {
      throw new Error(`The hidden size (${h}) is not a multiple of the number of attention heads (${this.num_attention_heads})`);
    }
    this.query = new nn.Linear(h, h);
    this.key = new nn.Linear(h, h);
    this.value = new nn.Linear(h, h);
    this.dropout = new nn.Dropout(config.attention_probs_dropout_prob ?? 0.1);
  }
  override forward(x: Tensor, mask: Tensor | null): Tensor {
    const [b, s, h] = x.shape as [number, number, number];
    const heads = (t: Tensor) => t.view(b, s, this.num_attention_heads, -1).transpose(1, 2);
    const out = eagerAttention(heads(this.query.forward(x)), heads(this.key.forward(x)), heads(this.value.forward(x)), mask, this.dropout);
    return out.reshape(b, s, h);
  }
}

/** What BertSelfOutput and BertOutput share: dense, dropout, then LayerNorm of the residual sum. */
export class BertResidual extends nn.Module {
  dense: nn.Linear; LayerNorm: nn.LayerNorm; dropout: nn.Dropout;
  constructor(inFeatures: number, config: BertConfig) {
    super();
    this.dense = new nn.Linear(inFeatures, config.hidden_size);
    this.LayerNorm = new nn.LayerNorm(config.hidden_size, { eps: config.layer_norm_eps ?? 1e-12 });
    this.dropout = new nn.Dropout(config.hidden_dropout_prob ?? 0.1);
  }
  override forward(x: Tensor, input: Tensor): Tensor {
    return this.LayerNorm.forward(this.dropout.forward(this.dense.forward(x)).add(input));
  }
}

export class BertSelfOutput extends BertResidual {}
export class BertOutput extends BertResidual {}

export class BertAttention extends nn.Module {
  self: BertSelfAttention; output: BertSelfOutput;
  constructor(config: BertConfig) {
    super();
    this.self = new BertSelfAttention(config);
    this.output = new BertSelfOutput(config.hidden_size, config);
  }
  override forward(x: Tensor, mask: Tensor | null): Tensor {
    return this.output.forward(this.self.forward(x, mask), x);
  }
}

export class BertIntermediate extends nn.Module {
  dense: nn.Linear;
  private readonly act: (x: Tensor) => Tensor;
  constructor(config: BertConfig) {
    super();
    this.dense = new nn.Linear(config.hidden_size, config.intermediate_size);
    this.act = activation(config.hidden_act ?? "gelu");
  }
  override forward(x: Tensor): Tensor { return this.act(this.dense.forward(x)); }
}

export class BertLayer extends nn.Module {
  attention: BertAttention; intermediate: BertIntermediate; output: BertOutput;
  constructor(config: BertConfig) {
    super();
    this.attention = new BertAttention(config);
    this.intermediate = new BertIntermediate(config);
    this.output = new BertOutput(config.intermediate_size, config);
  }
  override forward(x: Tensor, mask: Tensor | null): Tensor {
    const a = this.attention.forward(x, mask);
    return this.output.forward(this.intermediate.forward(a), a);
  }
}

export class BertEncoder extends nn.Module {
  layer: nn.ModuleList;
  constructor(config: BertConfig) {
    super();
    this.layer = new nn.ModuleList(Array.from({ length: config.num_hidden_layers }, () => new BertLayer(config)));
  }
  override forward(x: Tensor, mask: Tensor | null): Tensor {
    for (const l of this.layer) x = (l as BertLayer).forward(x, mask);
    return x;
  }
}

export class BertPooler extends nn.Module {
  dense: nn.Linear; activation: nn.Tanh;
  constructor(config: BertConfig) {
    super();
    this.dense = new nn.Linear(config.hidden_size, config.hidden_size);
    this.activation = new nn.Tanh();
  }
  /** The first token's ([CLS]) hidden state through dense and tanh. */
  override forward(hidden: Tensor): Tensor {
    return this.activation.forward(this.dense.forward(hidden.select(1, 0)));
  }
}

/** What BertModel returns (transformers' BaseModelOutputWithPoolingAndCrossAttentions, the two tensors). */
export interface BertModelOutput { last_hidden_state: Tensor; pooler_output: Tensor }

export class BertModel extends nn.Module {
  embeddings: BertEmbeddings; encoder: BertEncoder; pooler: BertPooler;
  constructor(readonly config: BertConfig) {
    super();
    this.embeddings = new BertEmbeddings(config);
    this.encoder = new BertEncoder(config);
    this.pooler = new BertPooler(config);
  }
  /** attention_mask: 1 for tokens to attend to, 0 for padding; token_type_ids: segment A (0) or B (1). */
  override forward(input_ids: Tensor, opts: { attention_mask?: Tensor | null; token_type_ids?: Tensor | null } = {}): BertModelOutput {
    if (input_ids.shape[1]! > this.config.max_position_embeddings) {
      throw new Error(`sequence length ${input_ids.shape[1]} is longer than max_position_embeddings (${this.config.max_position_embeddings})`);
    }
    const types = opts.token_type_ids ?? torch.zeros_like(input_ids);
    const mask = opts.attention_mask ? paddingMask(opts.attention_mask) : null;
    const last_hidden_state = this.encoder.forward(this.embeddings.forward(input_ids, types), mask);
    return { last_hidden_state, pooler_output: this.pooler.forward(last_hidden_state) };
  }

  /** BertModel.from_pretrained(dir): the config and weights of a checkpoint directory, in eval mode. */
  static from_pretrained(dir: string): BertModel {
    const config = readConfig<BertConfig>(dir);
    if ((config.position_embedding_type ?? "absolute") !== "absolute") throw new Error(`this example implements absolute position embeddings only, not ${config.position_embedding_type}`);
    if (config.is_decoder) throw new Error("this example implements BERT as an encoder (is_decoder=false) only");
    const model = new BertModel(config);
    // position_ids: a buffer older checkpoints saved; cls.*: pre-training and task heads
    loadCheckpoint(model, dir, { prefix: "bert.", ignore: /(^|\.)position_ids$|^cls\./ });
    return model.eval() as BertModel;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const [dir, ...ids] = process.argv.slice(2);
  if (!dir) {
    console.error("usage: examples/hf_bert.ts CHECKPOINT_DIR [token ids...]");
    process.exit(2);
  }
  const model = BertModel.from_pretrained(dir);
  const tokens = (ids.length ? ids : ["101", "7592", "2088", "102"]).map((t) => BigInt(t)); // [CLS] hello world [SEP] (bert-base-uncased)
  const out = torch.no_grad(() => model.forward(torch.tensor([tokens])));
  console.log(`last_hidden_state: [${out.last_hidden_state.shape.join(", ")}], pooler_output: [${out.pooler_output.shape.join(", ")}]`);
  console.log(`pooler_output[0, :5]: ${String(out.pooler_output.index(0, torch.slice(0, 5)))}`);
}
