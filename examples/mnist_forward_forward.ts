// pytorch/examples mnist_forward_forward/main.py (Hinton's forward-forward training: each layer
// trained alone to give positive data, an image with its true label written into its first ten
// pixels, a high "goodness", and negative data, a wrong label, a low one) on MNIST-shaped synthetic
// data: torchvision's MNIST is replaced by fake_data.ts's FakeImages (200 images for training and
// 100 for testing), normalized and flattened as the example's transform does; the command line by
// its defaults but for a shorter run (60 epochs of each layer, a log every 20, layers of 100 units
// instead of 500, and those set sizes), the accelerator left out, and a torch.manual_seed(args.seed)
// added so that both sides draw the same negative labels. Everything else is the example's program
// (so short a run leaves the errors high), translated by the rules of shared/API.md;
// tools/examples_py/mnist_forward_forward.py is the same program in Python, and
// test/examples.test.ts checks that this one prints what that one prints under PyTorch.
//
//   node --conditions=source --import tsx examples/mnist_forward_forward.ts

import torch, { nn, type Tensor } from "typetorch";
import { print, pyfloat } from "./pyprint.js";
import { FakeImages } from "./fake_data.js";

const { DataLoader, Dataset } = torch.utils.data;
const { Adam } = torch.optim;

function get_y_neg(y: Tensor): Tensor {
  const y_neg = y.clone();
  for (const [idx, y_samp] of [...y].entries()) {
    const allowed_indices = Array.from({ length: 10 }, (_, i) => BigInt(i));
    allowed_indices.splice(allowed_indices.indexOf(BigInt(y_samp.item())), 1);
    y_neg.index_put_([torch.tensor(BigInt(idx))], torch.tensor(allowed_indices).index(torch.randint(allowed_indices.length, [1])).item());
  }
  return y_neg.to(device);
}

function overlay_y_on_x(x: Tensor, y: Tensor | number, classes = 10): Tensor {
  const x_ = x.clone();
  x_.index(torch.slice(null), torch.slice(null, classes)).mul_(0.0);
  x_.index_put_([torch.arange(x.shape[0]!, { dtype: torch.long }), typeof y === "number" ? torch.tensor(BigInt(y)) : y], x.max());
  return x_;
}

class Net extends torch.nn.Module {
  layers: Layer[];

  constructor(dims: number[]) {
    super();
    this.layers = [];
    for (let d = 0; d < dims.length - 1; d++) this.layers = [...this.layers, new Layer(dims[d]!, dims[d + 1]!).to(device)];
  }

  predict(x: Tensor): Tensor {
    let goodness_per_label: Tensor[] = [];
    for (let label = 0; label < 10; label++) {
      let h = overlay_y_on_x(x, label);
      let goodness: Tensor[] = [];
      for (const layer of this.layers) {
        h = layer(h);
        goodness = [...goodness, h.pow(2).mean(1)];
      }
      goodness_per_label = [...goodness_per_label, goodness.reduce((a, b) => a.add(b)).unsqueeze(1)]; // sum(goodness)
    }
    return torch.cat(goodness_per_label, 1).argmax(1);
  }

  // @ts-expect-error: the example gives Module.train(mode) a meaning of its own, as the Python does
  override train(x_pos: Tensor, x_neg: Tensor): void {
    let [h_pos, h_neg] = [x_pos, x_neg];
    for (const [i, layer] of this.layers.entries()) {
      print("training layer: ", i);
      [h_pos, h_neg] = layer.train(h_pos, h_neg);
    }
  }
}

class Layer extends nn.Linear {
  relu = new torch.nn.ReLU();
  opt = new Adam(this.parameters(), { lr: args.lr });
  threshold = args.threshold;
  num_epochs = args.epochs;

  constructor(in_features: number, out_features: number, bias = true, device: torch.device | null = null, dtype: torch.dtype | null = null) {
    super(in_features, out_features, { bias, device, dtype });
  }

  override forward(x: Tensor): Tensor {
    const x_direction = x.div(x.norm(2, 1, true).add(1e-4));
    return this.relu(torch.mm(x_direction, this.weight.T).add(this.bias!.unsqueeze(0)));
  }

  // @ts-expect-error: the example gives Module.train(mode) a meaning of its own, as the Python does
  override train(x_pos: Tensor, x_neg: Tensor): [Tensor, Tensor] {
    for (let i = 0; i < this.num_epochs; i++) {
      const g_pos = this.forward(x_pos).pow(2).mean(1);
      const g_neg = this.forward(x_neg).pow(2).mean(1);
      const loss = torch.log1p(torch.exp(torch.cat([g_pos.neg().add(this.threshold), g_neg.sub(this.threshold)]))).mean();
      this.opt.zero_grad();
      loss.backward();
      this.opt.step();
      if (i % args.log_interval === 0) print("Loss: ", pyfloat(loss.item()));
    }
    return [this.forward(x_pos).detach(), this.forward(x_neg).detach()];
  }
}

/** The example's transform: Normalize((0.1307,), (0.3081,)), then flatten. */
class Transformed extends Dataset<[Tensor, number]> {
  constructor(readonly images: FakeImages) { super(); }
  override __len__(): number { return this.images.length; }
  override __getitem__(idx: number): [Tensor, number] {
    const [x, y] = this.images.__getitem__(idx);
    return [torch.flatten(x.sub(0.1307).div(0.3081)), y];
  }
}

// the example's defaults, but for --epochs 60, --log-interval 20, --train_size 200, --test_size 100
const args = { epochs: 60, lr: 0.03, no_cuda: true, seed: 1, save_model: false, train_size: 200, threshold: 2, test_size: 100, log_interval: 20 };
torch.manual_seed(args.seed);
const device = torch.device("cpu");

const train_kwargs = { batch_size: args.train_size };
const test_kwargs = { batch_size: args.test_size };

const train_loader = new DataLoader(new Transformed(new FakeImages(args.train_size, 1, 0.9)), train_kwargs);
const test_loader = new DataLoader(new Transformed(new FakeImages(args.test_size, 2, 0.9)), test_kwargs);
const net = new Net([784, 100, 100]);
let [x, y] = train_loader[Symbol.iterator]().next().value!;
[x, y] = [x.to(device), y.to(device)];
const x_pos = overlay_y_on_x(x, y);
const y_neg = get_y_neg(y);
const x_neg = overlay_y_on_x(x, y_neg);
net.train(x_pos, x_neg);
print("train error:", pyfloat(1.0 - net.predict(x).eq(y).float().mean().item()));
let [x_te, y_te] = test_loader[Symbol.iterator]().next().value!;
[x_te, y_te] = [x_te.to(device), y_te.to(device)];
if (args.save_model) torch.save(net.state_dict(), "mnist_ff.pt");
print("test error:", pyfloat(1.0 - net.predict(x_te).eq(y_te).float().mean().item()));
