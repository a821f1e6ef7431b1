// NLP From Scratch: Translation with a Sequence to Sequence Network and Attention (the PyTorch
// tutorial seq2seq_translation_tutorial.py), small: the tutorial's download of Tatoeba's
// eng-fra.txt is replaced by examples/data/eng-fra.txt, 220 English-French pairs written for
// typetorch in the same format; the model is smaller (hidden_size 32) and trains for 20 epochs at
// learning_rate 0.01 instead of 80 at 0.001; random.choice(pairs) draws from torch's generator so
// that both programs draw the same pairs, and the seed is set; the loss lines leave out the elapsed
// and remaining times, and the plots are printed as text. Everything else is the tutorial's
// program, translated by the rules of shared/API.md; tools/examples_py/seq2seq_translation.py is
// the same program in Python (its header lists each change), and test/examples.test.ts checks that
// this one prints what that one prints under PyTorch.
//
//   node --conditions=source --import tsx examples/seq2seq_translation.ts

import torch, { nn, optim, type Tensor } from "typetorch";
import { readFileSync } from "node:fs";
import { fixed, list, print } from "./pyprint.js";

const F = torch.nn.functional;
const { TensorDataset, DataLoader, RandomSampler } = torch.utils.data;

const device = torch.device("cpu");
torch.manual_seed(0);

const SOS_token = 0;
const EOS_token = 1;

class Lang {
  word2index = new Map<string, number>();
  word2count = new Map<string, number>();
  index2word = new Map<number, string>([[0, "SOS"], [1, "EOS"]]);
  n_words = 2; // Count SOS and EOS

  constructor(readonly name: string) {}

  addSentence(sentence: string): void {
    for (const word of sentence.split(" ")) this.addWord(word);
  }

  addWord(word: string): void {
    if (!this.word2index.has(word)) {
      this.word2index.set(word, this.n_words);
      this.word2count.set(word, 1);
      this.index2word.set(this.n_words, word);
      this.n_words += 1;
    } else {
      this.word2count.set(word, this.word2count.get(word)! + 1);
    }
  }
}

// Turn a Unicode string to plain ASCII, thanks to https://stackoverflow.com/a/518232/2809427
function unicodeToAscii(s: string): string {
  return [...s.normalize("NFD")].filter((c) => !/\p{Mn}/u.test(c)).join("");
}

// Lowercase, trim, and remove non-letter characters
function normalizeString(s: string): string {
  s = unicodeToAscii(s.toLowerCase().trim());
  s = s.replace(/([.!?])/g, " $1");
  s = s.replace(/[^a-zA-Z!?]+/g, " ");
  return s.trim();
}

type Pair = [string, string];

function readLangs(lang1: string, lang2: string, reverse = false): [Lang, Lang, Pair[]] {
  print("Reading lines...");

  // Read the file and split into lines
  const lines = readFileSync(new URL(`./data/${lang1}-${lang2}.txt`, import.meta.url), "utf8").trim().split("\n");

  // Split every line into pairs and normalize
  let pairs = lines.map((l) => l.split("\t").map(normalizeString) as Pair);

  // Reverse pairs, make Lang instances
  let input_lang: Lang, output_lang: Lang;
  if (reverse) {
    pairs = pairs.map((p) => [...p].reverse() as Pair);
    input_lang = new Lang(lang2);
    output_lang = new Lang(lang1);
  } else {
    input_lang = new Lang(lang1);
    output_lang = new Lang(lang2);
  }
  return [input_lang, output_lang, pairs];
}

const MAX_LENGTH = 10;

const eng_prefixes = [
  "i am ", "i m ",
  "he is", "he s ",
  "she is", "she s ",
  "you are", "you re ",
  "we are", "we re ",
  "they are", "they re ",
];

function filterPair(p: Pair): boolean {
  return p[0].split(" ").length < MAX_LENGTH &&
    p[1].split(" ").length < MAX_LENGTH &&
    eng_prefixes.some((prefix) => p[1].startsWith(prefix));
}

