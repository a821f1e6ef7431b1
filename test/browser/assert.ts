// node:assert/strict for test code bundled into a browser page (test/browser/chromium.ts's
// bundle() maps the import here): the calls the op database's cases make (./opdb_page.ts), with
// node's strict semantics (Object.is for values, deep equality of arrays and plain objects).

export class AssertionError extends Error {
  override name = "AssertionError";
}

const message = (m: string | Error | undefined, fallback: string): string => (m instanceof Error ? m.message : m ?? fallback);

function fail(m?: string | Error): never {
  throw new AssertionError(message(m, "Failed"));
}

function ok(v: unknown, m?: string | Error): asserts v {
  if (!v) fail(message(m, `The expression evaluated to a falsy value: ${String(v)}`));
}

function equal(a: unknown, b: unknown, m?: string | Error): void {
  if (!Object.is(a, b)) fail(message(m, `Expected values to be strictly equal: ${String(a)} !== ${String(b)}`));
}

function same(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  const ka = Object.keys(a), kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

function deepEqual(a: unknown, b: unknown, m?: string | Error): void {
  if (!same(a, b)) fail(message(m, `Expected values to be strictly deep-equal: ${JSON.stringify(a)} and ${JSON.stringify(b)}`));
}

/** f must throw; `check` (a validation function) must return true for what it threw. */
function throws(f: () => unknown, check?: (e: unknown) => boolean, m?: string | Error): void {
  try { f(); } catch (e) {
    if (check !== undefined && check(e) !== true) fail(message(m, `The validation function rejected ${String(e)}`));
    return;
  }
  fail(message(m, "Missing expected exception."));
}

export default { AssertionError, fail, ok, equal, deepEqual, throws };
