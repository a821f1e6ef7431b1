// "Introduction to PyTorch Tensors" (pytorch/tutorials beginner_source/introyt/tensors_deeper_tutorial.py,
// from Introduction to PyTorch on YouTube; BSD-3-Clause, Copyright (c) 2017-2024 PyTorch contributors).
// torch.empty's tensors hold whatever was in memory, so their values are not printed (their shapes
// and type are); the cells that raise on purpose are left out as in the tutorial; the NumPy arrays
// print as lists (numpy's own layout of random floats is NumPy's, not PyTorch's); of torch.svd's
// result only the singular values print (typetorch's singular vectors can differ from LAPACK's in
// sign); the prose is left out. Everything else is the tutorial's program, translated by the rules of shared/API.md (Python's
// integer literals in torch.tensor are asked for as int64, shared/API.md §4; `c is d` is
// `c === d`); tools/examples_py/tensors_deeper.py is the same program in Python, and
// test/examples.test.ts checks that this one prints what that one prints under PyTorch.
//
//   node --conditions=source --import tsx examples/tensors_deeper.ts

import assert from "node:assert/strict";
import torch, { type Tensor } from "typetorch";
import { print, float, list } from "./pyprint.js";

// Creating Tensors
let x = torch.empty(3, 4);
print(x.constructor.name);
print(x.shape, x.dtype);

let zeros = torch.zeros(2, 3);
print(zeros);

let ones = torch.ones(2, 3);
print(ones);

torch.manual_seed(1729);
const random = torch.rand(2, 3);
print(random);

// Random Tensors and Seeding
torch.manual_seed(1729);
const random1 = torch.rand(2, 3);
print(random1);

const random2 = torch.rand(2, 3);
print(random2);

torch.manual_seed(1729);
const random3 = torch.rand(2, 3);
print(random3);

const random4 = torch.rand(2, 3);
print(random4);

// Tensor Shapes
x = torch.empty(2, 2, 3);
print(x.shape);

const empty_like_x = torch.empty_like(x);
print(empty_like_x.shape);

const zeros_like_x = torch.zeros_like(x);
print(zeros_like_x.shape);
print(zeros_like_x);

const ones_like_x = torch.ones_like(x);
print(ones_like_x.shape);
print(ones_like_x);

const rand_like_x = torch.rand_like(x);
print(rand_like_x.shape);
print(rand_like_x);

const some_constants = torch.tensor([[3.1415926, 2.71828], [1.61803, 0.0072897]]);
print(some_constants);

const some_integers = torch.tensor([2, 3, 5, 7, 11, 13, 17, 19], { dtype: torch.int64 });
print(some_integers);

const more_integers = torch.tensor([[2, 4, 6], [3, 6, 9]], { dtype: torch.int64 });
print(more_integers);

// Tensor Data Types
let a = torch.ones([2, 3], { dtype: torch.int16 });
print(a);

let b = torch.rand([2, 3], { dtype: torch.float64 }).mul(20.);
print(b);

let c = b.to(torch.int32);
print(c);

// Math & Logic with PyTorch Tensors
ones = torch.zeros(2, 2).add(1);
const twos = torch.ones(2, 2).mul(2);
const threes = torch.ones(2, 2).mul(7).sub(1).div(2);
const fours = twos.pow(2);
const sqrt2s = twos.pow(0.5);

print(ones);
print(twos);
print(threes);
print(fours);
print(sqrt2s);

const powers2 = twos.pow(torch.tensor([[1, 2], [3, 4]], { dtype: torch.int64 }));
print(powers2);

const fives = ones.add(fours);
print(fives);

const dozens = threes.mul(fours);
print(dozens);

// In Brief: Tensor Broadcasting
const rand = torch.rand(2, 4);
const doubled = rand.mul(torch.ones(1, 4).mul(2));

print(rand);
print(doubled);

a = torch.ones(4, 3, 2);

b = a.mul(torch.rand(3, 2)); // 3rd & 2nd dims identical to a, dim 1 absent
print(b);

c = a.mul(torch.rand(3, 1)); // 3rd dim = 1, 2nd dim identical to a
print(c);

let d = a.mul(torch.rand(1, 2)); // 3rd dim identical to a, 2nd dim = 1
print(d);

// More Math with Tensors
// common functions
a = torch.rand(2, 4).mul(2).sub(1);
print("Common functions:");
print(torch.abs(a));
print(torch.ceil(a));
print(torch.floor(a));
print(torch.clamp(a, -0.5, 0.5));

// trigonometric functions and their inverses
const angles = torch.tensor([0, Math.PI / 4, Math.PI / 2, 3 * Math.PI / 4]);
const sines = torch.sin(angles);
const inverses = torch.asin(sines);
print("\nSine and arcsine:");
print(angles);
print(sines);
print(inverses);

// bitwise operations
print("\nBitwise XOR:");
b = torch.tensor([1, 5, 11], { dtype: torch.int64 });
c = torch.tensor([2, 7, 10], { dtype: torch.int64 });
print(torch.bitwise_xor(b, c));

// comparisons:
print("\nBroadcasted, element-wise equality comparison:");
d = torch.tensor([[1., 2.], [3., 4.]]);
const e = torch.ones(1, 2); // many comparison ops support broadcasting!
print(torch.eq(d, e)); // returns a tensor of type bool

// reductions:
print("\nReduction ops:");
print(torch.max(d)); // returns a single-element tensor
print(float(torch.max(d).item())); // extracts the value from the returned tensor
print(torch.mean(d)); // average
print(torch.std(d)); // standard deviation
print(torch.prod(d)); // product of all numbers
print(torch.unique(torch.tensor([1, 2, 1, 2, 1, 2], { dtype: torch.int64 }))); // filter unique elements

