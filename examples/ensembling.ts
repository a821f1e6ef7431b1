// "Model ensembling" (pytorch/tutorials intermediate_source/ensembling.py), on the CPU: the
// predictions of 10 MLPs computed model by model, then with torch.func's stack_module_state and
// vmap over functional_call, and compared. The timing section is left out (it measures the
// machine); the prints after "(typetorch)" show numbers to compare. Translated by the rules of
// shared/API.md; tools/examples_py/ensembling.py is the same program in Python, and
// test/examples.test.ts checks that this one prints what that one prints under PyTorch.
//
//   node --conditions=source --import tsx examples/ensembling.ts

import torch, { nn, type Tensor } from "typetorch";
import { print, list } from "./pyprint.js";

const F = torch.nn.functional;
torch.manual_seed(0);

const assert = (ok: boolean): void => { if (!ok) throw new Error("AssertionError"); };

// Here's a simple MLP
class SimpleMLP extends nn.Module {
  fc1 = new nn.Linear(784, 128);
  fc2 = new nn.Linear(128, 128);
  fc3 = new nn.Linear(128, 10);

  override forward(x: Tensor): Tensor {
    x = x.flatten(1);
    x = this.fc1(x);
    x = F.relu(x);
    x = this.fc2(x);
    x = F.relu(x);
    x = this.fc3(x);
    return x;
  }
}

const device = "cpu";
const num_models = 10;

const data = torch.randn(100, 64, 1, 28, 28, { device });
torch.randint(10, [6400], { device }); // (the tutorial's targets, unused)

const models = Array.from({ length: num_models }, () => new SimpleMLP().to(device));

// Option 1: different minibatches for each model
const minibatches = data.index(torch.slice(null, num_models));
const predictions_diff_minibatch_loop = models.map((model, i) => model(minibatches.index(i)));

// Option 2: Same minibatch
const minibatch = data.index(0);
const predictions2 = models.map((model) => model(minibatch));

// Using vmap to vectorize the ensemble
const { stack_module_state, functional_call } = torch.func;

const [params, buffers] = stack_module_state(models);

// (Python makes a "stateless" copy of one model on the meta device; typetorch has no meta
// device, and functional_call leaves the model it runs as it was, so models[0] serves.)
const base_model = models[0]!;

function fmodel(params: Record<string, Tensor>, buffers: Record<string, Tensor>, x: Tensor): Tensor {
  return functional_call(base_model, [params, buffers], [x]) as Tensor;
}

print(list(Object.values(params).map((p) => p.size(0)))); // show the leading 'num_models' dimension

assert(minibatches.shape.join() === [num_models, 64, 1, 28, 28].join()); // verify minibatch has leading dimension of size 'num_models'

const { vmap } = torch;

const predictions1_vmap = vmap(fmodel)(params, buffers, minibatches) as Tensor;

// verify the ``vmap`` predictions match the
assert(torch.allclose(predictions1_vmap, torch.stack(predictions_diff_minibatch_loop), { atol: 1e-3, rtol: 1e-5 }));

const predictions2_vmap = vmap(fmodel, [0, 0, null])(params, buffers, minibatch) as Tensor;

assert(torch.allclose(predictions2_vmap, torch.stack(predictions2), { atol: 1e-3, rtol: 1e-5 }));

// (typetorch) the numbers themselves
print(predictions1_vmap.shape, predictions2_vmap.shape);
print(predictions1_vmap.index(torch.slice(null, 2), torch.slice(null, 2)));
print(predictions2_vmap.index(-1, torch.slice(-2, null)));
print(params["fc3.bias"]!.requires_grad, params["fc3.bias"]!.is_leaf);
