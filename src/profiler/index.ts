// torch.profiler: PyTorch's CPU profiler. `profile` records every op (Note [Profiler hook]), each
// backward node and each record_function scope with its self and total CPU time and, with
// record_shapes, its input shapes; `key_averages()` sums them per name (and per input shapes) and
// `.table()` prints them in PyTorch's layout (torch/autograd/profiler_util.py's _build_table).
//
// shared/API.md §2's translation of `with profile(...) as prof:`:
//   const prof = torch.profiler.profile({activities: [ProfilerActivity.CPU]}, () => { … });
//   { using prof = torch.profiler.profile({…}); … }   // records until the end of the block
//   const prof = torch.profiler.profile({…}); …; prof.stop();   // PyTorch's start()/stop()
// `with record_function("name"):` becomes record_function("name", () => { … }) or
// `using _r = torch.profiler.record_function("name")`. `prof.export_chrome_trace(path)` writes
// the events for chrome://tracing or Perfetto.

import { Recording, beginScope, _startRecording, _stopRecording, type RawEvent, type InputShapes } from "./record.js";
import { formatFixed } from "../core/printing.js";
import { nodeFs } from "../io/node.js";

export type { InputShapes } from "./record.js";

/** torch.profiler.ProfilerActivity. Only CPU activity exists here: the others record nothing. */
export const ProfilerActivity = {
  CPU: "CPU", CUDA: "CUDA", XPU: "XPU", MTIA: "MTIA", HPU: "HPU", PrivateUse1: "PrivateUse1",
} as const;
export type ProfilerActivity = (typeof ProfilerActivity)[keyof typeof ProfilerActivity];

export interface ProfileOptions {
  activities?: Iterable<ProfilerActivity> | null;
  record_shapes?: boolean;
  profile_memory?: boolean;
  with_stack?: boolean;
  with_flops?: boolean;
  with_modules?: boolean;
}

/** What is timed: µs as floats, as PyTorch's FunctionEvent and FunctionEventAvg hold them. */
abstract class Timed {
  abstract key: string;
  abstract count: number;
  abstract cpu_time_total: number;
  abstract self_cpu_time_total: number;
  abstract input_shapes: InputShapes | null | "";
  abstract cpu_parent: FunctionEvent | null;
  // no device here: these stay 0, so sorting by them (sort_by: "cuda_time_total") keeps the order
  readonly device_time_total = 0;
  readonly self_device_time_total = 0;
  readonly cpu_memory_usage = 0;
  readonly self_cpu_memory_usage = 0;
  /** the average CPU time per call */
  get cpu_time(): number { return this.count === 0 ? 0 : this.cpu_time_total / this.count; }
  get device_time(): number { return 0; }
  get cpu_time_str(): string { return formatTime(this.cpu_time); }
  get cpu_time_total_str(): string { return formatTime(this.cpu_time_total); }
  get self_cpu_time_total_str(): string { return formatTime(this.self_cpu_time_total); }
}

/** One recorded call (PyTorch's FunctionEvent). */
export class FunctionEvent extends Timed {
  readonly count = 1;
  cpu_parent: FunctionEvent | null = null;
  readonly cpu_children: FunctionEvent[] = [];
  constructor(
    readonly id: number, readonly name: string, readonly time_range: { start: number; end: number },
    readonly self_cpu_time_total: number, readonly input_shapes: InputShapes | null,
  ) { super(); }
  get key(): string { return this.name; }
  get cpu_time_total(): number { return this.time_range.end - this.time_range.start; }
  override toString(): string {
    return `<FunctionEvent id=${this.id} name=${this.name} cpu_time=${this.cpu_time_str} ` +
      `start_us=${formatFixed(this.time_range.start, 3)} end_us=${formatFixed(this.time_range.end, 3)} ` +
      `input_shapes=${pyShapes(this.input_shapes)}>`;
  }
}

