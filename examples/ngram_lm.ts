// "Deep Learning for NLP with PyTorch", Word Embeddings: Encoding Lexical Semantics (Robert
// Guthrie; pytorch/tutorials beginner_source/nlp/word_embeddings_tutorial.py): an nn.Embedding
// lookup, then an N-gram language model on Shakespeare's Sonnet 2 (the embeddings of the two
// previous words, a hidden ReLU layer, log-softmax over the vocabulary) trained with NLLLoss
// and SGD, printing the total loss of each epoch and the learned embedding of "beauty".
// Translated by the rules of shared/API.md; tools/examples_py/ngram_lm.py is the same program in
// Python, and test/examples.test.ts checks that this one prints what that one prints under
// PyTorch.
//
// One change from the tutorial: it numbers the words in the order of `set(test_sentence)`,
// which for strings changes from one Python run to the next (hash randomisation), and with it
// the losses and the embedding printed; here the vocabulary is sorted (by code point, as
// Python's sorted() orders strings), so that every run and tools/examples_py/ngram_lm.py number
// the words alike.
//
//   node --conditions=source --import tsx examples/ngram_lm.ts

import torch from "typetorch";
import { float, list, print } from "./pyprint.js";

const nn = torch.nn;
const F = torch.nn.functional;
const optim = torch.optim;

torch.manual_seed(1);

let word_to_ix = new Map([["hello", 0], ["world", 1]]);
const embeds = new nn.Embedding(2, 5); // 2 words in vocab, 5 dimensional embeddings
const lookup_tensor = torch.tensor([word_to_ix.get("hello")!], { dtype: torch.long });
const hello_embed = embeds(lookup_tensor);
print(hello_embed);


// An Example: N-Gram Language Modeling

const CONTEXT_SIZE = 2;
const EMBEDDING_DIM = 10;
// We will use Shakespeare Sonnet 2
const test_sentence = `When forty winters shall besiege thy brow,
And dig deep trenches in thy beauty's field,
Thy youth's proud livery so gazed on now,
Will be a totter'd weed of small worth held:
Then being asked, where all thy beauty lies,
Where all the treasure of thy lusty days;
To say, within thine own deep sunken eyes,
Were an all-eating shame, and thriftless praise.
How much more praise deserv'd thy beauty's use,
If thou couldst answer 'This fair child of mine
Shall sum my count, and make my old excuse,'
Proving his beauty by succession thine!
This were to be new made when thou art old,
And see thy blood warm when thou feel'st it cold.`.split(/\s+/);
// we should tokenize the input, but we will ignore that for now
// build a list of tuples.
// Each tuple is ([ word_i-CONTEXT_SIZE, ..., word_i-1 ], target word)
const ngrams: Array<[string[], string]> = [];
for (let i = CONTEXT_SIZE; i < test_sentence.length; i++) {
  ngrams.push([
    Array.from({ length: CONTEXT_SIZE }, (_, j) => test_sentence[i - j - 1]!),
    test_sentence[i]!,
  ]);
}
// Print the first 3, just so you can see what they look like.
print(list(ngrams.slice(0, 3).map(([context, target]) => [list(context), target])));

const vocab = [...new Set(test_sentence)].sort(); // the tutorial: set(test_sentence), see above
word_to_ix = new Map(vocab.map((word, i) => [word, i]));


class NGramLanguageModeler extends nn.Module {
  embeddings: torch.nn.Embedding;
  linear1: torch.nn.Linear;
  linear2: torch.nn.Linear;

  constructor(vocab_size: number, embedding_dim: number, context_size: number) {
    super();
    this.embeddings = new nn.Embedding(vocab_size, embedding_dim);
    this.linear1 = new nn.Linear(context_size * embedding_dim, 128);
    this.linear2 = new nn.Linear(128, vocab_size);
  }

  override forward(inputs: torch.Tensor): torch.Tensor {
    const embeds = this.embeddings(inputs).view([1, -1]);
    let out = F.relu(this.linear1(embeds));
    out = this.linear2(out);
    const log_probs = F.log_softmax(out, { dim: 1 });
    return log_probs;
  }
}


const losses: number[] = [];
const loss_function = new nn.NLLLoss();
const model = new NGramLanguageModeler(vocab.length, EMBEDDING_DIM, CONTEXT_SIZE);
const optimizer = new optim.SGD(model.parameters(), { lr: 0.001 });

for (let epoch = 0; epoch < 10; epoch++) {
  let total_loss = 0;
  for (const [context, target] of ngrams) {

    // Step 1. Prepare the inputs to be passed to the model (i.e, turn the words
    // into integer indices and wrap them in tensors)
    const context_idxs = torch.tensor(context.map((w) => word_to_ix.get(w)!), { dtype: torch.long });

    // Step 2. Recall that torch *accumulates* gradients. Before passing in a
    // new instance, you need to zero out the gradients from the old
    // instance
    model.zero_grad();

    // Step 3. Run the forward pass, getting log probabilities over next
    // words
    const log_probs = model(context_idxs);

    // Step 4. Compute your loss function. (Again, Torch wants the target
    // word wrapped in a tensor)
    const loss = loss_function(log_probs, torch.tensor([word_to_ix.get(target)!], { dtype: torch.long }));

    // Step 5. Do the backward pass and update the gradient
    loss.backward();
    optimizer.step();

    // Get the Python number from a 1-element Tensor by calling tensor.item()
    total_loss += loss.item() as number;
  }
  losses.push(total_loss);
}
print(list(losses.map(float))); // The loss decreased every iteration over the training data!

// To get the embedding of a particular word, e.g. "beauty"
print(model.embeddings.weight.index(word_to_ix.get("beauty")!));
