// Safetensors files by name, and sharded checkpoints as Hugging Face stores large models: shards
// "model-00001-of-00003.safetensors" … and "model.safetensors.index.json", whose weight_map says
// which shard holds each tensor. The split follows huggingface_hub's save_torch_state_dict
// (split_torch_state_dict_into_shards): tensors in order, a new shard when the next tensor would
// pass max_shard_size, a tensor larger than that alone in its shard, tensors sharing storage kept
// together; one shard is written as plain "model.safetensors" with no index.

import { Tensor } from "../core/tensor.js";
import { serialize, readSafetensors, SafetensorError, type Metadata } from "./safetensors.js";
import { setKey } from "./pickle.js";
import { type PathLike, nodeFsFor, joinPath, withSource, toFile } from "./files.js";

/** safetensors.torch.save_file: writes named tensors (and string metadata) to a file. */
export function save_file(tensors: Record<string, Tensor> | Map<string, Tensor>, filename: PathLike, metadata: Metadata | null = null): void {
  const bytes = serialize(tensors instanceof Map ? tensors : Object.entries(tensors), metadata);
  toFile(filename, "safetensors.save_file", (sink) => sink.write(bytes));
}

/** safetensors.torch.load_file: the tensors of a file, as a plain object in the file's order. */
export function load_file(filename: PathLike): Record<string, Tensor> {
  return toObject(withSource(filename, "safetensors.load_file", readSafetensors).tensors);
}

/** The metadata of a safetensors file (null when it has none). */
export function load_metadata(filename: PathLike): Metadata | null {
  return withSource(filename, "safetensors.load_metadata", readSafetensors).metadata;
}

export function toObject(tensors: Map<string, Tensor>): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  for (const [k, t] of tensors) setKey(out, k, t);
  return out;
}

const UNITS: Record<string, number> = {
  B: 1, KB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12, KIB: 2 ** 10, MIB: 2 ** 20, GIB: 2 ** 30, TIB: 2 ** 40,
};

/** huggingface_hub's parse_size_to_int: 5000, "5GB" (10^9), "5GiB" (2^30). */
export function parseSize(size: number | string): number {
  if (typeof size === "number") {
    if (!Number.isSafeInteger(size) || size <= 0) throw new Error(`max_shard_size must be a positive integer, got ${size}`);
    return size;
  }
  const m = /^\s*(\d+(?:\.\d+)?)\s*([KMGT]?I?B)\s*$/i.exec(size);
  if (!m) throw new Error(`Could not parse the size value from '${size}'`);
  return Math.floor(Number(m[1]) * UNITS[m[2]!.toUpperCase()]!);
}

export interface ShardOptions {
  /** The largest shard, in bytes or as "5GB" / "500MB" / "2GiB" (default "5GB", as huggingface_hub). */
  max_shard_size?: number | string;
  /** File names; "{suffix}" becomes "" (one shard) or "-00001-of-00003". */
  filename_pattern?: string;
  /** Extra entries for the index's "metadata" (next to total_size). */
  metadata?: Record<string, unknown>;
}

/**
 * huggingface_hub.save_torch_state_dict: writes `state_dict` to `save_directory` as safetensors
 * shards of at most max_shard_size bytes, with an index when there is more than one shard.
 * Returns the file names written.
 */
