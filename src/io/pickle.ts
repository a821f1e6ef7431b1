// Python's pickle format, read and written, for PyTorch's files (data.pkl in a torch.save zip,
// and the pre-1.6 format's pickle stream). Nothing here runs code or looks anything up by name:
// a GLOBAL opcode asks the caller's `findClass` for a value, and the caller (src/io/pt.ts) knows
// only PyTorch's allow-list (and what the user added with add_safe_globals).
//
// Python values in JavaScript:
//   None → null · bool → boolean · int → number (a bigint beyond 2^53) · float → number ·
//   str → string · bytes / bytearray → Uint8Array · list and tuple → Array · set / frozenset → Set ·
//   dict → a plain object (keys as strings: an int key 0 becomes "0", as JS spells object keys);
//   collections.OrderedDict → the same, tagged with ORDERED_DICT so that it is saved back as one.
// Saving maps them back: a JS integer (|x| <= 2^53) and a bigint are Python ints, other numbers
// floats; an object key that is a canonical integer ("0", "17"; not "01") is an int, since JS
// writes an optimizer state's {0: …} with number keys; an array is a list.
//
// Note [Unpickler limits]: the unpickler is a loop over opcodes with an explicit stack (no
// recursion, so no depth limit is needed); every length is checked against the bytes that remain
// before anything is allocated, so memory stays within a small multiple of the input; memo
// indices are keys of a Map, never array sizes. Every failure is an UnpicklingError naming it.

/** Marks a plain object loaded from (or to be saved as) a collections.OrderedDict. */
export const ORDERED_DICT: unique symbol = Symbol.for("typetorch.OrderedDict");

export class UnpicklingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnpicklingError";
  }
}

/** A global the unpickler may call (REDUCE, NEWOBJ) and build (BUILD). */
export class PyCallable {
  constructor(
    readonly module: string,
    readonly name: string,
    readonly call: (args: unknown[]) => unknown,
    /** BUILD on what call returned; absent: refused. */
    readonly build?: (inst: unknown, state: unknown) => void,
  ) {}
  toString(): string { return `<${this.module}.${this.name}>`; }
}

/**
 * An instance of a Python class typetorch has no type for, kept as data (loaded with
 * weights_only: false, or allowlisted by name with add_safe_globals): its class's module and
 * name, the arguments it was made with, and its state. A dict state's entries are also set on
 * the object, so `ckpt.args.lr` reads an argparse.Namespace's attribute.
 */
export class PyObject {
  [attr: string]: unknown;
  constructor(readonly __module__: string, readonly __name__: string, readonly __args__: unknown[], public __state__: unknown = null) {}
}

/** Protocol-2 opcodes PyTorch's weights-only unpickler accepts (torch/_weights_only_unpickler.py). */
const WEIGHTS_ONLY_OPCODES = new Set([
  0x61, 0x65, 0x47, 0x68, 0x4a, 0x4b, 0x4d, 0x51, 0x71, 0x58, 0x62, 0x7d, 0x5d, 0x8f, 0x29, 0x63, 0x8a, 0x6a,
  0x72, 0x28, 0x89, 0x81, 0x88, 0x4e, 0x80, 0x52, 0x73, 0x75, 0x55, 0x2e, 0x74, 0x85, 0x86, 0x87,
]);

export interface UnpickleOptions {
  /** The value of GLOBAL module.name (or STACK_GLOBAL); throws to refuse it. */
  findClass(module: string, name: string): unknown;
  /** The value of a persistent id (PyTorch's storages). */
  persistentLoad(pid: unknown): unknown;
  /** PyTorch's weights-only rules: its opcodes only, BUILD and APPEND only where it allows them. */
  weightsOnly: boolean;
}

const utf8 = new TextDecoder("utf-8");
const latin1 = new TextDecoder("latin1");

/** Python's int from little-endian two's-complement bytes (LONG1, LONG4). */
function decodeLong(b: Uint8Array): number | bigint {
  if (b.length === 0) return 0;
  let v = 0n;
  for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]!);
  if (b[b.length - 1]! & 0x80) v -= 1n << BigInt(8 * b.length);
  return pyInt(v);
}