function filterPairs(pairs: Pair[]): Pair[] {
  return pairs.filter(filterPair);
}

function prepareData(lang1: string, lang2: string, reverse = false): [Lang, Lang, Pair[]] {
  let [input_lang, output_lang, pairs] = readLangs(lang1, lang2, reverse);
  print(`Read ${pairs.length} sentence pairs`);
  pairs = filterPairs(pairs);
  print(`Trimmed to ${pairs.length} sentence pairs`);
  print("Counting words...");
  for (const pair of pairs) {
    input_lang.addSentence(pair[0]);
    output_lang.addSentence(pair[1]);
  }
  print("Counted words:");
  print(input_lang.name, input_lang.n_words);
  print(output_lang.name, output_lang.n_words);
  return [input_lang, output_lang, pairs];
}

let [input_lang, output_lang, pairs] = prepareData("eng", "fra", true);
print(list(pairs[torch.randint(pairs.length, []).item()]!));

class EncoderRNN extends nn.Module {
  embedding: nn.Embedding;
  gru: nn.GRU;
  dropout: nn.Dropout;

  constructor(input_size: number, readonly hidden_size: number, dropout_p = 0.1) {
    super();
    this.embedding = new nn.Embedding(input_size, hidden_size);
    this.gru = new nn.GRU(hidden_size, hidden_size, { batch_first: true });
    this.dropout = new nn.Dropout(dropout_p);
  }

  override forward(input: Tensor): [Tensor, Tensor] {
    const embedded = this.dropout(this.embedding(input));
    const [output, hidden] = this.gru(embedded);
    return [output, hidden];
  }
}

class BahdanauAttention extends nn.Module {
  Wa: nn.Linear;
  Ua: nn.Linear;
  Va: nn.Linear;

  constructor(hidden_size: number) {
    super();
    this.Wa = new nn.Linear(hidden_size, hidden_size);
    this.Ua = new nn.Linear(hidden_size, hidden_size);
    this.Va = new nn.Linear(hidden_size, 1);
  }

  override forward(query: Tensor, keys: Tensor): [Tensor, Tensor] {
    let scores = this.Va(torch.tanh(this.Wa(query).add(this.Ua(keys))));
    scores = scores.squeeze(2).unsqueeze(1);

    const weights = F.softmax(scores, { dim: -1 });
    const context = torch.bmm(weights, keys);

    return [context, weights];
  }
}

class AttnDecoderRNN extends nn.Module {
  embedding: nn.Embedding;
  attention: BahdanauAttention;
  gru: nn.GRU;
  out: nn.Linear;
  dropout: nn.Dropout;

  constructor(hidden_size: number, output_size: number, dropout_p = 0.1) {
    super();
    this.embedding = new nn.Embedding(output_size, hidden_size);
    this.attention = new BahdanauAttention(hidden_size);
    this.gru = new nn.GRU(2 * hidden_size, hidden_size, { batch_first: true });
    this.out = new nn.Linear(hidden_size, output_size);
    this.dropout = new nn.Dropout(dropout_p);
  }

  override forward(encoder_outputs: Tensor, encoder_hidden: Tensor, target_tensor: Tensor | null = null): [Tensor, Tensor, Tensor] {
    const batch_size = encoder_outputs.size(0);
    let decoder_input = torch.empty(batch_size, 1, { dtype: torch.long, device }).fill_(SOS_token);
    let decoder_hidden = encoder_hidden;
    const decoder_outputs: Tensor[] = [];
    const attentions: Tensor[] = [];

    for (let i = 0; i < MAX_LENGTH; i++) {
      let decoder_output: Tensor, attn_weights: Tensor;
      [decoder_output, decoder_hidden, attn_weights] = this.forward_step(decoder_input, decoder_hidden, encoder_outputs);
      decoder_outputs.push(decoder_output);
      attentions.push(attn_weights);

      if (target_tensor !== null) {
        // Teacher forcing: Feed the target as the next input
        decoder_input = target_tensor.select(1, i).unsqueeze(1); // Teacher forcing
      } else {
        // Without teacher forcing: use its own predictions as the next input
        const [, topi] = decoder_output.topk(1);
        decoder_input = topi.squeeze(-1).detach(); // detach from history as input
      }
    }

    let outputs = torch.cat(decoder_outputs, { dim: 1 });
    outputs = F.log_softmax(outputs, { dim: -1 });
    const attention = torch.cat(attentions, { dim: 1 });

    return [outputs, decoder_hidden, attention];
  }

