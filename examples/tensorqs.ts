// "Learn the Basics: Tensors" (pytorch/tutorials beginner_source/basics/tensorqs_tutorial.py;
// BSD-3-Clause, Copyright (c) 2017-2024 PyTorch contributors), seeded (torch.manual_seed(0)) so that
// its random tensors print the same every run; the prose is left out. Everything else is the
// tutorial's program, translated by the rules of shared/API.md. Its NumPy arrays are what
// t.numpy() returns and torch.from_numpy takes: {data (a typed array), shape, strides, dtype},
// sharing memory with the tensor as NumPy's arrays do, printed by pyprint's ndarray(). The products
// y1 … z3 are printed as well (the tutorial only computes them) to show that out= wrote y3 and z3.
// tools/examples_py/tensorqs.py is the same program in Python, and test/examples.test.ts checks
// that this one prints what that one prints under PyTorch.
//
//   node --conditions=source --import tsx examples/tensorqs.ts

import torch from "typetorch";
import { print, float, ndarray } from "./pyprint.js";

torch.manual_seed(0);

// Initializing a Tensor: directly from data
// (a JavaScript number has no integer type, so the int64 that Python infers from ints is asked
// for: shared/API.md §4)
const data = [[1, 2], [3, 4]];
const x_data = torch.tensor(data, { dtype: torch.long });

// From a NumPy array (np.array(data): int64, row-major)
const np_array = { data: BigInt64Array.from(data.flat(), BigInt), shape: [2, 2] };
const x_np = torch.from_numpy(np_array);
void x_np;

// From another tensor
const x_ones = torch.ones_like(x_data); // retains the properties of x_data
print(`Ones Tensor: \n ${x_ones} \n`);

const x_rand = torch.rand_like(x_data, { dtype: torch.float }); // overrides the datatype of x_data
print(`Random Tensor: \n ${x_rand} \n`);

// With random or constant values
const shape = [2, 3];
const rand_tensor = torch.rand(shape);
const ones_tensor = torch.ones(shape);
const zeros_tensor = torch.zeros(shape);

print(`Random Tensor: \n ${rand_tensor} \n`);
print(`Ones Tensor: \n ${ones_tensor} \n`);
print(`Zeros Tensor: \n ${zeros_tensor}`);

// Attributes of a Tensor
let tensor = torch.rand(3, 4);

print(`Shape of tensor: ${tensor.shape}`);
print(`Datatype of tensor: ${tensor.dtype}`);
print(`Device tensor is stored on: ${tensor.device}`);

// Operations on Tensors
// We move our tensor to the current accelerator if available
if (torch.accelerator.is_available()) {
  tensor = tensor.to(torch.accelerator.current_accelerator()!);
}

// Standard numpy-like indexing and slicing
tensor = torch.ones(4, 4);
print(`First row: ${tensor.index(0)}`);
print(`First column: ${tensor.index(torch.slice(), 0)}`);
print(`Last column: ${tensor.index("...", -1)}`);
tensor.index_put_([torch.slice(), 1], 0);
print(tensor);

// Joining tensors
const t1 = torch.cat([tensor, tensor, tensor], { dim: 1 });
print(t1);

// Arithmetic operations
// This computes the matrix multiplication between two tensors. y1, y2, y3 will have the same value
const y1 = tensor.matmul(tensor.T);
const y2 = tensor.matmul(tensor.T);

const y3 = torch.rand_like(y1);
torch.matmul(tensor, tensor.T, { out: y3 });

// This computes the element-wise product. z1, z2, z3 will have the same value
const z1 = tensor.mul(tensor);
const z2 = tensor.mul(tensor);

const z3 = torch.rand_like(tensor);
torch.mul(tensor, tensor, { out: z3 });
print([y1, y2, y3, z1, z2, z3].join("\n"));

// Single-element tensors
const agg = tensor.sum();
const agg_item = agg.item();
// (item() of a float tensor is a Python float: a JavaScript number)
print(float(agg_item), typeof agg_item === "number" ? "<class 'float'>" : typeof agg_item);

// In-place operations
print(`${tensor} \n`);
tensor.add_(5);
print(tensor);

// Bridge with NumPy: tensor to NumPy array
let t = torch.ones(5);
print(`t: ${t}`);
let n = t.numpy();
print(`n: ${ndarray(n)}`);

// A change in the tensor reflects in the NumPy array.
t.add_(1);
print(`t: ${t}`);
print(`n: ${ndarray(n)}`);

// NumPy array to Tensor (np.ones(5): float64)
n = { data: new Float64Array(5).fill(1), shape: [5], strides: [1], dtype: "float64" };
t = torch.from_numpy(n);

// Changes in the NumPy array reflects in the tensor. (np.add(n, 1, out=n))
for (let i = 0; i < n.data.length; i++) (n.data as Float64Array)[i]! += 1;
print(`t: ${t}`);
print(`n: ${ndarray(n)}`);
