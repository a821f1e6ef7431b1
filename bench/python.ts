// The PyTorch the bench compares with: TYPETORCH_BENCH_PYTHON if set, else a
// .venv-torch/bin/python in the project root or next to it (PyTorch 2.x's CPU wheel:
// `python3 -m venv .venv-torch && .venv-torch/bin/pip install torch`), else Debian's
// /usr/bin/python3 (python3-torch, 1.13 with OpenBLAS).

import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

export const DEBIAN_PYTHON = "/usr/bin/python3";

function pickPython(): string {
  const env = process.env["TYPETORCH_BENCH_PYTHON"];
  if (env) return env;
  const root = new URL("..", import.meta.url);
  for (const dir of [root, new URL("..", root)]) {
    const py = new URL(".venv-torch/bin/python", dir);
    if (existsSync(py)) return py.pathname;
  }
  return DEBIAN_PYTHON;
}

export const python = pickPython();

/** The version of the PyTorch that `python` imports, or null without one. */
export function torchVersion(): string | null {
  try {
    return execFileSync(python, ["-c", "import torch; print(torch.__version__)"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch { return null; }
}

/** Runs `code` under `python` and returns what it printed (its stderr passes through). */
export function runPython(code: string, env: Record<string, string> = {}): string {
  return execFileSync(python, ["-c", code], {
    encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 1 << 26, env: { ...process.env, ...env },
  });
}
