// Layout arithmetic the fast backends share (no kernels: nothing here touches elements).

import type { Shape } from "../core/shape.js";

/** The shape with each operand's element strides, size-1 dims dropped and neighbours that every
 *  operand steps through as one run merged, left-padded to four dims; null past four. */
export function collapse(shape: Shape, strides: (readonly number[])[]): [number[], number[][]] | null {
  // (plain loops: this runs on every elementwise op, where closures and unshift cost more than the op)
  const m = strides.length, n: number[] = [], st: number[][] = new Array(m);
  for (let j = 0; j < m; j++) st[j] = [];
  for (let i = 0; i < shape.length; i++) {
    const size = shape[i]!;
    if (size === 1) continue;
    const k = n.length - 1;
    let merge = k >= 0;
    for (let j = 0; merge && j < m; j++) merge = st[j]![k] === strides[j]![i]! * size;
    if (merge) {
      n[k]! *= size;
      for (let j = 0; j < m; j++) st[j]![k] = strides[j]![i]!;
    } else {
      if (n.length === 4) return null;
      n.push(size);
      for (let j = 0; j < m; j++) st[j]!.push(strides[j]![i]!);
    }
  }
  const pad = 4 - n.length;
  if (pad === 0) return [n, st];
  const padded = (a: number[], fill: number) => { const out = [fill, fill, fill, fill]; for (let i = 0; i < a.length; i++) out[pad + i] = a[i]!; return out; };
  return [padded(n, 1), st.map((a) => padded(a, 0))];
}
