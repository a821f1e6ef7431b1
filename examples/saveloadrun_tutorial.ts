// "Learn the Basics: Save and Load the Model" (pytorch/tutorials
// beginner_source/basics/saveloadrun_tutorial.py; BSD-3-Clause, Copyright (c) 2017-2024 PyTorch
// contributors), small and seeded: torchvision's vgg16 with its downloaded IMAGENET1K_V1 weights is
// replaced by vgg_tiny below, torchvision's VGG class and make_layers at a fraction of the size (two
// conv blocks of 8 and 16 channels, a 2x2 average pool, a 64-64-10 classifier), whose "pretrained"
// weights are examples/data/vgg_tiny_weights.pth, a state_dict that PyTorch wrote
// (tools/examples_py/saveloadrun_tutorial.py) and torch.load reads here. The files go to the system's
// temporary directory of their own (written in PyTorch's format: PyTorch's torch.load opens them), and the
// program prints what it loads (the model, its outputs on a random batch, whether the weights came
// back exactly).
//
// One part differs: "Saving and Loading Models with Shapes". PyTorch's torch.save(model) pickles
// the module object, which torch.load(weights_only=False) rebuilds by importing its class by name;
// JavaScript cannot import a class named in a file, so typetorch's torch.save refuses a module
// (its error says to save the state_dict) and torch.load gives a pickled module back as an inert
// object. The port saves the state_dict with the model's class beside it in the program, and
// loads it into a new instance, which is what the tutorial's own first part does.
// Everything else is the tutorial's program, translated by the rules of shared/API.md;
// test/examples.test.ts checks that this one prints what the Python prints under PyTorch.
//
//   node --conditions=source --import tsx examples/saveloadrun_tutorial.ts

import { tmpdir } from "node:os";
import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import torch, { nn, type Tensor } from "typetorch";
import { print, list } from "./pyprint.js";

const PRETRAINED = fileURLToPath(new URL("./data/vgg_tiny_weights.pth", import.meta.url));

class VGG extends nn.Module {
  features: nn.Sequential;
  avgpool: nn.AdaptiveAvgPool2d;
  classifier: nn.Sequential;

  constructor(features: nn.Sequential, num_classes = 10, init_weights = true, dropout = 0.5) {
    super();
    this.features = features;
    this.avgpool = new nn.AdaptiveAvgPool2d([2, 2]);
    this.classifier = new nn.Sequential(
      new nn.Linear(16 * 2 * 2, 64),
      new nn.ReLU(true),
      new nn.Dropout({ p: dropout }),
      new nn.Linear(64, 64),
      new nn.ReLU(true),
      new nn.Dropout({ p: dropout }),
      new nn.Linear(64, num_classes),
    );
    if (init_weights) {
      for (const m of this.modules()) {
        if (m instanceof nn.Conv2d) {
          nn.init.kaiming_normal_(m.weight, { mode: "fan_out", nonlinearity: "relu" });
          if (m.bias !== null) nn.init.constant_(m.bias, 0);
        } else if (m instanceof nn.BatchNorm2d) {
          nn.init.constant_(m.weight!, 1);
          nn.init.constant_(m.bias!, 0);
        } else if (m instanceof nn.Linear) {
          nn.init.normal_(m.weight, 0, 0.01);
          nn.init.constant_(m.bias!, 0);
        }
      }
    }
  }

  override forward(x: Tensor): Tensor {
    x = this.features(x);
    x = this.avgpool(x);
    x = torch.flatten(x, 1);
    x = this.classifier(x);
    return x;
  }
}

function make_layers(cfg: (number | "M")[], batch_norm = false): nn.Sequential {
  const layers: nn.Module[] = [];
  let in_channels = 3;
  for (const v of cfg) {
    if (v === "M") {
      layers.push(new nn.MaxPool2d({ kernel_size: 2, stride: 2 }));
    } else {
      const conv2d = new nn.Conv2d(in_channels, v, { kernel_size: 3, padding: 1 });
      if (batch_norm) layers.push(conv2d, new nn.BatchNorm2d(v), new nn.ReLU({ inplace: true }));
      else layers.push(conv2d, new nn.ReLU({ inplace: true }));
      in_channels = v;
    }
  }
  return new nn.Sequential(...layers);
}

function vgg_tiny(weights: string | null = null): VGG {
  const model = new VGG(make_layers([8, "M", 16, "M"]));
  if (weights !== null) model.load_state_dict(torch.load(PRETRAINED, { weights_only: true }));
  return model;
}

torch.manual_seed(0);
const dir = mkdtempSync(join(tmpdir(), "saveloadrun-"));
const path = (name: string) => join(dir, name);

// Saving and Loading Model Weights
let model = vgg_tiny("DEFAULT");
torch.save(model.state_dict(), path("model_weights.pth"));

model = vgg_tiny(); // we do not specify `weights`, i.e. create untrained model
model.load_state_dict(torch.load(path("model_weights.pth"), { weights_only: true }));
model.eval();

print(model);
const pretrained = torch.load(PRETRAINED, { weights_only: true }) as Record<string, Tensor>;
print(list(Object.entries(model.state_dict()).map(([k, v]) => [k, [...v.shape]])));
print("weights as saved:", Object.entries(model.state_dict()).every(([k, v]) => torch.equal(v, pretrained[k]!)));
const x = torch.rand(2, 3, 16, 16);
const out = torch.no_grad(() => model(x));
print(out);

// Saving and Loading Models with Shapes (the state_dict, the class being this program's VGG)
torch.save(model.state_dict(), path("model.pth"));
model = vgg_tiny();
model.load_state_dict(torch.load(path("model.pth"), { weights_only: true }));
model.eval();
torch.no_grad(() => {
  print("same outputs:", torch.equal(model(x), out), "training:", model.training);
});
print(model.classifier);
rmSync(dir, { recursive: true });
