// "Per-sample-gradients" (pytorch/tutorials intermediate_source/per_sample_grads.py), on the CPU:
// per-sample gradients of a small CNN computed one sample at a time, then with torch.func's
// vmap(grad(...)) over functional_call, and the two compared. Changed for a test that runs in
// seconds: a batch of 8 (not 64; fc1.weight's per-sample gradients alone are 64 x 128 x 9216
// floats), no timing section (it measures the machine); the prints after "(typetorch)" show
// numbers to compare. Translated by the rules of shared/API.md;
// tools/examples_py/per_sample_grads.py is the same program in Python, and test/examples.test.ts
// checks that this one prints what that one prints under PyTorch.
//
//   node --conditions=source --import tsx examples/per_sample_grads.ts

import torch from "typetorch";
import { print } from "./pyprint.js";

const nn = torch.nn, F = torch.nn.functional;
type Tensor = torch.Tensor;
torch.manual_seed(0);

// Here's a simple CNN and loss function:

class SimpleCNN extends nn.Module {
  conv1 = new nn.Conv2d(1, 32, 3, 1);
  conv2 = new nn.Conv2d(32, 64, 3, 1);
  fc1 = new nn.Linear(9216, 128);
  fc2 = new nn.Linear(128, 10);

  override forward(x: Tensor): Tensor {
    x = this.conv1.forward(x);
    x = F.relu(x);
    x = this.conv2.forward(x);
    x = F.relu(x);
    x = F.max_pool2d(x, 2);
    x = torch.flatten(x, 1);
    x = this.fc1.forward(x);
    x = F.relu(x);
    x = this.fc2.forward(x);
    let output = F.log_softmax(x, { dim: 1 });
    output = x;
    return output;
  }
}

function loss_fn(predictions: Tensor, targets: Tensor): Tensor {
  return F.nll_loss(predictions, targets);
}

// Let's generate a batch of dummy data and pretend that we're working with an MNIST dataset.
// The dummy images are 28 by 28 and we use a minibatch of size 8.

const device = "cpu";

const batch_size = 8;
const data = torch.randn(batch_size, 1, 28, 28, { device });

const targets = torch.randint(10, [8], { device });

// In regular model training, one would forward the minibatch through the model, and then call
// .backward() to compute gradients. This would generate an 'average' gradient of the entire
// mini-batch:

const model = new SimpleCNN().to({ device });
const predictions = model.forward(data); // move the entire mini-batch through the model

const loss = loss_fn(predictions, targets);
loss.backward(); // back propagate the 'average' gradient of this mini-batch

// In contrast to the above approach, per-sample-gradient computation is equivalent to:
// for each individual sample of the data, perform a forward and a backward pass to get an
// individual (per-sample) gradient.

function compute_grad(sample: Tensor, target: Tensor): Tensor[] {
  sample = sample.unsqueeze(0); // prepend batch dimension for processing
  target = target.unsqueeze(0);

  const prediction = model.forward(sample);
  const loss = loss_fn(prediction, target);

  return torch.autograd.grad(loss, [...model.parameters()]) as Tensor[];
}

/** manually process each sample with per sample gradient */
function compute_sample_grads(data: Tensor, targets: Tensor): Tensor[] {
  const sample_grads: Tensor[][] = [];
  for (let i = 0; i < batch_size; i++) sample_grads.push(compute_grad(data.index(i), targets.index(i)));
  return sample_grads[0]!.map((_, j) => torch.stack(sample_grads.map((g) => g[j]!)));
}

const per_sample_grads = compute_sample_grads(data, targets);

// sample_grads[0] is the per-sample-grad for model.conv1.weight. model.conv1.weight.shape is
// [32, 1, 3, 3]; notice how there is one gradient, per sample, in the batch for a total of 8.

print(per_sample_grads[0]!.shape);

// Per-sample-grads, *the efficient way*, using function transforms

const { functional_call, vmap, grad } = torch.func;

const params = Object.fromEntries(model.named_parameters().map(([k, v]) => [k, v.detach()]));
const buffers = Object.fromEntries(model.named_buffers().map(([k, v]) => [k, v.detach()]));

function compute_loss(params: Record<string, Tensor>, buffers: Record<string, Tensor>, sample: Tensor, target: Tensor): Tensor {
  const batch = sample.unsqueeze(0);
  const targets = target.unsqueeze(0);

  const predictions = functional_call(model, [params, buffers], [batch]) as Tensor;
  const loss = loss_fn(predictions, targets);
  return loss;
}

const ft_compute_grad = grad(compute_loss);

const ft_compute_sample_grad = vmap(ft_compute_grad, [null, null, 0, 0]);

const ft_per_sample_grads = ft_compute_sample_grad(params, buffers, data, targets) as Record<string, Tensor>;

// we can double check that the results using grad and vmap match the results of hand
// processing each one individually:

Object.values(ft_per_sample_grads).forEach((ft_per_sample_grad, i) => {
  if (!torch.allclose(per_sample_grads[i]!, ft_per_sample_grad, { atol: 3e-3, rtol: 1e-5 })) throw new Error("AssertionError");
});

// (typetorch) the numbers themselves
print(loss);
for (const [name, g] of Object.entries(ft_per_sample_grads)) print(name, g.shape);
print(ft_per_sample_grads["fc2.bias"]!.index(torch.slice(null, 4)));
print(ft_per_sample_grads["conv1.bias"]!.index(torch.slice(null, 2), torch.slice(null, 6)));
print(per_sample_grads[1]!.index(torch.slice(5, 7), torch.slice(null, 5)));