/** The sum of the calls sharing a key (PyTorch's FunctionEventAvg). */
export class FunctionEventAvg extends Timed {
  key = "";
  count = 0;
  cpu_time_total = 0;
  self_cpu_time_total = 0;
  input_shapes: InputShapes | null | "" = null;
  cpu_parent: FunctionEvent | null = null;
  add(other: FunctionEvent | FunctionEventAvg): this {
    if (this.count === 0) { this.key = other.key; this.input_shapes = other.input_shapes; this.cpu_parent = other.cpu_parent; }
    this.cpu_time_total += other.cpu_time_total;
    this.self_cpu_time_total += other.self_cpu_time_total;
    this.count += other.count;
    return this;
  }
  override toString(): string {
    return `<FunctionEventAvg key=${this.key} self_cpu_time=${this.self_cpu_time_total_str} cpu_time=${this.cpu_time_str} ` +
      `input_shapes=${pyShapes(this.input_shapes)}>`;
  }
}

export interface TableOptions {
  sort_by?: string | null;
  row_limit?: number;
  max_name_column_width?: number | null;
  max_shapes_column_width?: number | null;
  header?: string | null;
  top_level_events_only?: boolean;
  time_unit?: "s" | "ms" | "us" | null;
}

/** A list of events with PyTorch's EventList methods; printing it prints its table. */
export class EventList<T extends FunctionEvent | FunctionEventAvg> extends Array<T> {
  static override get [Symbol.species](): ArrayConstructor { return Array; }

  /** Sums the events per name, or per name and input shapes (PyTorch's key_averages). */
  key_averages(group_by_input_shapes: boolean | { group_by_input_shapes?: boolean } = false): EventList<FunctionEventAvg> {
    const byShape = typeof group_by_input_shapes === "boolean" ? group_by_input_shapes : group_by_input_shapes.group_by_input_shapes ?? false;
    const stats = new Map<string, FunctionEventAvg>();
    for (const e of this) {
      const k = byShape ? `${e.key}\u0000${pyShapes(e.input_shapes)}` : e.key;
      let s = stats.get(k);
      if (!s) { s = new FunctionEventAvg(); stats.set(k, s); }
      s.add(e);
    }
    const out = EventList.from(stats.values()) as EventList<FunctionEventAvg>;
    if (!byShape) for (const s of out) s.input_shapes = "";
    return out;
  }

  /** The sum of every event's self time: the whole recorded CPU time. */
  get self_cpu_time_total(): number { let t = 0; for (const e of this) t += e.self_cpu_time_total; return t; }

  /** All events summed into one, keyed "Total". */
  total_average(): FunctionEventAvg {
    const t = new FunctionEventAvg();
    for (const e of this) { t.add(e); t.key = ""; }
    t.key = "Total";
    return t;
  }

  table(opts: TableOptions = {}): string { return buildTable(this, opts); }
  override toString(): string { return this.table(); }
  [Symbol.for("nodejs.util.inspect.custom")](): string { return this.table(); }
}

/** A profile: records while started (from its creation until stop()). */
export class Profile implements Disposable {
  private recording: Recording | null = null;
  private raw: RawEvent[] = [];
  private readonly cpu: boolean;
  readonly record_shapes: boolean;

  constructor(opts: ProfileOptions = {}) {
    for (const k of ["profile_memory", "with_stack", "with_flops", "with_modules"] as const)
      if (opts[k]) throw new Error(`torch.profiler.profile: ${k}=True is not supported by typetorch's profiler (it records CPU time, calls and input shapes)`);
    this.cpu = opts.activities == null || [...opts.activities].includes(ProfilerActivity.CPU);
    this.record_shapes = opts.record_shapes ?? false;
  }

  /** Starts recording (a no-op while this profile records). */
  start(): void {
    if (this.recording || !this.cpu) return;
    const r = new Recording(this.record_shapes);
    _startRecording(r);
    this.recording = r;
  }

  /** Stops recording; the events so far stay readable. */
  stop(): void {
    const r = this.recording;
    if (!r) return;
    _stopRecording(r);
    this.recording = null;
    this.raw = r.close();
  }

  [Symbol.dispose](): void { this.stop(); }

  /** Every recorded call, in order of its start. */
  events(): EventList<FunctionEvent> {
    const evs = this.raw.map((e, i) => new FunctionEvent(i + 1, e.name, { start: e.start, end: e.end }, e.self, e.shapes));
    this.raw.forEach((e, i) => {
      if (e.parent < 0) return;
      const p = evs[e.parent]!;
      evs[i]!.cpu_parent = p;
      p.cpu_children.push(evs[i]!);
    });
    return EventList.from(evs) as EventList<FunctionEvent>;
  }

