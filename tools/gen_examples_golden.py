#!/usr/bin/python3
"""Golden output for examples/*.ts: what the same programs print under real PyTorch.

Run with PyTorch 2.x: /work/.venv-torch/bin/python tools/gen_examples_golden.py [name ...]
Runs each tools/examples_py/<name>.py and writes its stdout to test/golden/examples/<name>.txt,
which test/examples.test.ts compares with the stdout of examples/<name>.ts. The examples that
keep the original's several files in a folder run as PROGRAMS says (a script and its command
line), as test/examples.test.ts runs their TypeScript.

One rewrite of the output: Python's repr of an autograd node carries its memory address,
`<AddBackward0 object at 0x7f6d72077760>`, which changes from run to run; typetorch prints
`<AddBackward0 object>` (shared/API.md §3), so the address is dropped here.
"""
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SRC = os.path.join(ROOT, "tools", "examples_py")
OUT = os.path.join(ROOT, "test", "golden", "examples")

# name -> the script under tools/examples_py and its arguments (test/examples.test.ts's `script`
# and `args` for the same names)
PROGRAMS = {
    "word_language_model": ("word_language_model/main.py", []),
    "word_language_model_transformer": ("word_language_model/main.py", ["--model", "Transformer", "--lr", "5"]),
}

# (modules whose name starts with "_" are shared by the examples, not examples themselves)
names = sys.argv[1:] or sorted([f[:-3] for f in os.listdir(SRC) if f.endswith(".py") and not f.startswith("_")] + list(PROGRAMS))
os.makedirs(OUT, exist_ok=True)
for name in names:
    # stderr is left out: PyTorch's UserWarnings (e.g. reading .grad of a non-leaf) go there
    script, args = PROGRAMS.get(name, (name + ".py", []))
    res = subprocess.run([sys.executable, os.path.join(SRC, script), *args], cwd=ROOT,
                         stdout=subprocess.PIPE, check=True, text=True)
    text = re.sub(r" object at 0x[0-9a-fA-F]+>", " object>", res.stdout)
    with open(os.path.join(OUT, name + ".txt"), "w") as f:
        f.write(text)
    print(f"{name}: {text.count(chr(10))} lines")