export function save_torch_state_dict(state_dict: Record<string, Tensor> | Map<string, Tensor>, save_directory: string, opts: ShardOptions = {}): string[] {
  const max = parseSize(opts.max_shard_size ?? "5GB");
  const pattern = opts.filename_pattern ?? "model{suffix}.safetensors";
  const entries = state_dict instanceof Map ? [...state_dict] : Object.entries(state_dict);
  // Group tensors that share storage (they must land in one shard), in order of first appearance.
  const groups: { names: string[]; size: number }[] = [];
  const byStorage = new Map<unknown, { names: string[]; size: number }>();
  for (const [name, t] of entries) {
    if (!(t instanceof Tensor)) throw new SafetensorError(`'${name}' is not a Tensor: a sharded checkpoint holds tensors only`);
    const size = t.numel() * t.dtype.itemsize;
    const g = byStorage.get(t._storage);
    if (g) { g.names.push(name); g.size += size; continue; }
    const ng = { names: [name], size };
    byStorage.set(t._storage, ng);
    groups.push(ng);
  }
  const shards: string[][] = [];
  let current: string[] = [], currentSize = 0;
  let total = 0;
  for (const g of groups) {
    total += g.size;
    if (g.size > max) { shards.push(g.names.slice()); continue; }
    if (currentSize + g.size > max && current.length) { shards.push(current); current = []; currentSize = 0; }
    current.push(...g.names);
    currentSize += g.size;
  }
  if (current.length || shards.length === 0) shards.push(current);
  const tensors = new Map(entries as [string, Tensor][]);
  const n = shards.length;
  const names = shards.map((_, i) => pattern.replace("{suffix}", n === 1 ? "" : `-${String(i + 1).padStart(5, "0")}-of-${String(n).padStart(5, "0")}`));
  nodeFsFor("save_torch_state_dict").mkdirSync(save_directory, { recursive: true });
  const weightMap: [string, string][] = [];
  shards.forEach((shard, i) => {
    save_file(new Map(shard.map((k) => [k, tensors.get(k)!])), joinPath(save_directory, names[i]!), { format: "pt" });
    for (const k of shard) weightMap.push([k, names[i]!]);
  });
  if (n === 1) return names;
  const index = { metadata: { ...opts.metadata, total_size: total }, weight_map: Object.fromEntries(weightMap) };
  const indexName = pattern.replace("{suffix}", "") + ".index.json";
  nodeFsFor("save_torch_state_dict").writeFileSync(joinPath(save_directory, indexName), JSON.stringify(index, null, 2));
  return [...names, indexName];
}

/**
 * Loads a sharded checkpoint from its index file ("….safetensors.index.json") or from the
 * directory holding "model.safetensors.index.json" (or a single "model.safetensors"): all of
 * its tensors, as a plain object in the index's order.
 */
export function load_sharded(path: string): Record<string, Tensor> {
  const fs = nodeFsFor("load_sharded");
  let indexPath = path;
  if (fs.statSync(path).isDirectory()) {
    indexPath = joinPath(path, "model.safetensors.index.json");
    if (!fs.existsSync(indexPath)) {
      const single = joinPath(path, "model.safetensors");
      if (fs.existsSync(single)) return load_file(single);
      throw new Error(`load_sharded: ${path} holds neither model.safetensors.index.json nor model.safetensors`);
    }
  }
  const dir = indexPath.replace(/[/\\][^/\\]*$/, "") || ".";
  let index: unknown;
  try {
    index = JSON.parse(new TextDecoder().decode(fs.readFileSync(indexPath)));
  } catch (e) {
    throw new Error(`load_sharded: ${indexPath} is not valid JSON: ${(e as Error).message}`);
  }
  const map = (index as { weight_map?: unknown } | null)?.weight_map;
  if (map === null || typeof map !== "object" || Array.isArray(map)) throw new Error(`load_sharded: ${indexPath} has no "weight_map" object`);
  const files = new Map<string, Record<string, Tensor>>();
  const out: Record<string, Tensor> = {};
  for (const [name, file] of Object.entries(map as Record<string, unknown>)) {
    // a shard is a file next to the index: no folders, no "..", so an index cannot point elsewhere
    if (typeof file !== "string" || !/^[^/\\]+$/.test(file) || file === "." || file === "..") {
      throw new Error(`load_sharded: the weight_map entry of '${name}' is ${JSON.stringify(file)}, not a file name next to the index`);
    }
    let shard = files.get(file);
    if (!shard) { shard = load_file(joinPath(dir, file)); files.set(file, shard); }
    const t = shard[name];
    if (!(t instanceof Tensor) || !Object.prototype.hasOwnProperty.call(shard, name)) throw new Error(`load_sharded: '${name}' is not in ${file}, where the index puts it`);
    setKey(out, name, t);
  }
  return out;
}