  /** Writes the events as a Chrome trace (chrome://tracing, Perfetto), as PyTorch's
   *  export_chrome_trace does: one complete ("X") event per call, ops as "cpu_op", record_function
   *  scopes as "user_annotation", times in µs, input shapes as "Input Dims". Node only. */
  export_chrome_trace(path: string): void {
    const proc = (globalThis as { process?: { pid?: number } }).process;
    const pid = proc?.pid ?? 0, origin = performance.timeOrigin * 1000;
    const traceEvents = this.raw.map((e, i) => ({
      ph: "X", cat: e.user ? "user_annotation" : "cpu_op", name: e.name, pid, tid: pid,
      ts: origin + e.start, dur: e.end - e.start,
      args: e.shapes && !e.user ? { "External id": i + 1, "Input Dims": e.shapes } : { "External id": i + 1 },
    }));
    const trace = { schemaVersion: 1, record_shapes: this.record_shapes ? 1 : 0, displayTimeUnit: "ms", traceEvents, traceName: path };
    nodeFs("export_chrome_trace").writeFileSync(path, JSON.stringify(trace));
  }

  /** The events summed per name, or per name and input shapes (record_shapes). */
  key_averages(group_by_input_shape: boolean | { group_by_input_shape?: boolean } = false): EventList<FunctionEventAvg> {
    const byShape = typeof group_by_input_shape === "boolean" ? group_by_input_shape : group_by_input_shape.group_by_input_shape ?? false;
    return this.events().key_averages(byShape);
  }
}

/** torch.profiler.profile: with a callback (after the options, or alone as no_grad's), profiles
 *  the callback's run and returns the stopped profile (a Promise of it when the callback is
 *  async); without, returns a recording profile to stop with `stop()` or `using`. */
export function profile(opts?: ProfileOptions): Profile;
export function profile(fn: (prof: Profile) => Promise<unknown>): Promise<Profile>;
export function profile(fn: (prof: Profile) => unknown): Profile;
export function profile(opts: ProfileOptions, fn: (prof: Profile) => Promise<unknown>): Promise<Profile>;
export function profile(opts: ProfileOptions, fn: (prof: Profile) => unknown): Profile;
export function profile(opts: ProfileOptions | ((prof: Profile) => unknown) = {}, fn?: (prof: Profile) => unknown): Profile | Promise<Profile> {
  if (typeof opts === "function") [opts, fn] = [{}, opts];
  const prof = new Profile(opts);
  prof.start();
  if (!fn) return prof;
  return settle(() => fn(prof), () => prof.stop(), () => prof);
}

/** A record_function scope in progress; disposing it (or `__exit__`) ends it. */
export class RecordFunction implements Disposable {
  private open: Recording | null;
  constructor(readonly name: string) { this.open = beginScope(name); }
  [Symbol.dispose](): void { this.open?.end(); this.open = null; }
}

/** torch.profiler.record_function(name): a named scope in the profile. With a callback, the scope
 *  is its run and the callback's value is returned (awaited scope when it returns a Promise). */
export function record_function(name: string): RecordFunction;
export function record_function<R>(name: string, fn: () => R): R;
export function record_function<R>(name: string, fn?: () => R): R | RecordFunction {
  const scope = new RecordFunction(name);
  if (!fn) return scope;
  // (an async callback's Promise resolves to its own value: R is that Promise)
  return settle(fn, () => scope[Symbol.dispose](), (v) => v) as R;
}

/** Runs `fn`, then `done` once it has finished (after its Promise settles, for an async one), and
 *  returns `result(value)` (a Promise of it for an async one). */
function settle<V, R>(fn: () => V, done: () => void, result: (v: V) => R): R | Promise<R> {
  let v: V;
  try { v = fn(); } catch (e) { done(); throw e; }
  if (v instanceof Promise) return v.then((x: V) => { done(); return result(x); }, (e: unknown) => { done(); throw e; });
  done();
  return result(v);
}

// ---------------------------------------------------------------------------------------------
// The table, as torch/autograd/profiler_util.py's _build_table prints it

/** PyTorch's _format_time: µs below 1 ms, ms below 1 s, then s, with 3 decimals. */
function formatTime(us: number): string {
  if (us >= 1e6) return `${formatFixed(us / 1e6, 3)}s`;
  if (us >= 1e3) return `${formatFixed(us / 1e3, 3)}ms`;
  return `${formatFixed(us, 3)}us`;
}

