// "PyTorch: Zero to GANs", part 1: "PyTorch Basics: Tensors & Gradients" (Jovian), translated
// by the rules of shared/API.md. tools/examples_py/zero_to_gans_1.py is the same program in
// Python; test/examples.test.ts checks that this one prints what that one prints under PyTorch.
// NumPy arrays become the ndarray-like objects of shared/API.md §4 ({data, shape, dtype}).
//
//   node --conditions=source --import tsx examples/zero_to_gans_1.ts

import torch from "typetorch";
import { print, pyfloat } from "./pyprint.js";

// Tensors
// Number
const t1 = torch.tensor(4.);
print(t1);
print(t1.dtype);

// Vector
const t2 = torch.tensor([1., 2, 3, 4]);
print(t2);

// Matrix
const t3 = torch.tensor([[5., 6],
                         [7, 8],
                         [9, 10]]);
print(t3);

// 3-dimensional array
const t4 = torch.tensor([
  [[11, 12, 13],
   [13, 14, 15]],
  [[15, 16, 17],
   [17, 18, 19.]]]);
print(t4);

print(t1.shape);
print(t2.shape);
print(t3.shape);
print(t4.shape);

// Tensor operations and gradients
// Create tensors.
const x = torch.tensor(3.);
const w = torch.tensor(4., { requires_grad: true });
const b = torch.tensor(5., { requires_grad: true });
print(x, w, b);

// Arithmetic operations
const y = w.mul(x).add(b);
print(y);

// Compute derivatives
y.backward();

// Display gradients
print("dy/dx:", x.grad);
print("dy/dw:", w.grad);
print("dy/db:", b.grad);

// Tensor functions
// Create a tensor with a fixed value for every element
const t6 = torch.full([3, 2], 42);
print(t6);

// Concatenate two tensors with compatible shapes
const t7 = torch.cat([t3, t6]);
print(t7);

// Compute the sin of each element
const t8 = torch.sin(t7);
print(t8);

// Change the shape of a tensor
const t9 = t8.reshape(3, 2, 2);
print(t9);

// Interoperability with Numpy (the notebook reuses the names x and y here; TypeScript
// cannot give a const a new type, hence xn and yt)
const xn = { data: new Float64Array([1, 2, 3, 4]), shape: [2, 2], dtype: "float64" };

// Convert the numpy array to a torch tensor.
const yt = torch.from_numpy(xn);
print(yt);
print(xn.dtype, yt.dtype);

// Convert a torch tensor to a numpy array
const z = yt.numpy();
print(z.dtype, z.shape);

// from_numpy and numpy() share memory with the array: a write to one shows in the others
xn.data[0] = 10.; // x[0, 0] = 10.
print(yt);
print(pyfloat(z.data[0] as number), pyfloat(z.data[3] as number)); // z[0, 0], z[1, 1]
