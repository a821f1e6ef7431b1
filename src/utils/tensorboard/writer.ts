// torch.utils.tensorboard.SummaryWriter: event files that TensorBoard reads, as PyTorch's
// writer.py and tensorboard's EventFileWriter write them.
//
// An event file is a sequence of TFRecords, each
//   uint64 length (LE) · uint32 masked CRC-32C of the length · the data · uint32 masked CRC-32C of the data
// where masked(c) = ((c >>> 15) | (c << 17)) + 0xa282ead8, and each record's data is an Event:
//   Event { double wall_time = 1; int64 step = 2; oneof { string file_version = 3; Summary summary = 5 } }
// The first event of a file is {wall_time, file_version: "brain.Event:2", source_metadata} (field 10).
//
// Files are written through Node's fs (reached at run time, so the package still bundles for
// browsers, where constructing a SummaryWriter throws).

import { Tensor } from "../../core/tensor.js";
import { ProtoWriter } from "./proto.js";
import { crc32c } from "../../io/crc.js";
import { nodeFs, nodeModule, type FsLike } from "../../io/node.js";
import { scalar, histogram, image, text, hparams, type Bins, type HParamValue } from "./summary.js";

const masked = (crc: number) => ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0;

/** One TFRecord around `data`. */
export function tfrecord(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(16 + data.length);
  const dv = new DataView(out.buffer);
  dv.setBigUint64(0, BigInt(data.length), true);
  dv.setUint32(8, masked(crc32c(out.subarray(0, 8))), true);
  out.set(data, 12);
  dv.setUint32(12 + data.length, masked(crc32c(data)), true);
  return out;
}

/** Seconds since the epoch, as Python's time.time(). */
const now = () => Date.now() / 1000;

interface Os { hostname(): string }
interface Path { join(...p: string[]): string }
let globalUid = 0;

/** Writers not yet closed: their queued events are written when Node exits, so a script that
 *  forgets close() keeps its last curves (one listener for all writers). */
const unclosed = new Set<FileWriter>();
let exitHooked = false;
function flushAtExit(w: FileWriter): void {
  unclosed.add(w);
  if (exitHooked) return;
  exitHooked = true;
  (globalThis as { process?: { on?: (e: string, f: () => void) => void } }).process?.on?.("exit", () => { for (const x of unclosed) x.flush(); });
}

/** tensorboard's EventFileWriter with PyTorch's FileWriter over it: events queue in memory and
 *  reach the file when max_queue are waiting, every flush_secs, on flush() and on close(). */
class FileWriter {
  private readonly fs: FsLike;
  readonly file: string;
  private queue: Uint8Array[] = [];
  private timer: ReturnType<typeof setInterval> | null;
  private closed = false;

  constructor(readonly logdir: string, private readonly maxQueue: number, flushSecs: number, suffix: string) {
    this.fs = nodeFs("SummaryWriter", "it writes event files to a directory");
    this.fs.mkdirSync(logdir, { recursive: true });
    const host = nodeModule<Os>("node:os", "SummaryWriter").hostname();
    const pid = (globalThis as { process?: { pid?: number } }).process?.pid ?? 0;
    const stamp = String(Math.floor(now())).padStart(10, "0");
    this.file = nodeModule<Path>("node:path", "SummaryWriter").join(logdir, `events.out.tfevents.${stamp}.${host}.${pid}.${globalUid++}${suffix}`);
    this.fs.writeFileSync(this.file, new Uint8Array(0));
    this.addEvent(new ProtoWriter().double(1, now()).string(3, "brain.Event:2")
      .message(10, new ProtoWriter().string(1, "tensorboard.summary.writer.event_file_writer"))); // source_metadata.writer
    this.flush();
    // The flusher: unref'd, so a writer left open does not keep Node running.
    this.timer = setInterval(() => this.flush(), flushSecs * 1000);
    (this.timer as { unref?: () => void }).unref?.();
    flushAtExit(this);
  }

  private addEvent(event: ProtoWriter): void {
    if (this.closed) throw new Error("SummaryWriter: the writer is closed");
    this.queue.push(tfrecord(event.finish()));
    if (this.queue.length >= this.maxQueue) this.flush();
  }

  /** FileWriter.add_summary: an Event around the summary at the step and time given. */
  addSummary(summary: ProtoWriter, step: number | null | undefined, walltime: number | null | undefined): void {
    const event = new ProtoWriter().double(1, walltime ?? now());
    if (step !== null && step !== undefined && Math.trunc(step) !== 0) event.varint(2, BigInt(Math.trunc(step)));
    this.addEvent(event.message(5, summary));
  }

  flush(): void {
    if (this.queue.length === 0) return;
    const total = this.queue.reduce((s, r) => s + r.length, 0);
    const buf = new Uint8Array(total);
    let pos = 0;
    for (const r of this.queue) { buf.set(r, pos); pos += r.length; }
    this.queue = [];
    this.fs.appendFileSync(this.file, buf);
  }

  close(): void {
    if (this.closed) return;
    this.flush();
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.closed = true;
    unclosed.delete(this);
  }
}

export interface SummaryWriterOptions {
  log_dir?: string | null;
  comment?: string;
  max_queue?: number;
  flush_secs?: number;
  filename_suffix?: string;
}