function formatTimeIn(us: number, unit: TableOptions["time_unit"]): string {
  if (unit === "s") return `${formatFixed(us / 1e6, 3)}s`;
  if (unit === "ms") return `${formatFixed(us / 1e3, 3)}ms`;
  if (unit === "us") return `${formatFixed(us, 3)}us`;
  return formatTime(us);
}

function formatShare(us: number, total: number): string {
  return total === 0 ? "NaN" : `${formatFixed((us * 100) / total, 2)}%`;
}

/** Python's str() of the shapes list: [[2, 2], [], [[3], [3]]]; "" and None as Python prints them. */
function pyShapes(s: InputShapes | null | ""): string {
  if (s === null) return "None";
  const rec = (x: unknown): string => (Array.isArray(x) ? `[${x.map(rec).join(", ")}]` : String(x));
  return s === "" ? "" : rec(s);
}

function sortKey(e: Timed, by: string): number {
  const name = by.replace("cuda", "device").replace("xpu", "device").replace("privateuse1", "device");
  const v = (e as unknown as Record<string, unknown>)[name];
  if (typeof v !== "number") throw new Error(`AttributeError: '${e.constructor.name}' object has no attribute '${name}'`);
  return v;
}

function buildTable(events: readonly (FunctionEvent | FunctionEventAvg)[], o: TableOptions): string {
  if (events.length === 0) return "";
  const rowLimit = o.row_limit ?? 100;
  const maxName = o.max_name_column_width === undefined ? 55 : o.max_name_column_width;
  const maxShapes = o.max_shapes_column_width === undefined ? 80 : o.max_shapes_column_width;
  const hasShapes = events.some((e) => e.input_shapes !== null && e.input_shapes.length > 0);
  let evs = events.slice();
  if (o.sort_by != null) {
    const by = o.sort_by;
    evs = evs.map((e) => [e, sortKey(e, by)] as const).sort((a, b) => b[1] - a[1]).map(([e]) => e);
  }

  let nameWidth = Math.max(...evs.map((e) => e.key.length)) + 4;
  if (maxName !== null) nameWidth = Math.min(nameWidth, maxName);
  let shapesWidth = Math.max(...evs.map((e) => pyShapes(e.input_shapes).length)) + 4;
  if (maxShapes !== null) shapesWidth = Math.min(shapesWidth, maxShapes);

  const headers = ["Name", "Self CPU %", "Self CPU", "CPU total %", "CPU total", "CPU time avg", "# of Calls"];
  const widths = [nameWidth, ...headers.slice(1).map(() => 12)];
  if (hasShapes) { headers.push("Input Shapes"); widths.push(shapesWidth); }
  // every column right-aligned, two spaces after each (the last included)
  const row = (cells: readonly (string | number)[]): string => cells.map((c, i) => String(c).padStart(widths[i]!) + "  ").join("");
  const sep = widths.map((w) => "-".repeat(w) + "  ").join("");
  const lineLength = widths.reduce((a, w) => a + w + 2, -2);

  let selfTotal = 0;
  for (const e of evs) selfTotal += e.self_cpu_time_total;
  const out: string[] = [];
  if (o.header != null) out.push("=".repeat(lineLength), o.header);
  if (o.top_level_events_only) out.push("=".repeat(lineLength), "This report only display top-level ops statistics");
  out.push(sep, row(headers), sep);
  let shown = 0;
  for (const e of evs) {
    if (shown === rowLimit) break;
    if (o.top_level_events_only && e.cpu_parent !== null) continue;
    shown++;
    let name = e.key;
    if (maxName !== null && name.length >= maxName - 3) name = name.slice(0, maxName - 3) + "...";
    const cells: (string | number)[] = [
      name,
      formatShare(e.self_cpu_time_total, selfTotal),
      formatTimeIn(e.self_cpu_time_total, o.time_unit),
      formatShare(e.cpu_time_total, selfTotal),
      formatTimeIn(e.cpu_time_total, o.time_unit),
      formatTimeIn(e.cpu_time, o.time_unit),
      e.count,
    ];
    if (hasShapes) cells.push(pyShapes(e.input_shapes).slice(0, shapesWidth));
    out.push(row(cells));
  }
  out.push(sep, `Self CPU time total: ${formatTimeIn(selfTotal, o.time_unit)}`);
  return out.map((l) => l + "\n").join("");
}
