// "Learning PyTorch with Examples", custom nn Modules: the two-layer network as a subclass
// of nn.Module, trained with optim.SGD (pytorch/tutorials beginner_source/examples_nn/
// two_layer_net_module.py), seeded so that every run prints the same losses. Translated by the
// rules of shared/API.md; tools/examples_py/two_layer_module.py is the same program in Python,
// and test/examples.test.ts checks that this one prints what that one prints under PyTorch.
//
//   node --conditions=source --import tsx examples/two_layer_module.ts

import torch from "typetorch";
import { print, pyfloat } from "./pyprint.js";

class TwoLayerNet extends torch.nn.Module {
  linear1: torch.nn.Linear;
  linear2: torch.nn.Linear;

  /**
   * In the constructor we instantiate two nn.Linear modules and assign them as
   * member variables.
   */
  constructor(D_in: number, H: number, D_out: number) {
    super();
    this.linear1 = new torch.nn.Linear(D_in, H);
    this.linear2 = new torch.nn.Linear(H, D_out);
  }

  /**
   * In the forward function we accept a Tensor of input data and we must return
   * a Tensor of output data. We can use Modules defined in the constructor as
   * well as arbitrary operators on Tensors.
   */
  override forward(x: torch.Tensor): torch.Tensor {
    const h_relu = this.linear1(x).clamp({ min: 0 });
    const y_pred = this.linear2(h_relu);
    return y_pred;
  }
}

torch.manual_seed(0);

// N is batch size; D_in is input dimension;
// H is hidden dimension; D_out is output dimension.
const [N, D_in, H, D_out] = [64, 1000, 100, 10];

// Create random Tensors to hold inputs and outputs
const x = torch.randn(N, D_in);
const y = torch.randn(N, D_out);

// Construct our model by instantiating the class defined above
const model = new TwoLayerNet(D_in, H, D_out);
print(model);

// Construct our loss function and an Optimizer. The call to model.parameters()
// in the SGD constructor will contain the learnable parameters of the two
// nn.Linear modules which are members of the model.
const criterion = new torch.nn.MSELoss({ reduction: "sum" });
const optimizer = new torch.optim.SGD(model.parameters(), { lr: 1e-4 });
for (let t = 0; t < 500; t++) {
  // Forward pass: Compute predicted y by passing x to the model
  const y_pred = model(x);

  // Compute and print loss
  const loss = criterion(y_pred, y);
  if (t % 100 === 99) {
    print(t, pyfloat(loss.item() as number));
  }

  // Zero gradients, perform a backward pass, and update the weights.
  optimizer.zero_grad();
  loss.backward();
  optimizer.step();
}
