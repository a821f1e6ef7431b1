// The word-level language model (pytorch/examples word_language_model/main.py, with its data.py
// and model.py beside this file), small: the corpus is examples/data/tiny_corpus (a thousand
// words) instead of Wikitext-2, the defaults are smaller (16-unit embeddings and layers, batches of
// 4, 8-step bptt, 2 epochs, a log every 5 batches), the printed lines leave out the timings (they
// change from run to run), the best model is kept as its state_dict (typetorch cannot pickle a
// Python class), and the ONNX export is left out. Everything else is the example's program,
// translated by the rules of shared/API.md; tools/examples_py/word_language_model/ holds the same
// program in Python, and test/examples.test.ts checks that this one prints what that one prints
// under PyTorch, as the LSTM and as the Transformer (--lr 5, as the example's README runs it).
//
//   node --conditions=source --import tsx examples/word_language_model/main.ts [--model LSTM|GRU|RNN_TANH|Transformer] [--lr 5] …

import { tmpdir } from "node:os";
import { join } from "node:path";
import torch, { nn, type Tensor } from "typetorch";
import { fixed, print } from "../pyprint.js";
import * as data from "./data.js";
import { RNNModel, TransformerModel, type Hidden } from "./model.js";

// argparse's parser, its options and defaults: `--name value`, or `--name` alone for a flag
const defaults = {
  data: "./examples/data/tiny_corpus", // location of the data corpus
  model: "LSTM", // type of network (RNN_TANH, RNN_RELU, LSTM, GRU, Transformer)
  emsize: 16, // size of word embeddings
  nhid: 16, // number of hidden units per layer
  nlayers: 2, // number of layers
  lr: 20, // initial learning rate
  clip: 0.25, // gradient clipping
  epochs: 2, // upper epoch limit
  batch_size: 4, // batch size
  bptt: 8, // sequence length
  dropout: 0.2, // dropout applied to layers (0 = no dropout)
  tied: false, // tie the word embedding and softmax weights
  seed: 1111, // random seed
  log_interval: 5, // report interval
  save: join(tmpdir(), `wlm_model_${process.pid}.pt`), // path to save the final model
  nhead: 2, // the number of heads in the encoder/decoder of the transformer model
  dry_run: false, // verify the code and the model
  accel: false, // Enables accelerated training
  use_optimizer: false, // Uses AdamW optimizer for gradient updating
};
function parse_args(argv: string[]): typeof defaults {
  const args: Record<string, unknown> = { ...defaults };
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i]!.replace(/^--/, "").replace(/-/g, "_");
    if (!(key in defaults)) throw new Error(`main.ts: error: unrecognized arguments: ${argv[i]}`);
    const d = (defaults as Record<string, unknown>)[key];
    args[key] = typeof d === "boolean" ? true : typeof d === "number" ? Number(argv[++i]) : argv[++i];
  }
  return args as typeof defaults;
}
const args = parse_args(process.argv.slice(2));

// Set the random seed manually for reproducibility.
torch.manual_seed(args.seed);

let device: torch.device;
if (args.accel && torch.accelerator.is_available()) {
  device = torch.accelerator.current_accelerator()!;
} else {
  device = torch.device("cpu");
}

print("Using device:", device);

// ###############################################################################
// Load data
// ###############################################################################

const corpus = new data.Corpus(args.data);

// Starting from sequential data, batchify arranges the dataset into columns.
// For instance, with the alphabet as the sequence and batch size 4, we'd get
// ┌ a g m s ┐
// │ b h n t │
// │ c i o u │
// │ d j p v │
// │ e k q w │
// └ f l r x ┘.
// These columns are treated as independent by the model, which means that the
// dependence of e. g. 'g' on 'f' can not be learned, but allows more efficient
// batch processing.

function batchify(data: Tensor, bsz: number): Tensor {
  // Work out how cleanly we can divide the dataset into bsz parts.
  const nbatch = Math.floor(data.size(0) / bsz);
  // Trim off any extra elements that wouldn't cleanly fit (remainders).
  data = data.narrow(0, 0, nbatch * bsz);
  // Evenly divide the data across the bsz batches.
  data = data.view(bsz, -1).t().contiguous();
  return data.to(device);
}

const eval_batch_size = 10;
const train_data = batchify(corpus.train, args.batch_size);
const val_data = batchify(corpus.valid, eval_batch_size);
const test_data = batchify(corpus.test, eval_batch_size);

// ###############################################################################
// Build the model
// ###############################################################################

const ntokens = corpus.dictionary.length;
let model: RNNModel | TransformerModel;
if (args.model === "Transformer") {
  model = new TransformerModel(ntokens, args.emsize, args.nhead, args.nhid, args.nlayers, args.dropout).to(device);
} else {
  model = new RNNModel(args.model, ntokens, args.emsize, args.nhid, args.nlayers, args.dropout, args.tied).to(device);
}

const criterion = new nn.NLLLoss();
let optimizer: torch.optim.AdamW | undefined;
if (args.use_optimizer) optimizer = new torch.optim.AdamW(model.parameters(), { lr: args.lr });

// ###############################################################################
// Training code
// ###############################################################################

/** Wraps hidden states in new Tensors, to detach them from their history. */
function repackage_hidden(h: Hidden): Hidden {
  if (h instanceof torch.Tensor) {
    return h.detach();
  } else {
    return h.map((v) => repackage_hidden(v)) as [Tensor, Tensor];
  }
}