/** A Python int as JS holds it: a number where exact, else a bigint. */
export function pyInt(v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

/** Sets a key on a plain object as an own data property (even "__proto__"). */
export function setKey(obj: object, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

function keyString(k: unknown): string {
  if (typeof k === "string") return k;
  if (typeof k === "number" || typeof k === "bigint") return String(k);
  if (k === null) return "None";
  if (typeof k === "boolean") return k ? "True" : "False";
  if (Array.isArray(k)) return `(${k.map(keyString).join(", ")}${k.length === 1 ? "," : ""})`;
  throw new UnpicklingError(`unsupported dict key type ${typeof k}`);
}

export function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (x === null || typeof x !== "object") return false;
  const p = Object.getPrototypeOf(x);
  return p === Object.prototype || p === null;
}

/** Reads one pickle from `data` at `start`; returns the value and where the pickle ended. */
export function unpickle(input: Uint8Array, opts: UnpickleOptions, start = 0): { value: unknown; end: number } {
  const data = new Uint8Array(input.buffer, input.byteOffset, input.byteLength); // (not a Buffer: its slice() shares)
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let pos = start;
  let stack: unknown[] = [];
  const metastack: unknown[][] = [];
  const memo = new Map<number, unknown>();
  const tuples = new WeakSet<object>(); // arrays that are Python tuples (never appended to)
  const { weightsOnly } = opts;

  const need = (n: number) => {
    if (n < 0 || pos + n > data.length) throw new UnpicklingError("pickle data was truncated");
  };
  const bytes = (n: number) => { need(n); const b = data.subarray(pos, pos + n); pos += n; return b; };
  const u8 = () => { need(1); return data[pos++]!; };
  const u16 = () => { need(2); const v = dv.getUint16(pos, true); pos += 2; return v; };
  const u32 = () => { need(4); const v = dv.getUint32(pos, true); pos += 4; return v; };
  const u64 = () => {
    need(8);
    const v = dv.getBigUint64(pos, true); pos += 8;
    if (v > BigInt(data.length)) throw new UnpicklingError("pickle data was truncated");
    return Number(v);
  };
  const line = () => {
    const nl = data.indexOf(0x0a, pos);
    if (nl < 0) throw new UnpicklingError("pickle data was truncated");
    const s = latin1.decode(data.subarray(pos, nl));
    pos = nl + 1;
    return s;
  };
  const pop = () => {
    if (stack.length === 0) throw new UnpicklingError("unpickling stack underflow");
    return stack.pop();
  };
  const top = () => {
    if (stack.length === 0) throw new UnpicklingError("unpickling stack underflow");
    return stack[stack.length - 1];
  };
  // popMark replaces `stack`: call it before an expression names `stack` (stack.push(popMark())
  // would push onto the old one).
  const popMark = () => {
    const items = stack;
    const prev = metastack.pop();
    if (prev === undefined) throw new UnpicklingError("could not find MARK");
    stack = prev;
    return items;
  };
  const tuple = (items: unknown[]) => { tuples.add(items); return items; };
  const getMemo = (i: number) => {
    if (!memo.has(i)) throw new UnpicklingError(`Memo value not found at index ${i}`);
    return memo.get(i);
  };
  const setItems = (target: unknown, items: unknown[], op: string) => {
    if (!isPlainObject(target)) {
      throw new UnpicklingError(`Can only ${op} for dict, collections.OrderedDict, collections.Counter, but got ${typeName(target)}`);
    }
    if (items.length % 2) throw new UnpicklingError(`odd number of items for ${op}`);
    for (let i = 0; i < items.length; i += 2) setKey(target, keyString(items[i]), items[i + 1]);
  };
  const append = (target: unknown, items: unknown[], op: string) => {
    if (!Array.isArray(target) || tuples.has(target)) {
      throw new UnpicklingError(`Can only ${op === "APPEND" ? "append to" : "extend"} lists, but got ${typeName(target)}`);
    }
    for (const x of items) target.push(x);
  };
  const call = (fn: unknown, args: unknown, what: string) => {
    if (!(fn instanceof PyCallable)) throw new UnpicklingError(`Trying to call ${what} for unrecognized function ${typeName(fn)}`);
    if (!Array.isArray(args)) throw new UnpicklingError(`${what} arguments must be a tuple, got ${typeName(args)}`);
    return fn.call(args);
  };
  const global = (module: string, name: string) => opts.findClass(module, name);
  const text = (b: Uint8Array) => utf8.decode(b);

  for (;;) {
    need(1);
    const op = data[pos++]!;
    if (weightsOnly && !WEIGHTS_ONLY_OPCODES.has(op)) throw new UnpicklingError(`Unsupported operand ${op}`);
    switch (op) {
      case 0x80: { // PROTO
        const p = u8();
        if (p > 5) throw new UnpicklingError(`unsupported pickle protocol: ${p}`);
        break;
      }
      case 0x95: u64(); break; // FRAME: a length hint only
      case 0x2e: return { value: pop(), end: pos }; // STOP
      case 0x28: metastack.push(stack); stack = []; break; // MARK
      case 0x30: pop(); break; // POP
      case 0x31: popMark(); break; // POP_MARK
      case 0x32: stack.push(top()); break; // DUP
      // constants and numbers
      case 0x4e: stack.push(null); break; // NONE
      case 0x88: stack.push(true); break; // NEWTRUE
      case 0x89: stack.push(false); break; // NEWFALSE
      case 0x4a: need(4); stack.push(dv.getInt32(pos, true)); pos += 4; break; // BININT
      case 0x4b: stack.push(u8()); break; // BININT1
      case 0x4d: stack.push(u16()); break; // BININT2
      case 0x8a: stack.push(decodeLong(bytes(u8()))); break; // LONG1
      case 0x8b: { need(4); const n = dv.getInt32(pos, true); pos += 4; stack.push(decodeLong(bytes(n))); break; } // LONG4
      case 0x47: need(8); stack.push(dv.getFloat64(pos, false)); pos += 8; break; // BINFLOAT
      case 0x49: { // INT (text; "01"/"00" are True/False)
        const s = line();
        if (s === "01" || s === "00") { stack.push(s === "01"); break; }
        if (!/^[+-]?\d+$/.test(s)) throw new UnpicklingError(`invalid literal for int(): '${s}'`);
        stack.push(pyInt(BigInt(s)));
        break;
      }
      case 0x4c: { // LONG (text)
        const s = line().replace(/L$/, "");
        if (!/^[+-]?\d+$/.test(s)) throw new UnpicklingError(`invalid literal for int(): '${s}'`);
        stack.push(pyInt(BigInt(s)));
        break;
      }
      case 0x46: { // FLOAT (text)
        const s = line();
        const v = Number(s);
        if (Number.isNaN(v) && !/^[+-]?nan$/i.test(s)) throw new UnpicklingError(`could not convert string to float: '${s}'`);
        stack.push(v);
        break;
      }
      // strings and bytes
      case 0x58: stack.push(text(bytes(u32()))); break; // BINUNICODE
      case 0x8c: stack.push(text(bytes(u8()))); break; // SHORT_BINUNICODE
      case 0x8d: stack.push(text(bytes(u64()))); break; // BINUNICODE8
      case 0x55: stack.push(text(bytes(u8()))); break; // SHORT_BINSTRING (a Python 2 str: decoded as utf-8, as torch.load does)
      case 0x54: { need(4); const n = dv.getInt32(pos, true); pos += 4; stack.push(text(bytes(n))); break; } // BINSTRING
      case 0x43: stack.push(bytes(u8()).slice()); break; // SHORT_BINBYTES
      case 0x42: stack.push(bytes(u32()).slice()); break; // BINBYTES
      case 0x8e: case 0x96: stack.push(bytes(u64()).slice()); break; // BINBYTES8, BYTEARRAY8
      case 0x53: { // STRING (a quoted Python 2 str)
        const s = line();
        const q = s[0];
        if (s.length < 2 || (q !== "'" && q !== '"') || s[s.length - 1] !== q) throw new UnpicklingError("the STRING opcode argument must be quoted");
        stack.push(unescapePy(s.slice(1, -1)));
        break;
      }
      case 0x56: stack.push(unescapePy(line())); break; // UNICODE (raw-unicode-escape)
      // containers
      case 0x29: stack.push(tuple([])); break; // EMPTY_TUPLE
      case 0x74: { const items = popMark(); stack.push(tuple(items)); break; } // TUPLE
      case 0x85: stack.push(tuple([pop()])); break; // TUPLE1
      case 0x86: { const b = pop(), a = pop(); stack.push(tuple([a, b])); break; } // TUPLE2
      case 0x87: { const c = pop(), b = pop(), a = pop(); stack.push(tuple([a, b, c])); break; } // TUPLE3
      case 0x5d: stack.push([]); break; // EMPTY_LIST
      case 0x6c: { const items = popMark(); stack.push(items); break; } // LIST
      case 0x7d: stack.push({}); break; // EMPTY_DICT
      case 0x64: { const o = {}; setItems(o, popMark(), "DICT"); stack.push(o); break; } // DICT
      case 0x8f: stack.push(new Set()); break; // EMPTY_SET
      case 0x91: { const items = popMark(); stack.push(new Set(items)); break; } // FROZENSET
      case 0x90: { // ADDITEMS
        const items = popMark();
        const s = top();
        if (!(s instanceof Set)) throw new UnpicklingError(`Can only add items to sets, but got ${typeName(s)}`);
        for (const x of items) s.add(x);
        break;
      }
      case 0x61: { const item = pop(); append(top(), [item], "APPEND"); break; } // APPEND
      case 0x65: { const items = popMark(); append(top(), items, "APPENDS"); break; } // APPENDS
      case 0x73: { const v = pop(), k = pop(); setItems(top(), [k, v], "SETITEM"); break; } // SETITEM
      case 0x75: { const items = popMark(); setItems(top(), items, "SETITEMS"); break; } // SETITEMS
      // memo
      case 0x71: memo.set(u8(), top()); break; // BINPUT
      case 0x72: memo.set(u32(), top()); break; // LONG_BINPUT
      case 0x94: memo.set(memo.size, top()); break; // MEMOIZE
      case 0x70: { const s = line(); if (!/^\d+$/.test(s)) throw new UnpicklingError("invalid PUT index"); memo.set(Number(s), top()); break; } // PUT
      case 0x68: stack.push(getMemo(u8())); break; // BINGET
      case 0x6a: stack.push(getMemo(u32())); break; // LONG_BINGET
      case 0x67: { const s = line(); if (!/^\d+$/.test(s)) throw new UnpicklingError("invalid GET index"); stack.push(getMemo(Number(s))); break; } // GET
      // objects
      case 0x63: { const module = line(), name = line(); stack.push(global(module, name)); break; } // GLOBAL
      case 0x93: { // STACK_GLOBAL
        const name = pop(), module = pop();
        if (typeof name !== "string" || typeof module !== "string") throw new UnpicklingError("STACK_GLOBAL requires str");
        stack.push(global(module, name));
        break;
      }
      case 0x52: { const args = pop(); stack.push(call(pop(), args, "reduce")); break; } // REDUCE
      case 0x81: { // NEWOBJ
        const args = pop(), cls = pop();
        if (!(cls instanceof PyCallable)) {
          throw new UnpicklingError(`Can only create new object for nn.Parameter or classes allowlisted via \`add_safe_globals\` but got ${typeName(cls)}`);
        }
        stack.push(call(cls, args, "NEWOBJ"));
        break;
      }
      case 0x92: { const kwargs = pop(), args = pop(); void kwargs; stack.push(call(pop(), args, "NEWOBJ_EX")); break; } // NEWOBJ_EX
      case 0x69: { // INST module\nname\n: cls(*args from the mark)
        const module = line(), name = line();
        const cls = global(module, name), items = popMark();
        stack.push(call(cls, items, "INST"));
        break;
      }
      case 0x6f: { const items = popMark(); const cls = items.shift(); stack.push(call(cls, items, "OBJ")); break; } // OBJ
      case 0x62: { // BUILD
        const state = pop();
        const inst = top();
        const builder = builders.get(inst as object);
        if (builder?.build) builder.build(inst, state);
        else if (inst instanceof PyObject) buildPyObject(inst, state);
        else if (isPlainObject(inst) && (inst as Record<symbol, unknown>)[ORDERED_DICT]) {
          // An OrderedDict's attributes: a state_dict's _metadata (module versions), kept hidden.
          Object.defineProperty(inst, "_metadata", { value: isPlainObject(state) ? state["_metadata"] ?? state : state, enumerable: false, writable: true, configurable: true });
        } else {
          throw new UnpicklingError(`Can only build Tensor, Parameter, OrderedDict or types allowlisted via \`add_safe_globals\`, but got ${typeName(inst)}`);
        }
        break;
      }
      case 0x51: stack.push(opts.persistentLoad(pop())); break; // BINPERSID
      case 0x50: stack.push(opts.persistentLoad(line())); break; // PERSID
      default:
        throw new UnpicklingError(`Unsupported operand ${op}`);
    }
  }
}

/** Objects made by a PyCallable that has a BUILD step (a Parameter's state), by object. */
const builders = new WeakMap<object, PyCallable>();

/** Registers `obj` as made by `fn`, so that a later BUILD on it goes to fn.build. */
export function madeBy<T>(obj: T, fn: PyCallable): T {
  if (fn.build && obj !== null && typeof obj === "object") builders.set(obj, fn);
  return obj;
}

function buildPyObject(inst: PyObject, state: unknown): void {
  inst.__state__ = state;
  // pickle's load_build: a (dict, slots) pair or a dict, set as attributes
  const parts = Array.isArray(state) && state.length === 2 ? state : [state];
  for (const part of parts) {
    if (isPlainObject(part)) for (const [k, v] of Object.entries(part)) if (!(k in inst)) setKey(inst, k, v);
  }
}

/** Python's backslash escapes, for the text opcodes of protocol 0. */
function unescapePy(s: string): string {
  return s.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)/g, (_, e: string) => {
    switch (e[0]) {
      case "x": case "u": case "U": return String.fromCodePoint(parseInt(e.slice(1), 16));
      case "n": return "\n";
      case "r": return "\r";
      case "t": return "\t";
      case "0": return "\0";
      default: return e;
    }
  });
}

