# The 60-minute blitz, "Autograd: automatic differentiation" (pytorch/tutorials,
# beginner_source/blitz/autograd_tutorial.py), the PyTorch 1.x version, then the newer one
# ("A Gentle Introduction to torch.autograd"). Additions to the tutorial text: a seed, so
# that the random parts print the same numbers every run, and the error of a second backward.
# examples/blitz_autograd.ts is the same program in TypeScript.
import torch

torch.manual_seed(0)

# Create a tensor and set requires_grad=True to track computation with it
x = torch.ones(2, 2, requires_grad=True)
print(x)

# Do an operation of tensor:
y = x + 2
print(y)

# y was created as a result of an operation, so it has a grad_fn.
print(y.grad_fn)

# Do more operations on y
z = y * y * 3
out = z.mean()
print(z, out)

# .requires_grad_( ... ) changes an existing Tensor's requires_grad flag in-place.
a = torch.randn(2, 2)
a = ((a * 3) / (a - 1))
print(a.requires_grad)
a.requires_grad_(True)
print(a.requires_grad)
b = (a * a).sum()
print(b.grad_fn)

# Gradients: let's backprop now
out.backward()

# print gradients d(out)/dx: a matrix of 4.5
print(x.grad)

# The graph's saved tensors are freed after backward: a second one fails
try:
    out.backward()
except RuntimeError as e:
    print("RuntimeError:", e)

# You can do many crazy things with autograd! (the vector-Jacobian product)
x = torch.randn(3, requires_grad=True)

y = x * 2
while y.data.norm() < 1000:
    y = y * 2

print(y)

v = torch.tensor([0.1, 1.0, 0.0001], dtype=torch.float)
y.backward(v)

print(x.grad)

# Stop autograd from tracking history with `with torch.no_grad():`
print(x.requires_grad)
print((x ** 2).requires_grad)

with torch.no_grad():
    print((x ** 2).requires_grad)

# Or by using .detach() to get a new Tensor with the same content but that does not
# require gradients:
print(x.requires_grad)
y = x.detach()
print(y.requires_grad)
print(x.eq(y).all())

# ---- The newer blitz: "A Gentle Introduction to torch.autograd" ----
print()
a = torch.tensor([2., 3.], requires_grad=True)
b = torch.tensor([6., 4.], requires_grad=True)

Q = 3*a**3 - b**2
print(Q)

external_grad = torch.tensor([1., 1.])
Q.backward(gradient=external_grad)

# check if collected gradients are correct
print(9*a**2 == a.grad)
print(-2*b == b.grad)
print(a.grad, b.grad)

# Exclusion from the DAG
x = torch.rand(5, 5)
y = torch.rand(5, 5)
z = torch.rand((5, 5), requires_grad=True)

a = x + y
print(f"Does `a` require gradients?: {a.requires_grad}")
b = x + z
print(f"Does `b` require gradients?: {b.requires_grad}")

# Frozen parameters: the tutorial freezes a pretrained resnet18 and replaces its classifier;
# a small two-layer model stands in for it here.
from torch import nn, optim


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Linear(8, 16)
        self.fc = nn.Linear(16, 4)

    def forward(self, x):
        return self.fc(self.features(x).relu())


model = Net()
# Freeze all the parameters in the network
for param in model.parameters():
    param.requires_grad = False
model.fc = nn.Linear(16, 10)
for name, param in model.named_parameters():
    print(name, param.requires_grad)
# Optimize only the classifier
optimizer = optim.SGD(model.parameters(), lr=1e-2, momentum=0.9)
loss = model(torch.randn(3, 8)).sum()
loss.backward()
print(model.features.weight.grad, model.fc.bias.grad)