// get_batch subdivides the source data into chunks of length args.bptt.
// If source is equal to the example output of the batchify function, with
// a bptt-limit of 2, we'd get the following two Variables for i = 0:
// ┌ a g m s ┐ ┌ b h n t ┐
// └ b h n t ┘ └ c i o u ┘
// Note that despite the name of the function, the subdivison of data is not
// done along the batch dimension (i.e. dimension 1), since that was handled
// by the batchify function. The chunks are along dimension 0, corresponding
// to the seq_len dimension in the LSTM.

function get_batch(source: Tensor, i: number): [Tensor, Tensor] {
  const seq_len = Math.min(args.bptt, source.length - 1 - i);
  const data = source.index(torch.slice(i, i + seq_len));
  const target = source.index(torch.slice(i + 1, i + 1 + seq_len)).view(-1);
  return [data, target];
}

function evaluate(data_source: Tensor): number {
  // Turn on evaluation mode which disables dropout.
  model.eval();
  let total_loss = 0;
  const ntokens = corpus.dictionary.length;
  let hidden: Hidden | undefined;
  if (args.model !== "Transformer") hidden = (model as RNNModel).init_hidden(eval_batch_size);
  torch.no_grad(() => {
    for (let i = 0; i < data_source.size(0) - 1; i += args.bptt) {
      const [data, targets] = get_batch(data_source, i);
      let output: Tensor;
      if (args.model === "Transformer") {
        output = (model as TransformerModel)(data);
        output = output.view(-1, ntokens);
      } else {
        [output, hidden] = (model as RNNModel)(data, hidden!);
        hidden = repackage_hidden(hidden!);
      }
      total_loss += data.length * criterion(output, targets).item();
    }
  });
  return total_loss / (data_source.length - 1);
}

function train(): void {
  // Turn on training mode which enables dropout.
  model.train();
  let total_loss = 0;
  const ntokens = corpus.dictionary.length;
  let hidden: Hidden | undefined;
  if (args.model !== "Transformer") hidden = (model as RNNModel).init_hidden(args.batch_size);
  for (let batch = 0, i = 0; i < train_data.size(0) - 1; batch++, i += args.bptt) {
    const [data, targets] = get_batch(train_data, i);
    // Starting each batch, we detach the hidden state from how it was previously produced.
    // If we didn't, the model would try backpropagating all the way to start of the dataset.
    if (args.use_optimizer) {
      optimizer!.zero_grad();
    } else {
      model.zero_grad();
    }
    let output: Tensor;
    if (args.model === "Transformer") {
      output = (model as TransformerModel)(data);
      output = output.view(-1, ntokens);
    } else {
      hidden = repackage_hidden(hidden!);
      [output, hidden] = (model as RNNModel)(data, hidden);
    }
    const loss = criterion(output, targets);
    loss.backward();

    // `clip_grad_norm` helps prevent the exploding gradient problem in RNNs / LSTMs.
    torch.nn.utils.clip_grad_norm_(model.parameters(), args.clip);
    if (args.use_optimizer) {
      optimizer!.step();
    } else {
      for (const p of model.parameters()) p.data.add_(p.grad!, { alpha: -lr });
    }

    total_loss += loss.item();

    if (batch % args.log_interval === 0 && batch > 0) {
      const cur_loss = total_loss / args.log_interval;
      print(`| epoch ${String(epoch).padStart(3)} | ${String(batch).padStart(5)}/${String(Math.floor(train_data.length / args.bptt)).padStart(5)} batches | ` +
        `lr ${fixed(lr, 2).padStart(2, "0")} | loss ${fixed(cur_loss, 2).padStart(5)} | ppl ${fixed(Math.exp(cur_loss), 2).padStart(8)}`);
      total_loss = 0;
    }
    if (args.dry_run) break;
  }
}

// Loop over epochs.
let lr = args.lr;
let best_val_loss: number | null = null;
let epoch = 1;

for (; epoch < args.epochs + 1; epoch++) {
  train();
  const val_loss = evaluate(val_data);
  print("-".repeat(89));
  print(`| end of epoch ${String(epoch).padStart(3)} | valid loss ${fixed(val_loss, 2).padStart(5)} | ` +
    `valid ppl ${fixed(Math.exp(val_loss), 2).padStart(8)}`);
  print("-".repeat(89));
  // Save the model if the validation loss is the best we've seen so far.
  if (!best_val_loss || val_loss < best_val_loss) {
    torch.save(model.state_dict(), args.save);
    best_val_loss = val_loss;
  } else {
    // Anneal the learning rate if no improvement has been seen in the validation dataset.
    lr /= 4.0;
  }
}

// Load the best saved model.
model.load_state_dict(torch.load(args.save));
// after load the rnn params are not a continuous chunk of memory
// this makes them a continuous chunk, and will speed up forward pass
// Currently, only rnn model supports flatten_parameters function.
if (["RNN_TANH", "RNN_RELU", "LSTM", "GRU"].includes(args.model)) (model as RNNModel).rnn.flatten_parameters();

// Run on test data.
const test_loss = evaluate(test_data);
print("=".repeat(89));
print(`| End of training | test loss ${fixed(test_loss, 2).padStart(5)} | test ppl ${fixed(Math.exp(test_loss), 2).padStart(8)}`);
print("=".repeat(89));
