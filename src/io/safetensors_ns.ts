// torch.safetensors: Python's safetensors.torch (save / load on bytes, save_file / load_file on
// files) and huggingface_hub's sharded checkpoints (save_torch_state_dict, and load_sharded for
// a "model.safetensors.index.json").

import type { Tensor } from "../core/tensor.js";
import { serialize, deserialize, type Metadata } from "./safetensors.js";
import { toObject } from "./sharded.js";

export { save_file, load_file, load_metadata, save_torch_state_dict, load_sharded, type ShardOptions } from "./sharded.js";
export { SafetensorError } from "./safetensors.js";

/** safetensors.torch.save: the bytes of named tensors. */
export function save(tensors: Record<string, Tensor> | Map<string, Tensor>, metadata: Metadata | null = null): Uint8Array {
  return serialize(tensors instanceof Map ? tensors : Object.entries(tensors), metadata);
}

/** safetensors.torch.load: the tensors of safetensors bytes. */
export function load(data: Uint8Array | ArrayBuffer): Record<string, Tensor> {
  return toObject(deserialize(data).tensors);
}
