// "NLP From Scratch: Generating Names with a Character-Level RNN" (pytorch/tutorials
// intermediate_source/char_rnn_generation_tutorial.py), small: the data/names/*.txt files are
// replaced by a few names of four languages written below, Python's `random` by torch's generator
// (randomChoice draws with torch.randint, seeded), the training runs 1000 iterations with a
// print every 125 (without the elapsed time, which changes from run to run) and a 64-unit hidden
// layer, and the plot of all_losses is a print of them. Everything else is the tutorial's program
// (its parameter update uses the deprecated add_(-learning_rate, grad) form, as the tutorial
// does), translated by the rules of shared/API.md; tools/examples_py/char_rnn_generation.py is the
// same program in Python, and test/examples.test.ts checks that this one prints what that one
// prints under PyTorch.
//
//   node --conditions=source --import tsx examples/char_rnn_generation.ts

import torch, { nn, type Tensor } from "typetorch";
import { fixed, list, print } from "./pyprint.js";

torch.manual_seed(0);

const ascii_letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
const all_letters = ascii_letters + " .,;'-";
const n_letters = all_letters.length + 1; // Plus EOS marker

// Turn a Unicode string to plain ASCII, thanks to http://stackoverflow.com/a/518232/2809427
function unicodeToAscii(s: string): string {
  return [...s.normalize("NFD")]
    .filter((c) => !/\p{Mn}/u.test(c) && all_letters.includes(c))
    .join("");
}

const NAMES: Record<string, string[]> = {
  Russian: ["Abramov", "Babinov", "Dubrovin", "Ivanov", "Kozlov", "Petrov", "Romanov", "Sokolov", "Utkin", "Volkov"],
  German: ["Bauer", "Engel", "Fischer", "Gerber", "Hoffmann", "Kruger", "Müller", "Richter", "Schmidt", "Wagner"],
  Spanish: ["Alvarez", "Castillo", "Garcia", "Lopez", "Martínez", "Nuñez", "Perez", "Ramos", "Sanchez", "Torres"],
  Chinese: ["Chen", "Chang", "Huang", "Hui", "Lin", "Liu", "Shen", "Wang", "Xiong", "Zhou"],
};

// Build the category_lines dictionary, a list of lines per category
const category_lines: Record<string, string[]> = {};
const all_categories: string[] = [];
for (const [category, names] of Object.entries(NAMES)) {
  all_categories.push(category);
  const lines = names.map((line) => unicodeToAscii(line));
  category_lines[category] = lines;
}

const n_categories = all_categories.length;

print("# categories:", n_categories, list(all_categories));
print(unicodeToAscii("O'Néàl"));

class RNN extends nn.Module {
  hidden_size: number;
  i2h: nn.Linear;
  i2o: nn.Linear;
  o2o: nn.Linear;
  dropout = new nn.Dropout(0.1);
  softmax = new nn.LogSoftmax({ dim: 1 });

  constructor(input_size: number, hidden_size: number, output_size: number) {
    super();
    this.hidden_size = hidden_size;

    this.i2h = new nn.Linear(n_categories + input_size + hidden_size, hidden_size);
    this.i2o = new nn.Linear(n_categories + input_size + hidden_size, output_size);
    this.o2o = new nn.Linear(hidden_size + output_size, output_size);
  }

  override forward(category: Tensor, input: Tensor, hidden: Tensor): [Tensor, Tensor] {
    const input_combined = torch.cat([category, input, hidden], 1);
    hidden = this.i2h(input_combined);
    let output = this.i2o(input_combined);
    const output_combined = torch.cat([hidden, output], 1);
    output = this.o2o(output_combined);
    output = this.dropout(output);
    output = this.softmax(output);
    return [output, hidden];
  }

  initHidden(): Tensor {
    return torch.zeros(1, this.hidden_size);
  }
}

// Random item from a list
function randomChoice<T>(l: readonly T[]): T {
  return l[torch.randint(0, l.length, []).item()]!;
}

// Get a random category and random line from that category
function randomTrainingPair(): [string, string] {
  const category = randomChoice(all_categories);
  const line = randomChoice(category_lines[category]!);
  return [category, line];
}