/** Python's name for a JS value's type, for error messages. */
export function typeName(x: unknown): string {
  if (x === null || x === undefined) return "<class 'NoneType'>";
  if (x instanceof PyCallable) return String(x);
  if (x instanceof PyObject) return `<class '${x.__module__}.${x.__name__}'>`;
  if (Array.isArray(x)) return "<class 'list'>";
  if (x instanceof Set) return "<class 'set'>";
  if (x instanceof Uint8Array) return "<class 'bytes'>";
  switch (typeof x) {
    case "string": return "<class 'str'>";
    case "boolean": return "<class 'bool'>";
    case "number": return Number.isInteger(x) ? "<class 'int'>" : "<class 'float'>";
    case "bigint": return "<class 'int'>";
  }
  if (isPlainObject(x)) return (x as Record<symbol, unknown>)[ORDERED_DICT] ? "<class 'collections.OrderedDict'>" : "<class 'dict'>";
  return `<class '${(x as object).constructor?.name ?? "object"}'>`;
}

// ---- writing (protocol 2, as torch.save writes it) -------------------------------------------

/** What the pickler asks the caller about values it does not know (tensors, dtypes, devices):
 *  write them with the pickler's primitives and return true, or return false to refuse. */
export type Reducer = (p: Pickler, value: unknown) => boolean;