  forward_step(input: Tensor, hidden: Tensor, encoder_outputs: Tensor): [Tensor, Tensor, Tensor] {
    const embedded = this.dropout(this.embedding(input));

    const query = hidden.permute(1, 0, 2);
    const [context, attn_weights] = this.attention(query, encoder_outputs);
    const input_gru = torch.cat([embedded, context], { dim: 2 });

    let output: Tensor;
    [output, hidden] = this.gru(input_gru, hidden);
    output = this.out(output);

    return [output, hidden, attn_weights];
  }
}

function indexesFromSentence(lang: Lang, sentence: string): number[] {
  return sentence.split(" ").map((word) => lang.word2index.get(word)!);
}

function tensorFromSentence(lang: Lang, sentence: string): Tensor {
  const indexes = indexesFromSentence(lang, sentence);
  indexes.push(EOS_token);
  return torch.tensor(indexes, { dtype: torch.long, device }).view(1, -1);
}

type Loader = InstanceType<typeof DataLoader>;

function get_dataloader(batch_size: number): [Lang, Lang, Loader] {
  const [input_lang, output_lang, pairs] = prepareData("eng", "fra", true);

  const n = pairs.length;
  // np.zeros((n, MAX_LENGTH), dtype=np.int32), as the ndarray-like objects typetorch takes for NumPy's
  const input_ids = { data: new Int32Array(n * MAX_LENGTH), shape: [n, MAX_LENGTH] };
  const target_ids = { data: new Int32Array(n * MAX_LENGTH), shape: [n, MAX_LENGTH] };

  pairs.forEach(([inp, tgt], idx) => {
    const inp_ids = indexesFromSentence(input_lang, inp);
    const tgt_ids = indexesFromSentence(output_lang, tgt);
    inp_ids.push(EOS_token);
    tgt_ids.push(EOS_token);
    input_ids.data.set(inp_ids, idx * MAX_LENGTH); // input_ids[idx, :len(inp_ids)] = inp_ids
    target_ids.data.set(tgt_ids, idx * MAX_LENGTH);
  });

  const train_data = new TensorDataset(torch.LongTensor(input_ids).to(device), torch.LongTensor(target_ids).to(device));

  const train_sampler = new RandomSampler(train_data);
  const train_dataloader = new DataLoader(train_data, { sampler: train_sampler, batch_size });
  return [input_lang, output_lang, train_dataloader];
}

function train_epoch(dataloader: Loader, encoder: EncoderRNN, decoder: AttnDecoderRNN, encoder_optimizer: optim.Optimizer,
  decoder_optimizer: optim.Optimizer, criterion: nn.NLLLoss): number {
  let total_loss = 0;
  for (const data of dataloader) {
    const [input_tensor, target_tensor] = data;

    encoder_optimizer.zero_grad();
    decoder_optimizer.zero_grad();

    const [encoder_outputs, encoder_hidden] = encoder(input_tensor);
    const [decoder_outputs] = decoder(encoder_outputs, encoder_hidden, target_tensor);

    const loss = criterion(decoder_outputs.view(-1, decoder_outputs.size(-1)), target_tensor.view(-1));
    loss.backward();

    encoder_optimizer.step();
    decoder_optimizer.step();

    total_loss += loss.item();
  }
  return total_loss / dataloader.length;
}

