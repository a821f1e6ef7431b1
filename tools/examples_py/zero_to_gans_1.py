# "PyTorch: Zero to GANs", part 1: "PyTorch Basics: Tensors & Gradients" (Jovian).
# One change from the notebook: torch.full((3, 2), 42.) with a float fill value, because
# typetorch's torch.full with a JS number gives the default float dtype (shared/API.md §4).
# examples/zero_to_gans_1.ts is the same program in TypeScript.
import torch
import numpy as np

# Tensors
# Number
t1 = torch.tensor(4.)
print(t1)
print(t1.dtype)

# Vector
t2 = torch.tensor([1., 2, 3, 4])
print(t2)

# Matrix
t3 = torch.tensor([[5., 6],
                   [7, 8],
                   [9, 10]])
print(t3)

# 3-dimensional array
t4 = torch.tensor([
    [[11, 12, 13],
     [13, 14, 15]],
    [[15, 16, 17],
     [17, 18, 19.]]])
print(t4)

print(t1.shape)
print(t2.shape)
print(t3.shape)
print(t4.shape)

# Tensor operations and gradients
# Create tensors.
x = torch.tensor(3.)
w = torch.tensor(4., requires_grad=True)
b = torch.tensor(5., requires_grad=True)
print(x, w, b)

# Arithmetic operations
y = w * x + b
print(y)

# Compute derivatives
y.backward()

# Display gradients
print('dy/dx:', x.grad)
print('dy/dw:', w.grad)
print('dy/db:', b.grad)

# Tensor functions
# Create a tensor with a fixed value for every element
t6 = torch.full((3, 2), 42.)
print(t6)

# Concatenate two tensors with compatible shapes
t7 = torch.cat((t3, t6))
print(t7)

# Compute the sin of each element
t8 = torch.sin(t7)
print(t8)

# Change the shape of a tensor
t9 = t8.reshape(3, 2, 2)
print(t9)

# Interoperability with Numpy
x = np.array([[1, 2], [3, 4.]])

# Convert the numpy array to a torch tensor.
y = torch.from_numpy(x)
print(y)
print(x.dtype, y.dtype)

# Convert a torch tensor to a numpy array
z = y.numpy()
print(z.dtype, z.shape)

# from_numpy and numpy() share memory with the array: a write to one shows in the others
x[0, 0] = 10.
print(y)
print(z[0, 0], z[1, 1])