const enc = new TextEncoder();

/**
 * A protocol-2 pickler. Containers and the values the caller reduces are memoized by identity
 * (shared references and cycles come back shared), strings by value.
 */
export class Pickler {
  private parts: Uint8Array[] = [];
  private buf = new Uint8Array(1 << 16);
  private len = 0;
  /** Memo indices of objects (by identity) and strings (by value: a JS Map compares strings so). */
  private memo = new Map<unknown, number>();
  private globals = new Map<string, number>();

  constructor(private readonly reduce: Reducer) {}

  dump(value: unknown): Uint8Array {
    this.op(0x80, 2);
    this.save(value);
    this.op(0x2e);
    this.flush();
    const out = new Uint8Array(this.parts.reduce((n, p) => n + p.length, 0));
    let o = 0;
    for (const p of this.parts) { out.set(p, o); o += p.length; }
    return out;
  }

  private flush(): void {
    if (this.len) this.parts.push(this.buf.slice(0, this.len));
    this.len = 0;
  }

  private room(n: number): void {
    if (this.len + n > this.buf.length) {
      this.flush();
      if (n > this.buf.length) this.buf = new Uint8Array(n);
    }
  }

  /** Writes opcode bytes. */
  op(...b: number[]): void {
    this.room(b.length);
    for (const x of b) this.buf[this.len++] = x;
  }

