// "Learning PyTorch with Examples", PyTorch: Custom nn Modules: a third order polynomial
// y = a + b x + c x^2 + d x^3 fitted to sin(x) on [-pi, pi], its four coefficients being
// nn.Parameters of a Module subclass (pytorch/tutorials beginner_source/examples_nn/
// polynomial_module.py), seeded so that every run prints the same numbers. Translated by the
// rules of shared/API.md; tools/examples_py/polynomial_module.py is the same program in Python,
// and test/examples.test.ts checks that this one prints what that one prints under PyTorch.
//
//   node --conditions=source --import tsx examples/polynomial_module.ts

import torch from "typetorch";
import { print, pyfloat } from "./pyprint.js";

class Polynomial3 extends torch.nn.Module {
  a: torch.nn.Parameter;
  b: torch.nn.Parameter;
  c: torch.nn.Parameter;
  d: torch.nn.Parameter;

  /**
   * In the constructor we instantiate four parameters and assign them as
   * member parameters.
   */
  constructor() {
    super();
    this.a = new torch.nn.Parameter(torch.randn([]));
    this.b = new torch.nn.Parameter(torch.randn([]));
    this.c = new torch.nn.Parameter(torch.randn([]));
    this.d = new torch.nn.Parameter(torch.randn([]));
  }

  /**
   * In the forward function we accept a Tensor of input data and we must return
   * a Tensor of output data. We can use Modules defined in the constructor as
   * well as arbitrary operators on Tensors.
   */
  override forward(x: torch.Tensor): torch.Tensor {
    return this.a.add(this.b.mul(x)).add(this.c.mul(x.pow(2))).add(this.d.mul(x.pow(3)));
  }

  /**
   * Just like any class in Python, you can also define custom method on PyTorch modules
   */
  string(): string {
    const v = (p: torch.Tensor) => pyfloat(p.item() as number);
    return `y = ${v(this.a)} + ${v(this.b)} x + ${v(this.c)} x^2 + ${v(this.d)} x^3`;
  }
}

torch.manual_seed(0);

// Create Tensors to hold input and outputs.
const x = torch.linspace(-Math.PI, Math.PI, 2000);
const y = torch.sin(x);

// Construct our model by instantiating the class defined above
const model = new Polynomial3();

// Construct our loss function and an Optimizer. The call to model.parameters()
// in the SGD constructor will contain the learnable parameters (defined
// with torch.nn.Parameter) which are members of the model.
const criterion = new torch.nn.MSELoss({ reduction: "sum" });
const optimizer = new torch.optim.SGD(model.parameters(), { lr: 1e-6 });
for (let t = 0; t < 2000; t++) {
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

print(`Result: ${model.string()}`);
