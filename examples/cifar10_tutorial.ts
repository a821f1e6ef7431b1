// "Deep Learning with PyTorch: A 60 Minute Blitz", part 4: Training a Classifier (pytorch/tutorials
// beginner_source/blitz/cifar10_tutorial.py) on CIFAR10-shaped synthetic data: torchvision's
// CIFAR10 is replaced by fake_cifar10 (3x32x32 images in 10 classes, each a fixed random
// prototype of its class plus noise, normalized to [-1, 1] as the tutorial's transform does; 200
// for training and 100 for testing, from seeded generators), the plots (imshow, make_grid) are
// left out, statistics print every 25 mini-batches instead of 2000, and the model file goes to the
// system's temporary directory. Everything else is the tutorial's program, seeded, translated by
// the rules of shared/API.md; tools/examples_py/cifar10_tutorial.py is the same program in Python,
// and test/examples.test.ts checks that this one prints what that one prints under PyTorch.
//
//   node --conditions=source --import tsx examples/cifar10_tutorial.ts

import { tmpdir } from "node:os";
import { join } from "node:path";
import torch, { nn, type Tensor } from "typetorch";
import { fixed, print } from "./pyprint.js";

const F = torch.nn.functional;

torch.manual_seed(0);

/** CIFAR10-shaped images (transforms.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5)) applied) and labels. */
function fake_cifar10(n: number, seed: number): torch.utils.data.TensorDataset {
  const g = new torch.Generator().manual_seed(seed);
  const prototypes = torch.rand(10, 3, 32, 32, { generator: new torch.Generator().manual_seed(0) });
  const labels = torch.randint(10, [n], { generator: g });
  const images = prototypes.index(labels).mul(0.5).add(torch.rand(n, 3, 32, 32, { generator: g }).mul(0.5));
  return new torch.utils.data.TensorDataset(images.sub(0.5).div(0.5), labels);
}

const batch_size = 4;

const trainset = fake_cifar10(200, 1);
const trainloader = new torch.utils.data.DataLoader(trainset, {
  batch_size,
  shuffle: true, num_workers: 2,
});

const testset = fake_cifar10(100, 2);
const testloader = new torch.utils.data.DataLoader(testset, {
  batch_size,
  shuffle: false, num_workers: 2,
});

const classes = ["plane", "car", "bird", "cat",
  "deer", "dog", "frog", "horse", "ship", "truck"];

// Python's f"{s:5s}": the string padded to 5 characters
const s5 = (s: string): string => s.padEnd(5);

// get some random training images
let dataiter = trainloader[Symbol.iterator]();
let [images, labels] = dataiter.next().value as Tensor[] as [Tensor, Tensor];

// print labels
print(Array.from({ length: batch_size }, (_, j) => s5(classes[labels.index(j).item()]!)).join(" "));

// 2. Define a Convolutional Neural Network
class Net extends nn.Module {
  conv1 = new nn.Conv2d(3, 6, 5);
  pool = new nn.MaxPool2d(2, 2);
  conv2 = new nn.Conv2d(6, 16, 5);
  fc1 = new nn.Linear(16 * 5 * 5, 120);
  fc2 = new nn.Linear(120, 84);
  fc3 = new nn.Linear(84, 10);

  override forward(x: Tensor): Tensor {
    x = this.pool(F.relu(this.conv1(x)));
    x = this.pool(F.relu(this.conv2(x)));
    x = torch.flatten(x, 1); // flatten all dimensions except batch
    x = F.relu(this.fc1(x));
    x = F.relu(this.fc2(x));
    x = this.fc3(x);
    return x;
  }
}

let net = new Net();

// 3. Define a Loss function and optimizer
const optim = torch.optim;

const criterion = new nn.CrossEntropyLoss();
const optimizer = new optim.SGD(net.parameters(), { lr: 0.001, momentum: 0.9 });

// 4. Train the network
for (let epoch = 0; epoch < 2; epoch++) { // loop over the dataset multiple times
  let running_loss = 0.0;
  let i = 0;
  for (const data of trainloader) {
    // get the inputs; data is a list of [inputs, labels]
    const [inputs, labels] = data as [Tensor, Tensor];

    // zero the parameter gradients
    optimizer.zero_grad();

    // forward + backward + optimize
    const outputs = net(inputs);
    const loss = criterion(outputs, labels);
    loss.backward();
    optimizer.step();

    // print statistics
    running_loss += loss.item();
    if (i % 25 === 24) { // print every 25 mini-batches
      print(`[${epoch + 1}, ${String(i + 1).padStart(5)}] loss: ${fixed(running_loss / 25, 3)}`);
      running_loss = 0.0;
    }
    i++;
  }
}

print("Finished Training");

const PATH = join(tmpdir(), "cifar_net.pth");
torch.save(net.state_dict(), PATH);

// 5. Test the network on the test data
dataiter = testloader[Symbol.iterator]();
[images, labels] = dataiter.next().value as Tensor[] as [Tensor, Tensor];

print("GroundTruth: ", Array.from({ length: 4 }, (_, j) => s5(classes[labels.index(j).item()]!)).join(" "));

net = new Net();
net.load_state_dict(torch.load(PATH, { weights_only: true }));

let outputs = net(images);

let [, predicted] = torch.max(outputs, 1);

print("Predicted: ", Array.from({ length: 4 }, (_, j) => s5(classes[predicted!.index(j).item()]!)).join(" "));

let correct = 0;
let total = 0;
// since we're not training, we don't need to calculate the gradients for our outputs
torch.no_grad(() => {
  for (const data of testloader) {
    [images, labels] = data as [Tensor, Tensor];
    // calculate outputs by running images through the network
    outputs = net(images);
    // the class with the highest energy is what we choose as prediction
    [, predicted] = torch.max(outputs, 1);
    total += labels.size(0);
    correct += predicted!.eq(labels).sum().item();
  }
});

print(`Accuracy of the network on the 100 test images: ${Math.floor((100 * correct) / total)} %`);

// prepare to count predictions for each class
const correct_pred = new Map(classes.map((classname) => [classname, 0]));
const total_pred = new Map(classes.map((classname) => [classname, 0]));

// again no gradients needed
torch.no_grad(() => {
  for (const data of testloader) {
    [images, labels] = data as [Tensor, Tensor];
    outputs = net(images);
    const [, predictions] = torch.max(outputs, 1);
    // collect the correct predictions for each class
    const rows = [...predictions!];
    [...labels].forEach((label, k) => {
      const classname = classes[label.item()]!;
      if (label.eq(rows[k]!).item()) correct_pred.set(classname, correct_pred.get(classname)! + 1);
      total_pred.set(classname, total_pred.get(classname)! + 1);
    });
  }
});

// print accuracy for each class
for (const [classname, correct_count] of correct_pred) {
  const accuracy = (100 * correct_count) / total_pred.get(classname)!;
  print(`Accuracy for class: ${s5(classname)} is ${fixed(accuracy, 1)} %`);
}

const device = torch.device(torch.cuda.is_available() ? "cuda:0" : "cpu");

// Assuming that we are on a CUDA machine, this should print a CUDA device:

print(device);
