// Python's warnings, as typetorch prints them. Its own module, importing nothing, so that the
// Tensor class itself can warn (the .grad of a non-leaf) without an import cycle through the ops.

const warned = new Set<string>();
/** Python's warnings.warn under the default filter (PyTorch's TORCH_WARN_ONCE): each message once
 *  per process. */
export function warnOnce(msg: string): void {
  if (warned.has(msg) && !warnAlways) return;
  warned.add(msg);
  console.warn(`UserWarning: ${msg}`);
}

let warnAlways = false;
/** torch.set_warn_always(b): every warning each time it happens, not once per process (PyTorch's
 *  TORCH_WARN_ONCE then warns as TORCH_WARN does). */
export function set_warn_always(b: boolean): void { warnAlways = b; }
export const is_warn_always_enabled = (): boolean => warnAlways;
