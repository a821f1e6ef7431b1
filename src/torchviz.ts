// torchviz's make_dot (https://github.com/szagoruyko/pytorchviz, torchviz/dot.py): the autograd
// graph behind a tensor as Graphviz DOT text, node for node and line for line as torchviz draws
// it through Python's `graphviz` package (its quoting, its attribute order, its resize_graph).
//
// Nodes, as torchviz colours them: backward functions grey (the default fill), by their class
// name (AddBackward0, AccumulateGrad, ExpBackward for a custom Function); leaves that require
// grad light blue, named from `params` with their size; tensors a custom Function saved orange;
// the outputs green, and the base of an output that is a view dark green, joined by a dotted
// edge. Node names are identities (Python's id(); here a counter per object).

import { Tensor } from "./core/tensor.js";
import { Node, AccumulateGrad } from "./autograd/node.js";
import { FunctionCtx } from "./autograd/function.js";
import { nodeModule } from "./io/node.js";

/** graphviz.quoting.quote: an ID or a number as it is, an HTML string <...> as it is, anything
 *  else (a DOT keyword included) double-quoted with its unescaped quotes escaped. */
function quote(s: string): string {
  if (/^<.*>$/s.test(s)) return s;
  const isId = /^([a-zA-Z_][a-zA-Z0-9_]*|-?(\.[0-9]+|[0-9]+(\.[0-9]*)?))$/.test(s);
  if (isId && !["node", "edge", "graph", "digraph", "subgraph", "strict"].includes(s.toLowerCase())) return s;
  return `"${s.replace(/((?:\\\\)*)\\?"/g, '$1\\"')}"`;
}

/** graphviz's attr_list: the label first, then the other attributes sorted by name. */
function attrList(label: string | null, attrs: Record<string, string> = {}): string {
  const items = label === null ? [] : [`label=${quote(label)}`];
  for (const k of Object.keys(attrs).sort()) items.push(`${quote(k)}=${quote(attrs[k]!)}`);
  return items.length ? ` [${items.join(" ")}]` : "";
}

/** Python's repr of a float (15.0, 14.25, 12.450000000000001). */
const pyFloat = (x: number) => (Number.isInteger(x) ? `${x}.0` : String(x));

/** A Graphviz digraph as graphviz.Digraph holds it: `source` is the DOT text. */
export class Digraph {
  /** The statements, one per line (graphviz's `body`). */
  readonly body: string[] = [];
  constructor(readonly graph_attr: Record<string, string>, readonly node_attr: Record<string, string>) {}

  node(name: string, label: string | null, attrs: Record<string, string> = {}): void {
    this.body.push(`\t${quote(name)}${attrList(label, attrs)}\n`);
  }
  edge(tail: string, head: string, attrs: Record<string, string> = {}): void {
    this.body.push(`\t${quote(tail)} -> ${quote(head)}${attrList(null, attrs)}\n`);
  }

  get source(): string {
    return `digraph {\n\tgraph${attrList(null, this.graph_attr)}\n\tnode${attrList(null, this.node_attr)}\n${this.body.join("")}}\n`;
  }
  toString(): string { return this.source; }

  /**
   * The graph rendered by Graphviz's `dot` (Node only; `dot` must be on the PATH): bytes, or
   * text when `encoding` is given, as graphviz's Digraph.pipe. `pipe("svg", "utf-8")` is the SVG.
   */
  pipe(format?: string): Uint8Array;
  pipe(format: string, encoding: string): string;
  pipe(format = "svg", encoding?: string): Uint8Array | string {
    const cp = nodeModule<{
      spawnSync(cmd: string, args: string[], o: { input: string }): { status: number | null; stdout: Uint8Array; stderr: Uint8Array; error?: Error & { code?: string } };
    }>("node:child_process", "Digraph.pipe", "it runs Graphviz's dot");
    const r = cp.spawnSync("dot", [`-T${format}`], { input: this.source });
    if (r.error) {
      if (r.error.code === "ENOENT") throw new Error("failed to execute PosixPath('dot'), make sure the Graphviz executables are on your systems' PATH");
      throw r.error;
    }
    if (r.status !== 0) throw new Error(`Command '['dot', '-T${format}']' returned non-zero exit status ${r.status}. [stderr: ${JSON.stringify(new TextDecoder().decode(r.stderr))}]`);
    return encoding === undefined ? new Uint8Array(r.stdout) : new TextDecoder(encoding).decode(r.stdout);
  }
}

/**
 * torchviz.make_dot(var, params): the autograd graph that produced `var` (a tensor or an array of
 * output tensors) as a Digraph; `params` names the leaves ({name: tensor}, e.g.
 * Object.fromEntries(model.named_parameters())).
 */
export function make_dot(v: Tensor | readonly Tensor[], params: Record<string, Tensor> | Map<string, Tensor> | null = null): Digraph {
  const paramMap = new Map<Tensor, string>();
  if (params !== null) {
    for (const [k, p] of params instanceof Map ? params : Object.entries(params)) {
      if (!(p instanceof Tensor)) throw new Error("AssertionError: params must map names to tensors");
      paramMap.set(p, k);
    }
  }
  const dot = new Digraph({ size: "12,12" }, {
    style: "filled", shape: "box", align: "left", fontsize: "10", ranksep: "0.1", height: "0.2", fontname: "monospace",
  });
  const ids = new Map<object, string>();
  const id = (o: object) => {
    let s = ids.get(o);
    if (s === undefined) ids.set(o, (s = String(ids.size + 1)));
    return s;
  };
  const seen = new Set<object>();
  const varName = (t: Tensor, name?: string) => `${name || paramMap.get(t) || ""}\n (${t.shape.join(", ")})`;

  const addNodes = (fn: Node): void => {
    if (seen.has(fn)) return;
    seen.add(fn);
    if (fn instanceof AccumulateGrad) {
      const leaf = fn.variable;
      seen.add(leaf);
      dot.node(id(leaf), varName(leaf), { fillcolor: "lightblue" });
      dot.edge(id(leaf), id(fn));
    }
    dot.node(id(fn), fn.name());
    for (const [next] of fn.next_functions) {
      if (next !== null) {
        dot.edge(id(next), id(fn));
        addNodes(next);
      }
    }
    // a custom Function's saved tensors (torchviz reads fn.saved_tensors)
    if (fn instanceof FunctionCtx) {
      for (const t of fn.saved_tensors) {
        seen.add(t);
        dot.edge(id(t), id(fn), { dir: "none" });
        dot.node(id(t), varName(t), { fillcolor: "orange" });
      }
    }
  };

  const addBaseTensor = (t: Tensor, color = "darkolivegreen1"): void => {
    if (seen.has(t)) return;
    seen.add(t);
    dot.node(id(t), varName(t), { fillcolor: color });
    const fn = t.grad_fn;
    if (fn) {
      addNodes(fn);
      dot.edge(id(fn), id(t));
    }
    if (t._base !== null) {
      addBaseTensor(t._base, "darkolivegreen3");
      dot.edge(id(t._base), id(t), { style: "dotted" });
    }
  };

  for (const t of v instanceof Tensor ? [v] : v) addBaseTensor(t);
  // resize_graph: about 0.15 inch per statement, at least 12
  const size = Math.max(12, dot.body.length * 0.15);
  dot.graph_attr.size = size === 12 ? "12,12" : `${pyFloat(size)},${pyFloat(size)}`;
  return dot;
}
