// Python's warnings, as typetorch prints them. Its own module, importing nothing, so that the
// Tensor class itself can warn (the .grad of a non-leaf) without an import cycle through the ops.

const warned = new Set<string>();
/** Python's warnings.warn under the default filter (PyTorch's TORCH_WARN_ONCE): each message once
 *  per process. */
export function warnOnce(msg: string): void {
  if (warned.has(msg)) return;
  warned.add(msg);
  console.warn(`UserWarning: ${msg}`);
}