type Step = number | null | undefined;

/**
 * Writes TensorBoard event files into `log_dir` (by default runs/<Mon>DD_HH-MM-SS_<host><comment>):
 * `new SummaryWriter()`, `new SummaryWriter("runs/exp1")`, `new SummaryWriter({comment: "_lr0.1"})`.
 * `tensorboard --logdir runs` shows them.
 */
export class SummaryWriter {
  readonly log_dir: string;
  private readonly maxQueue: number;
  private readonly flushSecs: number;
  private readonly suffix: string;
  private writers: Map<string, FileWriter> | null = null;

  constructor(log_dir?: string | null | SummaryWriterOptions, opts: SummaryWriterOptions = {}) {
    const o: SummaryWriterOptions = log_dir !== null && typeof log_dir === "object" ? log_dir : { ...opts, log_dir };
    let dir = o.log_dir;
    if (!dir) {
      const d = new Date();
      const two = (n: number) => String(n).padStart(2, "0");
      const month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][d.getMonth()];
      const host = nodeModule<Os>("node:os", "SummaryWriter").hostname();
      dir = nodeModule<Path>("node:path", "SummaryWriter").join("runs",
        `${month}${two(d.getDate())}_${two(d.getHours())}-${two(d.getMinutes())}-${two(d.getSeconds())}_${host}${o.comment ?? ""}`);
    }
    this.log_dir = dir;
    this.maxQueue = o.max_queue ?? 10;
    this.flushSecs = o.flush_secs ?? 120;
    this.suffix = o.filename_suffix ?? "";
    this.fileWriter();
  }

  /** The default FileWriter, (re)created on first use after close(). */
  private fileWriter(): FileWriter {
    if (this.writers === null) this.writers = new Map([[this.log_dir, new FileWriter(this.log_dir, this.maxQueue, this.flushSecs, this.suffix)]]);
    return this.writers.get(this.log_dir)!;
  }

  get_logdir(): string { return this.log_dir; }

  /** A scalar (a number or a one-element tensor) at `global_step`. */
  add_scalar(tag: string, scalar_value: number | Tensor, global_step?: Step, walltime?: Step): void {
    this.fileWriter().addSummary(scalar(tag, scalar_value), global_step, walltime);
  }

  /** Several scalars on one chart: each goes to its own run, log_dir/<main_tag>_<tag>. */
  add_scalars(main_tag: string, tag_scalar_dict: Record<string, number | Tensor>, global_step?: Step, walltime?: Step): void {
    const time = walltime ?? now();
    const base = this.fileWriter().logdir;
    for (const [tag, v] of Object.entries(tag_scalar_dict)) {
      const dir = `${base}/${main_tag.replace(/\//g, "_")}_${tag}`;
      let fw = this.writers!.get(dir);
      if (!fw) this.writers!.set(dir, (fw = new FileWriter(dir, this.maxQueue, this.flushSecs, this.suffix)));
      fw.addSummary(scalar(main_tag, v), global_step, time);
    }
  }

  /** A histogram of the values; `bins` "tensorflow" (the default), a count or the edges. */
  add_histogram(tag: string, values: Tensor | number, global_step?: Step, bins: Bins = "tensorflow", walltime?: Step, max_bins: number | null = null): void {
    this.fileWriter().addSummary(histogram(tag, values, bins, max_bins), global_step, walltime);
  }

  /** An image tensor: float in [0, 1] or uint8 in [0, 255], laid out as `dataformats` (CHW, HWC, HW). */
  add_image(tag: string, img_tensor: Tensor, global_step?: Step, walltime?: Step, dataformats = "CHW"): void {
    this.fileWriter().addSummary(image(tag, img_tensor, dataformats), global_step, walltime);
  }

  add_text(tag: string, text_string: string, global_step?: Step, walltime?: Step): void {
    this.fileWriter().addSummary(text(tag, text_string), global_step, walltime);
  }

  /** Hyperparameters and their metrics for TensorBoard's HPARAMS tab, in the run log_dir/<run_name>
   *  (by default the time, as Python's str(time.time())). */
  add_hparams(
    hparam_dict: Record<string, HParamValue>, metric_dict: Record<string, number | Tensor>,
    hparam_domain_discrete: Record<string, unknown[]> | null = null, run_name: string | null = null, global_step?: Step,
  ): void {
    const [exp, ssi, sei] = hparams(hparam_dict, metric_dict, hparam_domain_discrete);
    const logdir = nodeModule<Path>("node:path", "SummaryWriter").join(this.fileWriter().logdir, run_name || String(now()));
    const w = new SummaryWriter(logdir);
    try {
      for (const s of [exp, ssi, sei]) w.fileWriter().addSummary(s, global_step, undefined);
      for (const [k, v] of Object.entries(metric_dict)) w.add_scalar(k, v, global_step);
    } finally {
      w.close();
    }
  }

  /** Writes every pending event to disk. */
  flush(): void {
    for (const w of this.writers?.values() ?? []) w.flush();
  }

  /** Flushes and closes every file; a later add_* call opens a new event file. */
  close(): void {
    for (const w of this.writers?.values() ?? []) w.close();
    this.writers = null;
  }

  [Symbol.dispose](): void { this.close(); }
}
