# "Per-sample-gradients" (pytorch/tutorials intermediate_source/per_sample_grads.py), on the CPU:
# per-sample gradients of a small CNN computed one sample at a time, then with torch.func's
# vmap(grad(...)) over functional_call, and the two compared. Changed for a test that runs in
# seconds: a batch of 8 (not 64; fc1.weight's per-sample gradients alone are 64 x 128 x 9216
# floats), no timing section (it measures the machine); the prints after "# (typetorch)" show
# numbers to compare.
import torch
import torch.nn as nn
import torch.nn.functional as F
torch.manual_seed(0)

# Here's a simple CNN and loss function:

class SimpleCNN(nn.Module):
    def __init__(self):
        super(SimpleCNN, self).__init__()
        self.conv1 = nn.Conv2d(1, 32, 3, 1)
        self.conv2 = nn.Conv2d(32, 64, 3, 1)
        self.fc1 = nn.Linear(9216, 128)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        x = self.conv1(x)
        x = F.relu(x)
        x = self.conv2(x)
        x = F.relu(x)
        x = F.max_pool2d(x, 2)
        x = torch.flatten(x, 1)
        x = self.fc1(x)
        x = F.relu(x)
        x = self.fc2(x)
        output = F.log_softmax(x, dim=1)
        output = x
        return output

def loss_fn(predictions, targets):
    return F.nll_loss(predictions, targets)

# Let's generate a batch of dummy data and pretend that we're working with an MNIST dataset.
# The dummy images are 28 by 28 and we use a minibatch of size 8.

device = 'cpu'

num_models = 10
batch_size = 8
data = torch.randn(batch_size, 1, 28, 28, device=device)

targets = torch.randint(10, (8,), device=device)

# In regular model training, one would forward the minibatch through the model, and then call
# .backward() to compute gradients. This would generate an 'average' gradient of the entire
# mini-batch:

model = SimpleCNN().to(device=device)
predictions = model(data)  # move the entire mini-batch through the model

loss = loss_fn(predictions, targets)
loss.backward()  # back propagate the 'average' gradient of this mini-batch

# In contrast to the above approach, per-sample-gradient computation is equivalent to:
# for each individual sample of the data, perform a forward and a backward pass to get an
# individual (per-sample) gradient.

def compute_grad(sample, target):
    sample = sample.unsqueeze(0)  # prepend batch dimension for processing
    target = target.unsqueeze(0)

    prediction = model(sample)
    loss = loss_fn(prediction, target)

    return torch.autograd.grad(loss, list(model.parameters()))


def compute_sample_grads(data, targets):
    """ manually process each sample with per sample gradient """
    sample_grads = [compute_grad(data[i], targets[i]) for i in range(batch_size)]
    sample_grads = zip(*sample_grads)
    sample_grads = [torch.stack(shards) for shards in sample_grads]
    return sample_grads

per_sample_grads = compute_sample_grads(data, targets)

# sample_grads[0] is the per-sample-grad for model.conv1.weight. model.conv1.weight.shape is
# [32, 1, 3, 3]; notice how there is one gradient, per sample, in the batch for a total of 8.

print(per_sample_grads[0].shape)

# Per-sample-grads, *the efficient way*, using function transforms

from torch.func import functional_call, vmap, grad

params = {k: v.detach() for k, v in model.named_parameters()}
buffers = {k: v.detach() for k, v in model.named_buffers()}

def compute_loss(params, buffers, sample, target):
    batch = sample.unsqueeze(0)
    targets = target.unsqueeze(0)

    predictions = functional_call(model, (params, buffers), (batch,))
    loss = loss_fn(predictions, targets)
    return loss

ft_compute_grad = grad(compute_loss)

ft_compute_sample_grad = vmap(ft_compute_grad, in_dims=(None, None, 0, 0))

ft_per_sample_grads = ft_compute_sample_grad(params, buffers, data, targets)

# we can double check that the results using grad and vmap match the results of hand
# processing each one individually:

for per_sample_grad, ft_per_sample_grad in zip(per_sample_grads, ft_per_sample_grads.values()):
    assert torch.allclose(per_sample_grad, ft_per_sample_grad, atol=3e-3, rtol=1e-5)

# (typetorch) the numbers themselves
print(loss)
for name, g in ft_per_sample_grads.items():
    print(name, g.shape)
print(ft_per_sample_grads['fc2.bias'][:4])
print(ft_per_sample_grads['conv1.bias'][:2, :6])
print(per_sample_grads[1][5:7, :5])
