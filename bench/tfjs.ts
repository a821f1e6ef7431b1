// The JavaScript peer: the same workloads in TensorFlow.js on its WebAssembly backend (one
// thread under Node). tfjs-layers is loaded because it registers the gradients of the ops the
// training workloads differentiate.

import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-wasm";
import "@tensorflow/tfjs-layers";

export async function initTfjs(): Promise<boolean> {
  try { return await tf.setBackend("wasm"); } catch { return false; }
}

/** µs per call of fn over iters calls, tensors created inside freed by tidy. */
function perIter(fn: () => void, iters: number): number {
  const t0 = performance.now();
  for (let i = 0; i < iters; i++) tf.tidy(fn);
  return ((performance.now() - t0) * 1000) / iters;
}

export const tfjs = {
  addTiny(): number {
    const a = tf.ones([2, 2]), b = tf.ones([2, 2]);
    perIter(() => { tf.add(a, b); }, 2000);
    const r = perIter(() => { tf.add(a, b); }, 20000);
    tf.dispose([a, b]); return r;
  },
  backwardTiny(): number {
    const a = tf.variable(tf.ones([2, 2])), b = tf.variable(tf.ones([2, 2]));
    const f = () => { tf.variableGrads(() => tf.sum(tf.add(tf.mul(a, b), a)) as tf.Scalar, [a, b]); };
    perIter(f, 500);
    const r = perIter(f, 5000);
    tf.dispose([a, b]); return r;
  },
  /** GFLOP/s of an n x n float32 matmul. */
  matmul(n: number): number {
    const a = tf.randomNormal([n, n]), b = tf.randomNormal([n, n]);
    const iters = Math.max(2, Math.round(2e8 / (n * n * n)));
    perIter(() => { tf.matMul(a, b).dataSync(); }, 1);
    const us = perIter(() => { tf.matMul(a, b).dataSync(); }, iters);
    tf.dispose([a, b]); return (2 * n * n * n) / (us * 1e3);
  },
  /** GB/s of an elementwise op on n floats (bytes read + written). */
  elementwise(op: "add" | "exp", n: number): number {
    const a = tf.randomNormal([n]), b = tf.randomNormal([n]);
    const f = op === "add" ? () => { tf.add(a, b).dataSync(); } : () => { tf.exp(a).dataSync(); };
    perIter(f, 2);
    const us = perIter(f, 10);
    tf.dispose([a, b]); return ((op === "add" ? 3 : 2) * 4 * n) / (us * 1e3);
  },
  /** ms per training step of an MLP with the given layer sizes. */
  mlpStep(sizes: number[], batch: number, loss: "mse_sum" | "cross_entropy", opt: "adam" | "sgd_momentum", lr: number): number {
    const params: tf.Variable[] = [];
    for (let i = 0; i + 1 < sizes.length; i++) {
      params.push(tf.variable(tf.randomUniform([sizes[i]!, sizes[i + 1]!], -0.05, 0.05)), tf.variable(tf.zeros([sizes[i + 1]!])));
    }
    const x = tf.randomNormal([batch, sizes[0]!]);
    const out = sizes[sizes.length - 1]!;
    const y = loss === "mse_sum" ? tf.randomNormal([batch, out]) : tf.oneHot(tf.randomUniform([batch], 0, out, "int32"), out);
    const optimizer = opt === "adam" ? tf.train.adam(lr) : tf.train.momentum(lr, 0.9);
    const step = () => optimizer.minimize(() => {
      let h: tf.Tensor = x;
      for (let i = 0; i < params.length; i += 2) {
        h = tf.add(tf.matMul(h, params[i]!), params[i + 1]!);
        if (i + 2 < params.length) h = tf.relu(h);
      }
      return (loss === "mse_sum" ? tf.sum(tf.square(tf.sub(h, y))) : tf.losses.softmaxCrossEntropy(y, h)) as tf.Scalar;
    }, false, params);
    perIter(step, 3);
    const ms = perIter(step, 20) / 1000;
    tf.dispose([...params, x, y]); optimizer.dispose();
    return ms;
  },
};