  raw(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }

  private u32(v: number): void { this.op(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff); }

  /** Memoizes the value on top of the stack (BINPUT / LONG_BINPUT). */
  private put(key: unknown, table: Map<unknown, number> = this.memo): void {
    const i = this.memo.size + this.globals.size;
    table.set(key, i);
    if (i < 256) this.op(0x71, i); else { this.op(0x72); this.u32(i); }
  }

  private get(i: number): void {
    if (i < 256) this.op(0x68, i); else { this.op(0x6a); this.u32(i); }
  }

  /** Pushes a memoized value again if it was written before; returns whether it was. */
  memoized(value: unknown): boolean {
    const i = this.memo.get(value);
    if (i === undefined) return false;
    this.get(i);
    return true;
  }

  /** After writing `value` (a reduce's result), memoizes it so later references share it. */
  memoize(value: unknown): void { this.put(value); }

  global(module: string, name: string): void {
    const key = `${module}.${name}`;
    const i = this.globals.get(key);
    if (i !== undefined) { this.get(i); return; }
    this.op(0x63);
    this.raw(enc.encode(`${module}\n${name}\n`));
    this.put(key, this.globals as Map<unknown, number>);
  }

  int(v: number | bigint): void {
    if (typeof v === "number" && v >= 0 && v < 256) this.op(0x4b, v);
    else if (typeof v === "number" && v >= 0 && v < 65536) this.op(0x4d, v & 0xff, v >> 8);
    else if (typeof v === "number" && v >= -0x80000000 && v <= 0x7fffffff) { this.op(0x4a); this.u32(v >>> 0); }
    else {
      // LONG1: little-endian two's complement, as few bytes as hold the sign
      let x = BigInt(v);
      const b: number[] = [];
      for (;;) {
        const byte = Number(x & 0xffn);
        b.push(byte);
        x >>= 8n;
        if ((x === 0n && !(byte & 0x80)) || (x === -1n && byte & 0x80)) break;
      }
      this.op(0x8a, b.length, ...b);
    }
  }

