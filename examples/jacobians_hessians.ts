// After "Jacobians, Hessians, hvp, vhp, and more: composing function transforms" (pytorch/tutorials
// intermediate_source/jacobians_hessians.py): Jacobians by a loop of vector-Jacobian products,
// by vmap(vjp) and by jacrev/jacfwd; Hessians; batched Jacobians and Hessians; Hessian-vector
// products. The timing comparisons are left out (they measure the machine); the prints show the
// numbers to compare. Translated by the rules of shared/API.md; tools/examples_py/
// jacobians_hessians.py is the same program in Python, and test/examples.test.ts checks that this
// one prints what that one prints under PyTorch.
//
//   node --conditions=source --import tsx examples/jacobians_hessians.ts

import torch, { type Tensor } from "typetorch";
import { print } from "./pyprint.js";

const F = torch.nn.functional;
torch.manual_seed(0);

const assert = (ok: boolean): void => { if (!ok) throw new Error("AssertionError"); };

function predict(weight: Tensor, bias: Tensor, x: Tensor): Tensor {
  return F.linear(x, weight, bias).tanh();
}

const D = 16;
let weight = torch.randn(D, D);
let bias = torch.randn(D);
let x = torch.randn(D); // feature vector

function compute_jac(xp: Tensor): Tensor {
  const jacobian_rows = unit_vectors.unbind(0).map((vec) => torch.autograd.grad(predict(weight, bias, xp), xp, { grad_outputs: vec })[0]!);
  return torch.stack(jacobian_rows);
}

const xp = x.clone().requires_grad_();
const unit_vectors = torch.eye(D);

const jacobian = compute_jac(xp);

print(jacobian.shape);
print(jacobian.index(0)); // show first row

const { vmap, vjp, jacrev, jacfwd, hessian, jvp, grad } = torch.func;

const [, vjp_fn] = vjp((x: Tensor) => predict(weight, bias, x), x) as [Tensor, (ct: Tensor) => Tensor[]];

let [ft_jacobian] = vmap(vjp_fn)(unit_vectors) as Tensor[];

// let's confirm both methods compute the same result
assert(torch.allclose(ft_jacobian!, jacobian));

ft_jacobian = jacrev(predict, 2)(weight, bias, x) as Tensor;

// Confirm by running the following
assert(torch.allclose(ft_jacobian, jacobian));

// Jacobians with respect to several arguments
const [ft_jac_weight, ft_jac_bias] = jacrev(predict, [0, 1])(weight, bias, x) as Tensor[];
print(ft_jac_weight!.shape, ft_jac_bias!.shape);
print(ft_jac_bias!.index(torch.slice(null, 2), torch.slice(null, 4)));

// reverse mode and forward mode give the same Jacobian
const jacfwd_jacobian = jacfwd(predict, 2)(weight, bias, x) as Tensor;
assert(torch.allclose(jacfwd_jacobian, ft_jacobian));

// Hessians: the Jacobian of the Jacobian
let Din = 8;
let Dout = 4;
weight = torch.randn(Dout, Din);
bias = torch.randn(Dout);
x = torch.randn(Din);

const hess_api = hessian(predict, 2)(weight, bias, x) as Tensor;
const hess_fwdfwd = jacfwd(jacfwd(predict, 2), 2)(weight, bias, x) as Tensor;
const hess_revrev = jacrev(jacrev(predict, 2), 2)(weight, bias, x) as Tensor;
assert(torch.allclose(hess_api, hess_fwdfwd));
assert(torch.allclose(hess_api, hess_revrev));
print(hess_api.shape);
print(hess_api.index(0, torch.slice(null, 3), torch.slice(null, 3)));

// Batch Jacobian and batch Hessian
const batch_size = 4;
Din = 7;
Dout = 5;

weight = torch.randn(Dout, Din);
bias = torch.randn(Dout);
x = torch.randn(batch_size, Din);

const compute_batch_jacobian = vmap(jacrev(predict, 2), [null, null, 0]);
const batch_jacobian0 = compute_batch_jacobian(weight, bias, x) as Tensor;

function predict_with_output_summed(weight: Tensor, bias: Tensor, x: Tensor): Tensor {
  return predict(weight, bias, x).sum(0);
}

const batch_jacobian1 = (jacrev(predict_with_output_summed, 2)(weight, bias, x) as Tensor).movedim(1, 0);
assert(torch.allclose(batch_jacobian0, batch_jacobian1));
print(batch_jacobian0.shape);

const compute_batch_hessian = vmap(hessian(predict, 2), [null, null, 0]);
const batch_hess = compute_batch_hessian(weight, bias, x) as Tensor;
print(batch_hess.shape);

// Hessian-vector products: forward-over-reverse, and reverse-over-reverse
function hvp(f: (x: Tensor) => Tensor, primals: Tensor[], tangents: Tensor[]): Tensor {
  return jvp(grad(f), primals, tangents)[1] as Tensor;
}

function hvp_revrev(f: (x: Tensor) => Tensor, primals: Tensor[], tangents: Tensor[]): Tensor[] {
  const [, vjp_fn] = vjp(grad(f), ...primals) as [Tensor, (...ct: Tensor[]) => Tensor[]];
  return vjp_fn(...tangents);
}

function f(x: Tensor): Tensor {
  return x.sin().sum();
}

x = torch.randn(2048);
const tangent = torch.randn(2048);

const result = hvp(f, [x], [tangent]);
const result_revrev = hvp_revrev(f, [x], [tangent]);
assert(torch.allclose(result, result_revrev[0]!));
print(result.index(torch.slice(null, 5)));