// vector and linear algebra operations
const v1 = torch.tensor([1., 0., 0.]); // x unit vector
const v2 = torch.tensor([0., 1., 0.]); // y unit vector
const m1 = torch.rand(2, 2); // random matrix
const m2 = torch.tensor([[3., 0.], [0., 3.]]); // three times identity matrix

print("\nVectors & Matrices:");
print(torch.cross(v2, v1)); // negative of z unit vector (v1 x v2 == -v2 x v1)
print(m1);
const m3 = torch.matmul(m1, m2);
print(m3); // 3 times m1
print(torch.svd(m3).S); // singular value decomposition (its singular values)

// Altering Tensors in Place
a = torch.tensor([0, Math.PI / 4, Math.PI / 2, 3 * Math.PI / 4]);
print("a:");
print(a);
print(torch.sin(a)); // this operation creates a new tensor in memory
print(a); // a has not changed

b = torch.tensor([0, Math.PI / 4, Math.PI / 2, 3 * Math.PI / 4]);
print("\nb:");
print(b);
print(torch.sin_(b)); // note the underscore
print(b); // b has changed

a = torch.ones(2, 2);
b = torch.rand(2, 2);

print("Before:");
print(a);
print(b);
print("\nAfter adding:");
print(a.add_(b));
print(a);
print(b);
print("\nAfter multiplying");
print(b.mul_(b));
print(b);

a = torch.rand(2, 2);
b = torch.rand(2, 2);
c = torch.zeros(2, 2);
const old_c = c;

print(c);
d = torch.matmul(a, b, { out: c });
print(c); // contents of c have changed

assert.ok(c === d); // test c & d are same object, not just containing equal values
assert.ok(c === old_c); // make sure that our new c is the same object as the old one

torch.rand(2, 2, { out: c }); // works for creation too!
print(c); // c has changed again
assert.ok(c === old_c); // still the same object!

// Copying Tensors
a = torch.ones(2, 2);
b = a;

a.index(0).index_put_([1], 561); // we change a...
print(b); // ...and b is also altered

a = torch.ones(2, 2);
b = a.clone();

assert.ok(b !== a); // different objects in memory...
print(torch.eq(a, b)); // ...but still with the same contents!

a.index(0).index_put_([1], 561); // a changes...
print(b); // ...but b is still all ones

a = torch.rand(2, 2, { requires_grad: true }); // turn on autograd
print(a);

b = a.clone();
print(b);

c = a.detach().clone();
print(c);

print(a);

// Moving to an accelerator
if (torch.accelerator.is_available()) {
  print("We have an accelerator!");
} else {
  print("Sorry, CPU only.");
}

if (torch.accelerator.is_available()) {
  const gpu_rand = torch.rand(2, 2, { device: torch.accelerator.current_accelerator()! });
  print(gpu_rand);
} else {
  print("Sorry, CPU only.");
}

const my_device = torch.accelerator.is_available() ? torch.accelerator.current_accelerator()! : torch.device("cpu");
print(`Device: ${my_device}`);

x = torch.rand(2, 2, { device: my_device });
print(x);

let y = torch.rand(2, 2);
y = y.to(my_device);

// Manipulating Tensor Shapes
a = torch.rand(3, 226, 226);
b = a.unsqueeze(0);

print(a.shape);
print(b.shape);

c = torch.rand(1, 1, 1, 1, 1);
print(c);

a = torch.rand(1, 20);
print(a.shape);
print(a);

b = a.squeeze(0);
print(b.shape);
print(b);

c = torch.rand(2, 2);
print(c.shape);

d = c.squeeze(0);
print(d.shape);

a = torch.ones(4, 3, 2);
b = torch.rand(3); // trying to multiply a * b will give a runtime error
c = b.unsqueeze(1); // change to a 2-dimensional tensor, adding new dim at the end
print(c.shape);
print(a.mul(c)); // broadcasting works again!

const batch_me = torch.rand(3, 226, 226);
print(batch_me.shape);
batch_me.unsqueeze_(0);
print(batch_me.shape);

const output3d = torch.rand(6, 20, 20);
print(output3d.shape);

const input1d = output3d.reshape(6 * 20 * 20);
print(input1d.shape);

// can also call it as a method on the torch module:
print(torch.reshape(output3d, [6 * 20 * 20]).shape);

// NumPy Bridge: NumPy arrays are what torch.from_numpy takes and t.numpy() returns
/** numpy_array.tolist() of a 2-d float array, printed as Python prints it */
const tolist = (n: { data: ArrayLike<number>; shape: readonly number[] }) =>
  list(Array.from({ length: n.shape[0]! }, (_, i) => list(Array.from(Array.prototype.slice.call(n.data, i * n.shape[1]!, (i + 1) * n.shape[1]!) as number[], float))));

const numpy_array = { data: new Float64Array(6).fill(1), shape: [2, 3] }; // np.ones((2, 3))
print(tolist(numpy_array));

const pytorch_tensor = torch.from_numpy(numpy_array);
print(pytorch_tensor);

const pytorch_rand = torch.rand(2, 3);
print(pytorch_rand);

const numpy_rand = pytorch_rand.numpy() as { data: Float32Array; shape: number[] };
print(tolist(numpy_rand));

numpy_array.data[1 * 3 + 1] = 23; // numpy_array[1, 1] = 23
print(pytorch_tensor);

pytorch_rand.index_put_([1, 1], 17);
print(tolist(numpy_rand));
void (y satisfies Tensor);
