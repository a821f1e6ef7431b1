// pytorch/examples word_language_model/model.py: the recurrent (LSTM, GRU, RNN) and Transformer
// language models, translated by the rules of shared/API.md.

import torch, { nn, type Tensor } from "typetorch";

const F = torch.nn.functional;

/** An RNN's or GRU's hidden state, or an LSTM's (h, c). */
export type Hidden = Tensor | [Tensor, Tensor];

/** Container module with an encoder, a recurrent module, and a decoder. */
export class RNNModel extends nn.Module {
  ntoken: number;
  drop: nn.Dropout;
  encoder: nn.Embedding;
  rnn: nn.RNNBase;
  decoder: nn.Linear;
  rnn_type: string;
  nhid: number;
  nlayers: number;

  constructor(rnn_type: string, ntoken: number, ninp: number, nhid: number, nlayers: number, dropout = 0.5, tie_weights = false) {
    super();
    this.ntoken = ntoken;
    this.drop = new nn.Dropout(dropout);
    this.encoder = new nn.Embedding(ntoken, ninp);
    if (rnn_type === "LSTM" || rnn_type === "GRU") {
      this.rnn = new nn[rnn_type](ninp, nhid, nlayers, { dropout });
    } else {
      const nonlinearity = ({ RNN_TANH: "tanh", RNN_RELU: "relu" } as Record<string, "tanh" | "relu">)[rnn_type];
      if (nonlinearity === undefined) {
        throw new Error(`ValueError: An invalid option for \`--model\` was supplied,
                                 options are ['LSTM', 'GRU', 'RNN_TANH' or 'RNN_RELU']`);
      }
      this.rnn = new nn.RNN(ninp, nhid, nlayers, { nonlinearity, dropout });
    }
    this.decoder = new nn.Linear(nhid, ntoken);

    // Optionally tie weights as in:
    // "Using the Output Embedding to Improve Language Models" (Press & Wolf 2016)
    // https://arxiv.org/abs/1608.05859
    // and
    // "Tying Word Vectors and Word Classifiers: A Loss Framework for Language Modeling" (Inan et al. 2016)
    // https://arxiv.org/abs/1611.01462
    if (tie_weights) {
      if (nhid !== ninp) throw new Error("ValueError: When using the tied flag, nhid must be equal to emsize");
      this.decoder.weight = this.encoder.weight;
    }

    this.init_weights();

    this.rnn_type = rnn_type;
    this.nhid = nhid;
    this.nlayers = nlayers;
  }

  init_weights(): void {
    const initrange = 0.1;
    nn.init.uniform_(this.encoder.weight, -initrange, initrange);
    nn.init.zeros_(this.decoder.bias!);
    nn.init.uniform_(this.decoder.weight, -initrange, initrange);
  }

  override forward(input: Tensor, hidden: Hidden): [Tensor, Hidden] {
    const emb = this.drop(this.encoder(input));
    let [output, hidden_] = this.rnn(emb, hidden);
    output = this.drop(output);
    let decoded = this.decoder(output);
    decoded = decoded.view(-1, this.ntoken);
    return [F.log_softmax(decoded, { dim: 1 }), hidden_];
  }

  init_hidden(bsz: number): Hidden {
    const weight = this.parameters()[0]!;
    if (this.rnn_type === "LSTM") {
      return [weight.new_zeros(this.nlayers, bsz, this.nhid),
        weight.new_zeros(this.nlayers, bsz, this.nhid)];
    } else {
      return weight.new_zeros(this.nlayers, bsz, this.nhid);
    }
  }
}

// Temporarily leave PositionalEncoding module here. Will be moved somewhere else.
/**
 * Inject some information about the relative or absolute position of the tokens in the sequence.
 * The positional encodings have the same dimension as the embeddings, so that the two can be summed.
 * Here, we use sine and cosine functions of different frequencies.
 *   PosEncoder(pos, 2i) = sin(pos/10000^(2i/d_model))
 *   PosEncoder(pos, 2i+1) = cos(pos/10000^(2i/d_model))
 *   where pos is the word position and i is the embed idx
 * Args:
 *   d_model: the embed dim (required).
 *   dropout: the dropout value (default=0.1).
 *   max_len: the max. length of the incoming sequence (default=5000).
 */
export class PositionalEncoding extends nn.Module {
  dropout: nn.Dropout;
  declare pe: Tensor;

  constructor(d_model: number, dropout = 0.1, max_len = 5000) {
    super();
    this.dropout = new nn.Dropout({ p: dropout });

    let pe = torch.zeros(max_len, d_model);
    const position = torch.arange(0, max_len, { dtype: torch.float }).unsqueeze(1);
    const div_term = torch.exp(torch.arange(0, d_model, 2).float().mul(-Math.log(10000.0) / d_model));
    pe.index_put_([torch.slice(null), torch.slice(0, null, 2)], torch.sin(position.mul(div_term)));
    pe.index_put_([torch.slice(null), torch.slice(1, null, 2)], torch.cos(position.mul(div_term)));
    pe = pe.unsqueeze(0).transpose(0, 1);
    this.register_buffer("pe", pe);
  }

  /**
   * Inputs of forward function
   * Args:
   *   x: the sequence fed to the positional encoder model (required).
   * Shape:
   *   x: [sequence length, batch size, embed dim]
   *   output: [sequence length, batch size, embed dim]
   */
  override forward(x: Tensor): Tensor {
    x = x.add(this.pe.index(torch.slice(x.size(0)), torch.slice(null)));
    return this.dropout(x);
  }
}

/** Container module with an encoder, a recurrent or transformer module, and a decoder. */
export class TransformerModel extends nn.Transformer {
  model_type: string;
  src_mask: Tensor | null;
  pos_encoder: PositionalEncoding;
  input_emb: nn.Embedding;
  ninp: number;
  override decoder: nn.Linear;

  constructor(ntoken: number, ninp: number, nhead: number, nhid: number, nlayers: number, dropout = 0.5) {
    super({ d_model: ninp, nhead, dim_feedforward: nhid, num_encoder_layers: nlayers });
    this.model_type = "Transformer";
    this.src_mask = null;
    this.pos_encoder = new PositionalEncoding(ninp, dropout);

    this.input_emb = new nn.Embedding(ntoken, ninp);
    this.ninp = ninp;
    this.decoder = new nn.Linear(ninp, ntoken);

    this.init_weights();
  }

  _generate_square_subsequent_mask(sz: number): Tensor {
    return torch.log(torch.tril(torch.ones(sz, sz)));
  }

  init_weights(): void {
    const initrange = 0.1;
    nn.init.uniform_(this.input_emb.weight, -initrange, initrange);
    nn.init.zeros_(this.decoder.bias!);
    nn.init.uniform_(this.decoder.weight, -initrange, initrange);
  }

  // @ts-expect-error: TypeScript wants an override's parameters to fit the base's, nn.Transformer's
  // forward(src, tgt, …); Python lets this model's forward take others, as the example's does
  override forward(src: Tensor, has_mask = true): Tensor {
    if (has_mask) {
      const device = src.device;
      if (this.src_mask === null || this.src_mask.size(0) !== src.length) {
        const mask = this._generate_square_subsequent_mask(src.length).to(device);
        this.src_mask = mask;
      }
    } else {
      this.src_mask = null;
    }

    src = this.input_emb(src).mul(Math.sqrt(this.ninp));
    src = this.pos_encoder(src);
    let output = this.encoder(src, { mask: this.src_mask });
    output = this.decoder(output);
    return F.log_softmax(output, { dim: -1 });
  }
}
