// "Learning PyTorch with Examples", PyTorch: Control Flow + Weight Sharing: a polynomial whose
// degree (3 to 5, the 4th and 5th terms sharing one weight) is drawn anew on every forward pass (the
// PyTorch tutorial dynamic_net.py), small: Python's random.randint draws from torch's generator
// instead, the seed is set, and it runs 3000 steps instead of 30000. Translated by the rules of
// shared/API.md; tools/examples_py/dynamic_net.py is the same program in Python (its header lists
// each change), and test/examples.test.ts checks that this one prints what that one prints under
// PyTorch.
//
//   node --conditions=source --import tsx examples/dynamic_net.ts

import torch, { type Tensor } from "typetorch";
import { print, pyfloat } from "./pyprint.js";

torch.manual_seed(0);

class DynamicNet extends torch.nn.Module {
  a: torch.nn.Parameter;
  b: torch.nn.Parameter;
  c: torch.nn.Parameter;
  d: torch.nn.Parameter;
  e: torch.nn.Parameter;

  /**
   * In the constructor we instantiate five parameters and assign them as members.
   */
  constructor() {
    super();
    this.a = new torch.nn.Parameter(torch.randn([]));
    this.b = new torch.nn.Parameter(torch.randn([]));
    this.c = new torch.nn.Parameter(torch.randn([]));
    this.d = new torch.nn.Parameter(torch.randn([]));
    this.e = new torch.nn.Parameter(torch.randn([]));
  }

  /**
   * For the forward pass of the model, we randomly choose either 4, 5
   * and reuse the e parameter to compute the contribution of these orders.
   *
   * Since each forward pass builds a dynamic computation graph, we can use normal
   * control-flow operators like loops or conditional statements when
   * defining the forward pass of the model.
   *
   * Here we also see that it is perfectly safe to reuse the same parameter many
   * times when defining a computational graph.
   */
  override forward(x: Tensor): Tensor {
    let y = this.a.add(this.b.mul(x)).add(this.c.mul(x.pow(2))).add(this.d.mul(x.pow(3)));
    for (let exp = 4, end = torch.randint(4, 7, []).item(); exp < end; exp++) {
      y = y.add(this.e.mul(x.pow(exp)));
    }
    return y;
  }

  /**
   * Just like any class in Python, you can also define custom method on PyTorch modules
   */
  string(): string {
    const v = (p: Tensor) => pyfloat(p.item());
    return `y = ${v(this.a)} + ${v(this.b)} x + ${v(this.c)} x^2 + ${v(this.d)} x^3 + ${v(this.e)} x^4 ? + ${v(this.e)} x^5 ?`;
  }
}

// Create Tensors to hold input and outputs.
const x = torch.linspace(-Math.PI, Math.PI, 2000);
const y = torch.sin(x);

// Construct our model by instantiating the class defined above
const model = new DynamicNet();

// Construct our loss function and an Optimizer. Training this strange model with
// vanilla stochastic gradient descent is tough, so we use momentum
const criterion = new torch.nn.MSELoss({ reduction: "sum" });
const optimizer = new torch.optim.SGD(model.parameters(), { lr: 1e-8, momentum: 0.9 });
for (let t = 0; t < 3000; t++) {
  // Forward pass: Compute predicted y by passing x to the model
  const y_pred = model(x);

  // Compute and print loss
  const loss = criterion(y_pred, y);
  if (t % 300 === 299) print(t, pyfloat(loss.item()));

  // Zero gradients, perform a backward pass, and update the weights.
  optimizer.zero_grad();
  loss.backward();
  optimizer.step();
}

print(`Result: ${model.string()}`);
