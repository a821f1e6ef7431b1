// Time sequence prediction (pytorch/examples time_sequence_prediction: generate_sine_wave.py and
// train.py): two stacked LSTMCells learn sine waves with LBFGS, then predict beyond them. Changed
// for a test that runs in seconds: 10 waves of 50 steps (not 100 of 1000) drawn with torch's
// generator instead of numpy's, 2 LBFGS steps (not 15), 20 future steps (not 1000), no plots.
// Translated by the rules of shared/API.md; tools/examples_py/time_sequence_prediction.py is the
// same program in Python, and test/examples.test.ts checks that this one prints what that one
// prints under PyTorch.
//
//   node --conditions=source --import tsx examples/time_sequence_prediction.ts

import torch, { nn, optim, type Tensor } from "typetorch";
import { print, pyfloat } from "./pyprint.js";

function generate_sine_wave(): Tensor {
  torch.manual_seed(2);
  const T = 20;
  const L = 50;
  const N = 10;
  const x = torch.arange(L, { dtype: torch.int64 }).add(torch.randint(-4 * T, 4 * T, [N, 1]));
  return torch.sin(x.double().div(1.0).div(T));
}

class Sequence extends nn.Module {
  lstm1 = new nn.LSTMCell(1, 51);
  lstm2 = new nn.LSTMCell(51, 51);
  linear = new nn.Linear(51, 1);

  override forward(input: Tensor, future = 0): Tensor {
    const outputs: Tensor[] = [];
    let h_t = torch.zeros(input.size(0), 51, { dtype: torch.double });
    let c_t = torch.zeros(input.size(0), 51, { dtype: torch.double });
    let h_t2 = torch.zeros(input.size(0), 51, { dtype: torch.double });
    let c_t2 = torch.zeros(input.size(0), 51, { dtype: torch.double });

    let output!: Tensor;
    for (const input_t of input.split(1, 1)) {
      [h_t, c_t] = this.lstm1(input_t, [h_t, c_t]);
      [h_t2, c_t2] = this.lstm2(h_t, [h_t2, c_t2]);
      output = this.linear(h_t2);
      outputs.push(output);
    }
    for (let i = 0; i < future; i++) { // if we should predict the future
      [h_t, c_t] = this.lstm1(output, [h_t, c_t]);
      [h_t2, c_t2] = this.lstm2(h_t, [h_t2, c_t2]);
      output = this.linear(h_t2);
      outputs.push(output);
    }
    return torch.cat(outputs, 1);
  }
}

const steps = 2;
const data = generate_sine_wave();
// set random seed to 0
torch.manual_seed(0);
// load data and make training set
const input = data.index(torch.slice(3, null), torch.slice(null, -1));
const target = data.index(torch.slice(3, null), torch.slice(1, null));
const test_input = data.index(torch.slice(null, 3), torch.slice(null, -1));
const test_target = data.index(torch.slice(null, 3), torch.slice(1, null));
// build the model
const seq = new Sequence();
seq.double();
const criterion = new nn.MSELoss();
// use LBFGS as optimizer since we can load the whole data to train
const optimizer = new optim.LBFGS(seq.parameters(), { lr: 0.8 });
// begin to train
let y!: Tensor;
for (let i = 0; i < steps; i++) {
  print("STEP: ", i);
  const closure = (): Tensor => {
    optimizer.zero_grad();
    const out = seq(input);
    const loss = criterion(out, target);
    print("loss:", pyfloat(loss.item()));
    loss.backward();
    return loss;
  };
  optimizer.step(closure);
  // begin to predict, no need to track gradient here
  torch.no_grad(() => {
    const future = 20;
    const pred = seq(test_input, future);
    const loss = criterion(pred.index(torch.slice(null), torch.slice(null, -future)), test_target);
    print("test loss:", pyfloat(loss.item()));
    y = pred.detach();
  });
}
print(y.index(torch.slice(null), torch.slice(-5, null)));
