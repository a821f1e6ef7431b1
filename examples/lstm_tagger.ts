// "Deep Learning for NLP with PyTorch", Sequence Models and Long Short-Term Memory Networks
// (Robert Guthrie; pytorch/tutorials beginner_source/nlp/sequence_models_tutorial.py): a first
// look at nn.LSTM, stepping through a sequence and then taking it all at once, and an LSTM
// part-of-speech tagger (word embeddings, an LSTM and a linear map to log-softmax tag scores)
// trained with NLLLoss and SGD on two sentences, its scores printed before and after training.
// Translated by the rules of shared/API.md; tools/examples_py/lstm_tagger.py is the same program
// in Python, and test/examples.test.ts checks that this one prints what that one prints under
// PyTorch.
//
//   node --conditions=source --import tsx examples/lstm_tagger.ts

import torch from "typetorch";
import { print } from "./pyprint.js";

const nn = torch.nn;
const F = torch.nn.functional;
const optim = torch.optim;

torch.manual_seed(1);

const lstm = new nn.LSTM(3, 3); // Input dim is 3, output dim is 3
let inputs = Array.from({ length: 5 }, () => torch.randn(1, 3)); // make a sequence of length 5

// initialize the hidden state.
let hidden: [torch.Tensor, torch.Tensor] = [torch.randn(1, 1, 3),
  torch.randn(1, 1, 3)];
let out: torch.Tensor;
for (const i of inputs) {
  // Step through the sequence one element at a time.
  // after each step, hidden contains the hidden state.
  [out, hidden] = lstm(i.view(1, 1, -1), hidden);
}

// alternatively, we can do the entire sequence all at once.
// the first value returned by LSTM is all of the hidden states throughout
// the sequence. the second is just the most recent hidden state
// (compare the last slice of "out" with "hidden" below, they are the same)
// The reason for this is that:
// "out" will give you access to all hidden states in the sequence
// "hidden" will allow you to continue the sequence and backpropagate,
// by passing it as an argument  to the lstm at a later time
// Add the extra 2nd dimension
const sequence = torch.cat(inputs).view(inputs.length, 1, -1);
hidden = [torch.randn(1, 1, 3), torch.randn(1, 1, 3)]; // clean out hidden state
[out, hidden] = lstm(sequence, hidden);
print(out);
print(hidden);


// Example: An LSTM for Part-of-Speech Tagging
//
// Prepare data:

function prepare_sequence(seq: string[], to_ix: Map<string, number>): torch.Tensor {
  const idxs = seq.map((w) => to_ix.get(w)!);
  return torch.tensor(idxs, { dtype: torch.long });
}

const training_data: Array<[string[], string[]]> = [
  // Tags are: DET - determiner; NN - noun; V - verb
  // For example, the word "The" is a determiner
  ["The dog ate the apple".split(" "), ["DET", "NN", "V", "DET", "NN"]],
  ["Everybody read that book".split(" "), ["NN", "V", "DET", "NN"]],
];
const word_to_ix = new Map<string, number>(); // a Map keeps insertion order, as a Python dict
// For each words-list (sentence) and tags-list in each tuple of training_data
for (const [sent] of training_data) {
  for (const word of sent) {
    if (!word_to_ix.has(word)) { // word has not been assigned an index yet
      word_to_ix.set(word, word_to_ix.size); // Assign each word with a unique index
    }
  }
}
print(word_to_ix);
const tag_to_ix = new Map([["DET", 0], ["NN", 1], ["V", 2]]); // Assign each tag with a unique index

// These will usually be more like 32 or 64 dimensional.
// We will keep them small, so we can see how the weights change as we train.
const EMBEDDING_DIM = 6;
const HIDDEN_DIM = 6;


// Create the model:

class LSTMTagger extends nn.Module {
  hidden_dim: number;
  word_embeddings: torch.nn.Embedding;
  lstm: torch.nn.LSTM;
  hidden2tag: torch.nn.Linear;

  constructor(embedding_dim: number, hidden_dim: number, vocab_size: number, tagset_size: number) {
    super();
    this.hidden_dim = hidden_dim;

    this.word_embeddings = new nn.Embedding(vocab_size, embedding_dim);

    // The LSTM takes word embeddings as inputs, and outputs hidden states
    // with dimensionality hidden_dim.
    this.lstm = new nn.LSTM(embedding_dim, hidden_dim);

    // The linear layer that maps from hidden state space to tag space
    this.hidden2tag = new nn.Linear(hidden_dim, tagset_size);
  }

  override forward(sentence: torch.Tensor): torch.Tensor {
    const embeds = this.word_embeddings(sentence);
    const [lstm_out] = this.lstm(embeds.view(sentence.size(0), 1, -1));
    const tag_space = this.hidden2tag(lstm_out.view(sentence.size(0), -1));
    const tag_scores = F.log_softmax(tag_space, { dim: 1 });
    return tag_scores;
  }
}


// Train the model:

const model = new LSTMTagger(EMBEDDING_DIM, HIDDEN_DIM, word_to_ix.size, tag_to_ix.size);
const loss_function = new nn.NLLLoss();
const optimizer = new optim.SGD(model.parameters(), { lr: 0.1 });

// See what the scores are before training
// Note that element i,j of the output is the score for tag j for word i.
// Here we don't need to train, so the code is wrapped in torch.no_grad()
torch.no_grad(() => {
  const inputs = prepare_sequence(training_data[0]![0], word_to_ix);
  const tag_scores = model(inputs);
  print(tag_scores);
});

for (let epoch = 0; epoch < 300; epoch++) { // again, normally you would NOT do 300 epochs, it is toy data
  for (const [sentence, tags] of training_data) {
    // Step 1. Remember that Pytorch accumulates gradients.
    // We need to clear them out before each instance
    model.zero_grad();

    // Step 2. Get our inputs ready for the network, that is, turn them into
    // Tensors of word indices.
    const sentence_in = prepare_sequence(sentence, word_to_ix);
    const targets = prepare_sequence(tags, tag_to_ix);

    // Step 3. Run our forward pass.
    const tag_scores = model(sentence_in);

    // Step 4. Compute the loss, gradients, and update the parameters by
    //  calling optimizer.step()
    const loss = loss_function(tag_scores, targets);
    loss.backward();
    optimizer.step();
  }
}

// See what the scores are after training
torch.no_grad(() => {
  const inputs = prepare_sequence(training_data[0]![0], word_to_ix);
  const tag_scores = model(inputs);

  // The sentence is "the dog ate the apple".  i,j corresponds to score for tag j
  // for word i. The predicted tag is the maximum scoring tag.
  // Here, we can see the predicted sequence below is 0 1 2 0 1
  // since 0 is index of the maximum value of row 1,
  // 1 is the index of maximum value of row 2, etc.
  // Which is DET NOUN VERB DET NOUN, the correct sequence!
  print(tag_scores);
});
