// Layout arithmetic the fast backends share (no kernels: nothing here touches elements).

import type { Shape } from "../core/shape.js";

/** The shape with each operand's element strides, size-1 dims dropped and neighbours that every
 *  operand steps through as one run merged, left-padded to four dims; null past four. */
export function collapse(shape: Shape, strides: (readonly number[])[]): [number[], number[][]] | null {
  const n: number[] = [], st: number[][] = strides.map(() => []);
  shape.forEach((size, i) => {
    if (size === 1) return;
    const k = n.length - 1;
    if (k >= 0 && strides.every((s, j) => st[j]![k] === s[i]! * size)) {
      n[k] *= size;
      strides.forEach((s, j) => { st[j]![k] = s[i]!; });
      return;
    }
    n.push(size);
    strides.forEach((s, j) => st[j]!.push(s[i]!));
  });
  if (n.length > 4) return null;
  while (n.length < 4) { n.unshift(1); for (const s of st) s.unshift(0); }
  return [n, st];
}

