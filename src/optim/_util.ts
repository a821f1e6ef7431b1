// Small helpers shared by torch.optim and torch.optim.lr_scheduler: Python's number formatting
// (the error messages carry PyTorch's f-strings, e.g. "Invalid learning rate: -1e-05") and
// Python's modulo.

/** Python's repr of a float that JS holds as `x`: the same shortest digits as JS, but Python
 *  switches to exponent notation below 1e-4 and from 1e16 (JS: below 1e-6 and from 1e21) and
 *  writes the exponent with a sign and at least two digits. Integral values print without
 *  ".0": a JS number cannot say whether the caller meant Python's int or float, and PyTorch's
 *  integral defaults (momentum=0, weight_decay=0) are ints. */
export function pyNum(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (Number.isInteger(x) && Math.abs(x) < 1e16) return String(x);
  const ax = Math.abs(x);
  if (ax !== 0 && (ax < 1e-4 || ax >= 1e16)) {
    const [mant, exp] = x.toExponential().split("e") as [string, string];
    const e = Number(exp);
    return `${mant}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
  }
  return String(x);
}

/** Python's repr of a hyperparameter value (used by Optimizer.toString): True/False/None,
 *  tuples in parentheses, strings quoted. With `float`, an integral number prints as Python's
 *  float does ("1.0"): for the hyperparameters PyTorch declares as floats with float defaults
 *  (Adadelta's lr=1.0), where the int-or-float question of pyNum has that answer. */
export function pyRepr(v: unknown, float = false): string {
  if (v === null || v === undefined) return "None";
  if (v === true) return "True";
  if (v === false) return "False";
  if (typeof v === "number") return float && Number.isInteger(v) && Math.abs(v) < 1e16 ? `${v}.0` : pyNum(v);
  if (typeof v === "string") return `'${v}'`;
  if (Array.isArray(v)) return v.length === 1 ? `(${pyRepr(v[0], float)},)` : `(${v.map((x) => pyRepr(x, float)).join(", ")})`;
  return String(v);
}

/** Hyperparameters whose PyTorch defaults are float literals (the others that can be integral,
 *  momentum=0, weight_decay=0, dampening=0, lr_decay=0, are int defaults and print as ints). */
export const FLOAT_HYPERPARAMETERS = new Set([
  "lr", "eps", "alpha", "rho", "betas", "momentum_decay", "initial_lr", "max_lr", "min_lr", "max_momentum", "base_momentum",
]);

/** Python's a % b (the result takes the sign of b), which the schedulers' formulas rely on. */
export function pymod(a: number, b: number): number {
  const m = a % b;
  return m !== 0 && (m < 0) !== (b < 0) ? m + b : m;
}

/** Python's a // b for numbers. */
export function floordiv(a: number, b: number): number {
  return Math.floor(a / b);
}
