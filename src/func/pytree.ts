// Pytrees for torch.func: nested arrays (Python's tuples and lists) and plain objects (dicts) with
// anything else as leaves, as torch.utils._pytree flattens them.

/** Arrays and plain objects are containers; everything else is a leaf. */
export function isContainer(x: unknown): x is unknown[] | Record<string, unknown> {
  if (Array.isArray(x)) return true;
  if (x === null || typeof x !== "object") return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

/** A tree's leaves in order, and the function that puts new leaves in the same structure. */
export function treeFlatten(tree: unknown): [unknown[], (leaves: readonly unknown[]) => unknown] {
  const leaves: unknown[] = [];
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) x.forEach(walk);
    else if (isContainer(x)) Object.values(x).forEach(walk);
    else leaves.push(x);
  };
  walk(tree);
  const unflatten = (vals: readonly unknown[]): unknown => {
    let i = 0;
    const build = (x: unknown): unknown => {
      if (Array.isArray(x)) return x.map(build);
      if (isContainer(x)) return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, build(v)]));
      return vals[i++];
    };
    return build(tree);
  };
  return [leaves, unflatten];
}

/** The tree with f applied to each leaf. */
export function treeMap(tree: unknown, f: (leaf: unknown) => unknown): unknown {
  const [leaves, unflatten] = treeFlatten(tree);
  return unflatten(leaves.map(f));
}

/** The tree's structure as torch.utils._pytree prints a TreeSpec's leaves (`*`), for messages. */
export function treeStr(tree: unknown): string {
  if (Array.isArray(tree)) return tree.length === 1 ? `(${treeStr(tree[0])},)` : `(${tree.map(treeStr).join(", ")})`;
  if (isContainer(tree)) return `{${Object.entries(tree).map(([k, v]) => `'${k}': ${treeStr(v)}`).join(", ")}}`;
  return "*";
}
