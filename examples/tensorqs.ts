// Learn the Basics: Tensors (the PyTorch tutorial tensorqs_tutorial.py), with one change: the
// random tensors are drawn after torch.manual_seed(0). Everything else is the tutorial's program,
// translated by the rules of shared/API.md: Python's ints are BigInts where a tensor is made of them
// (a JavaScript number is a float, shared/API.md §4), NumPy's arrays the ndarray-like objects that
// torch.from_numpy takes and t.numpy() returns; tools/examples_py/tensorqs.py is the same program
// in Python, and test/examples.test.ts checks that this one prints what that one prints under
// PyTorch.
//
//   node --conditions=source --import tsx examples/tensorqs.ts

import torch from "typetorch";
import { ndarray, print, pyfloat } from "./pyprint.js";

torch.manual_seed(0);

// Initializing a Tensor
//
// **Directly from data**

const data = [[1n, 2n], [3n, 4n]];
const x_data = torch.tensor(data);

// **From a NumPy array**

const np_array = { data: BigInt64Array.of(...data.flat()), shape: [2, 2] }; // np.array(data)
const x_np = torch.from_numpy(np_array);

// **From another tensor:**

const x_ones = torch.ones_like(x_data); // retains the properties of x_data
print(`Ones Tensor: \n ${x_ones} \n`);

const x_rand = torch.rand_like(x_data, { dtype: torch.float }); // overrides the datatype of x_data
print(`Random Tensor: \n ${x_rand} \n`);

// **With random or constant values:**

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

// **Standard numpy-like indexing and slicing:**

tensor = torch.ones(4, 4);
print(`First row: ${tensor.index(0)}`);
print(`First column: ${tensor.index(torch.slice(null), 0)}`);
print(`Last column: ${tensor.index("...", -1)}`);
tensor.index_put_([torch.slice(null), 1], 0);
print(tensor);

// **Joining tensors**

const t1 = torch.cat([tensor, tensor, tensor], { dim: 1 });
print(t1);

// **Arithmetic operations**

// This computes the matrix multiplication between two tensors. y1, y2, y3 will have the same value
// ``tensor.T`` returns the transpose of a tensor
const y1 = tensor.matmul(tensor.T); // tensor @ tensor.T
const y2 = tensor.matmul(tensor.T);

const y3 = torch.rand_like(y1);
torch.matmul(tensor, tensor.T, { out: y3 });

// This computes the element-wise product. z1, z2, z3 will have the same value
const z1 = tensor.mul(tensor); // tensor * tensor
const z2 = tensor.mul(tensor);

const z3 = torch.rand_like(tensor);
torch.mul(tensor, tensor, { out: z3 });

// **Single-element tensors**

const agg = tensor.sum();
const agg_item = agg.item();
print(pyfloat(agg_item), "<class 'float'>"); // print(agg_item, type(agg_item))

// **In-place operations**

print(`${tensor} \n`);
tensor.add_(5);
print(tensor);

// Bridge with NumPy
// Tensor to NumPy array

let t = torch.ones(5);
print(`t: ${t}`);
let n = t.numpy();
print(`n: ${ndarray(n)}`);

// A change in the tensor reflects in the NumPy array.

t.add_(1);
print(`t: ${t}`);
print(`n: ${ndarray(n)}`);

// NumPy array to Tensor

const ones = new Float64Array(5).fill(1);
n = { data: ones, shape: [5], strides: [1], dtype: "float64" }; // np.ones(5)
t = torch.from_numpy(n);

// Changes in the NumPy array reflects in the tensor.
ones.forEach((v, i) => { ones[i] = v + 1; }); // np.add(n, 1, out=n)
print(`t: ${t}`);
print(`n: ${ndarray(n)}`);

void [x_np, y2, z1, z2]; // made as the tutorial makes them, to show the ways