  float(v: number): void {
    const b = new Uint8Array(9);
    b[0] = 0x47;
    new DataView(b.buffer).setFloat64(1, v, false);
    this.raw(b);
  }

  str(s: string): void {
    const i = this.memo.get(s);
    if (i !== undefined) { this.get(i); return; }
    const b = enc.encode(s);
    this.op(0x58);
    this.u32(b.length);
    this.raw(b);
    this.put(s);
  }

  /** A tuple of already-known items, written with save. */
  tuple(items: readonly unknown[]): void {
    if (items.length === 0) { this.op(0x29); return; }
    if (items.length > 3) this.op(0x28);
    for (const x of items) this.save(x);
    this.op(items.length <= 3 ? 0x84 + items.length : 0x74);
  }

  /** GLOBAL module.name, then REDUCE with the given arguments. */
  call(module: string, name: string, args: readonly unknown[]): void {
    this.global(module, name);
    this.tuple(args);
    this.op(0x52);
  }

  save(v: unknown): void {
    if (v === null || v === undefined) { this.op(0x4e); return; }
    switch (typeof v) {
      case "boolean": this.op(v ? 0x88 : 0x89); return;
      case "number":
        if (Number.isInteger(v) && Math.abs(v) <= 2 ** 53 && !Object.is(v, -0)) this.int(v); else this.float(v);
        return;
      case "bigint": this.int(v); return;
      case "string": this.str(v); return;
    }
    if (this.memoized(v)) return;
    if (this.reduce(this, v)) return;
    if (Array.isArray(v)) {
      this.op(0x5d);
      this.put(v);
      this.batched(v, (x) => this.save(x), 0x61, 0x65);
    } else if (v instanceof Map) {
      this.op(0x7d);
      this.put(v);
      this.batched([...v], ([k, x]) => { this.save(Array.isArray(k) ? new PyTuple(k) : k); this.save(x); }, 0x73, 0x75);
    } else if (isPlainObject(v)) {
      const entries = Object.entries(v).map(([k, x]) => [/^(0|[1-9]\d{0,15})$/.test(k) && Number(k) <= 2 ** 53 ? Number(k) : k, x] as const);
      if ((v as Record<symbol, unknown>)[ORDERED_DICT]) {
        this.call("collections", "OrderedDict", []);
        this.put(v);
        // an OrderedDict's keys stay strings: a state_dict's "0" is a name, not an index
        this.batched(Object.entries(v), ([k, x]) => { this.save(k); this.save(x); }, 0x73, 0x75);
        // a loaded state_dict's module versions go back as they came (OrderedDict's BUILD)
        if (Object.prototype.hasOwnProperty.call(v, "_metadata")) { this.save({ _metadata: (v as { _metadata: unknown })._metadata }); this.op(0x62); }
      } else {
        this.op(0x7d);
        this.put(v);
        this.batched(entries, ([k, x]) => { this.save(k); this.save(x); }, 0x73, 0x75);
      }
    } else if (v instanceof PyTuple) {
      this.tuple(v.items);
    } else if (v instanceof Set) {
      this.call("builtins", "set", [[...v]]);
      this.put(v);
    } else if (v instanceof Uint8Array) {
      // protocol 2 has no bytes opcode: Python writes _codecs.encode(latin-1 text, "latin1")
      this.call("_codecs", "encode", [latin1.decode(v), "latin1"]);
      this.put(v);
    } else if (v instanceof PyObject) {
      this.call(v.__module__, v.__name__, v.__args__);
      this.put(v);
      if (v.__state__ !== null) { this.save(v.__state__); this.op(0x62); }
    } else {
      // (a Module is callable: name its class, not "function")
      const cls = (v as object).constructor?.name;
      const what = typeof v === "function" && Object.getPrototypeOf(v) === Function.prototype ? "a function" : `a ${cls ?? "object"}`;
      throw new TypeError(`torch.save: cannot save ${what}: typetorch saves tensors, numbers, bigints, strings, booleans, null, arrays, plain objects, Maps, Sets and Uint8Arrays (for a model or an optimizer, save its state_dict())`);
    }
  }

  /** Items in batches of 1000 between MARK and the batch opcode, as Python's pickler does. */
  private batched<T>(items: readonly T[], write: (x: T) => void, one: number, many: number): void {
    for (let i = 0; i < items.length; i += 1000) {
      const batch = items.slice(i, i + 1000);
      if (batch.length === 1) { write(batch[0]!); this.op(one); continue; }
      this.op(0x28);
      for (const x of batch) write(x);
      this.op(many);
    }
  }
}

/** A tuple to write (arrays are written as lists). */
export class PyTuple {
  constructor(readonly items: readonly unknown[]) {}
}
