# "Getting Started with PyTorch Part 1: Understanding how Automatic Differentiation works"
# (Ayoosh Kathuria): the graph b = w1*a, c = w2*a, d = w3*b + w4*c, L = 10 - d, with the
# tutorial's legacy FloatTensor / Variable spelling, then a look at the graph itself
# (grad_fn, next_functions, is_leaf, requires_grad, retain_grad).
# examples/autodiff_intro.ts is the same program in TypeScript.
import torch
from torch import FloatTensor
from torch.autograd import Variable

# Define the leaf nodes
a = Variable(FloatTensor([4]))

weights = [Variable(FloatTensor([i]), requires_grad=True) for i in (2, 5, 9, 7)]

# unpack the weights for nicer assignment
w1, w2, w3, w4 = weights

b = w1 * a
c = w2 * a
d = w3 * b + w4 * c
L = (10 - d)

L.backward()

for index, weight in enumerate(weights, start=1):
    gradient, *_ = weight.grad.data
    print(f"Gradient of w{index} w.r.t to L: {gradient}")

# The graph: every non-leaf tensor has a grad_fn, and each grad_fn points at the functions
# that made its inputs (AccumulateGrad for leaves that require grad, None for the rest)
print(L)
print(L.grad_fn.name(), d.grad_fn.name(), b.grad_fn.name())
print(L.grad_fn.next_functions)
print(d.grad_fn.next_functions)
print(b.grad_fn.next_functions)
print(b.grad_fn.next_functions[0][0].variable is w1)
print(a.is_leaf, w1.is_leaf, b.is_leaf, L.is_leaf)
print(a.requires_grad, w1.requires_grad, b.requires_grad, L.requires_grad)
print(a.grad_fn, w1.grad_fn)

# Only leaves get .grad; intermediate nodes keep theirs when asked with retain_grad()
print(b.grad)
for w in weights:
    w.grad.zero_()
b = w1 * a
c = w2 * a
d = w3 * b + w4 * c
L = (10 - d)
b.retain_grad()
c.retain_grad()
d.retain_grad()
L.backward(retain_graph=True)
print(b.retains_grad, w1.retains_grad)
print(d.grad, b.grad, c.grad)
print(w1.grad, w2.grad, w3.grad, w4.grad)

# The graph was retained: a second backward accumulates into the same .grad
L.backward()
print(w1.grad, w2.grad, w3.grad, w4.grad)