function train(train_dataloader: Loader, encoder: EncoderRNN, decoder: AttnDecoderRNN, n_epochs: number, learning_rate = 0.001,
  print_every = 100, plot_every = 100): void {
  const plot_losses: number[] = [];
  let print_loss_total = 0; // Reset every print_every
  let plot_loss_total = 0; // Reset every plot_every

  const encoder_optimizer = new optim.Adam(encoder.parameters(), { lr: learning_rate });
  const decoder_optimizer = new optim.Adam(decoder.parameters(), { lr: learning_rate });
  const criterion = new nn.NLLLoss();

  for (let epoch = 1; epoch < n_epochs + 1; epoch++) {
    const loss = train_epoch(train_dataloader, encoder, decoder, encoder_optimizer, decoder_optimizer, criterion);
    print_loss_total += loss;
    plot_loss_total += loss;

    if (epoch % print_every === 0) {
      const print_loss_avg = print_loss_total / print_every;
      print_loss_total = 0;
      print(`(${epoch} ${Math.trunc((epoch / n_epochs) * 100)}%) ${fixed(print_loss_avg, 4)}`);
    }

    if (epoch % plot_every === 0) {
      const plot_loss_avg = plot_loss_total / plot_every;
      plot_losses.push(plot_loss_avg);
      plot_loss_total = 0;
    }
  }
}

function evaluate(encoder: EncoderRNN, decoder: AttnDecoderRNN, sentence: string, input_lang: Lang, output_lang: Lang): [string[], Tensor] {
  return torch.no_grad(() => {
    const input_tensor = tensorFromSentence(input_lang, sentence);

    const [encoder_outputs, encoder_hidden] = encoder(input_tensor);
    const [decoder_outputs, , decoder_attn] = decoder(encoder_outputs, encoder_hidden);

    const [, topi] = decoder_outputs.topk(1);
    const decoded_ids = topi.squeeze();

    const decoded_words: string[] = [];
    for (const idx of decoded_ids) {
      if (idx.item() === EOS_token) {
        decoded_words.push("<EOS>");
        break;
      }
      decoded_words.push(output_lang.index2word.get(idx.item())!);
    }
    return [decoded_words, decoder_attn];
  });
}

function evaluateRandomly(encoder: EncoderRNN, decoder: AttnDecoderRNN, n = 10): void {
  for (let i = 0; i < n; i++) {
    const pair = pairs[torch.randint(pairs.length, []).item()]!;
    print(">", pair[0]);
    print("=", pair[1]);
    const [output_words] = evaluate(encoder, decoder, pair[0], input_lang, output_lang);
    const output_sentence = output_words.join(" ");
    print("<", output_sentence);
    print("");
  }
}

const hidden_size = 32;
const batch_size = 32;

let train_dataloader: Loader;
[input_lang, output_lang, train_dataloader] = get_dataloader(batch_size);

const encoder = new EncoderRNN(input_lang.n_words, hidden_size).to(device);
const decoder = new AttnDecoderRNN(hidden_size, output_lang.n_words).to(device);

train(train_dataloader, encoder, decoder, 20, 0.01, 5, 5);

encoder.eval();
decoder.eval();
evaluateRandomly(encoder, decoder);

function showAttention(input_sentence: string, output_words: string[], attentions: Tensor): void {
  print("attention", [...attentions.shape], "argmax", list(attentions.argmax(-1).tolist() as number[]));
}

function evaluateAndShowAttention(input_sentence: string): void {
  const [output_words, attentions] = evaluate(encoder, decoder, input_sentence, input_lang, output_lang);
  print("input =", input_sentence);
  print("output =", output_words.join(" "));
  showAttention(input_sentence, output_words, attentions.index(0, torch.slice(null, output_words.length), torch.slice()));
}

evaluateAndShowAttention("il est tres fatigue !");

evaluateAndShowAttention("je ne suis pas pret");

evaluateAndShowAttention("elle est chanteuse");

evaluateAndShowAttention("nous sommes contents");