// One-hot vector for category
function categoryTensor(category: string): Tensor {
  const li = all_categories.indexOf(category);
  const tensor = torch.zeros(1, n_categories);
  tensor.index(0).index_put_([li], 1);
  return tensor;
}

// One-hot matrix of first to last letters (not including EOS) for input
function inputTensor(line: string): Tensor {
  const tensor = torch.zeros(line.length, 1, n_letters);
  for (let li = 0; li < line.length; li++) {
    const letter = line[li]!;
    tensor.index(li).index(0).index_put_([all_letters.indexOf(letter)], 1);
  }
  return tensor;
}

// LongTensor of second letter to end (EOS) for target
function targetTensor(line: string): Tensor {
  const letter_indexes = Array.from({ length: line.length - 1 }, (_, k) => all_letters.indexOf(line[k + 1]!));
  letter_indexes.push(n_letters - 1); // EOS
  return torch.LongTensor(letter_indexes);
}

// Make category, input, and target tensors from a random category, line pair
function randomTrainingExample(): [Tensor, Tensor, Tensor] {
  const [category, line] = randomTrainingPair();
  const category_tensor = categoryTensor(category);
  const input_line_tensor = inputTensor(line);
  const target_line_tensor = targetTensor(line);
  return [category_tensor, input_line_tensor, target_line_tensor];
}

const criterion = new nn.NLLLoss();

const learning_rate = 0.0005;

function train(category_tensor: Tensor, input_line_tensor: Tensor, target_line_tensor: Tensor): [Tensor, number] {
  target_line_tensor.unsqueeze_(-1);
  let hidden = rnn.initHidden();

  rnn.zero_grad();

  let loss: Tensor | number = 0;

  let output!: Tensor;
  for (let i = 0; i < input_line_tensor.size(0); i++) {
    [output, hidden] = rnn(category_tensor, input_line_tensor.index(i), hidden);
    const l = criterion(output, target_line_tensor.index(i));
    loss = torch.add(loss, l);
  }

  (loss as Tensor).backward();

  for (const p of rnn.parameters()) p.data.add_(-learning_rate, p.grad!.data);

  return [output, (loss as Tensor).item() / input_line_tensor.size(0)];
}

const rnn = new RNN(n_letters, 64, n_letters);

const n_iters = 1000;
const print_every = 125;
const plot_every = 50;
const all_losses: number[] = [];
let total_loss = 0; // Reset every plot_every iters

for (let iter = 1; iter < n_iters + 1; iter++) {
  const [, loss] = train(...randomTrainingExample());
  total_loss += loss;

  if (iter % print_every === 0) {
    print(`(${iter} ${Math.trunc((iter / n_iters) * 100)}%) ${fixed(loss, 4)}`);
  }

  if (iter % plot_every === 0) {
    all_losses.push(total_loss / plot_every);
    total_loss = 0;
  }
}

print("average losses:", all_losses.map((l) => fixed(l, 4)).join(" "));

const max_length = 20;

// Sample from a category and starting letter
function sample(category: string, start_letter = "A"): string {
  return torch.no_grad(() => { // no need to track history in sampling
    const category_tensor = categoryTensor(category);
    let input = inputTensor(start_letter);
    let hidden = rnn.initHidden();

    let output_name = start_letter;

    for (let i = 0; i < max_length; i++) {
      let output: Tensor;
      [output, hidden] = rnn(category_tensor, input.index(0), hidden);
      let [, topi] = output.topk(1);
      topi = topi!.index(0).index(0);
      let letter: string;
      if (topi.item() === n_letters - 1) {
        break;
      } else {
        letter = all_letters[topi.item()]!;
        output_name += letter;
      }
      input = inputTensor(letter);
    }

    return output_name;
  });
}

// Get multiple samples from one category and multiple starting letters
function samples(category: string, start_letters = "ABC"): void {
  for (const start_letter of start_letters) print(sample(category, start_letter));
}

samples("Russian", "RUS");

samples("German", "GER");

samples("Spanish", "SPA");

samples("Chinese", "CHI");
