// torch.save / torch.load (safetensors), and the safetensors format itself.

export { save, load, load_metadata, saveToBytes } from "./serialization.js";
export type { SaveOptions, LoadOptions, SaveTarget } from "./serialization.js";
export { serialize, deserialize, SafetensorError, SAFETENSORS_DTYPE, MAX_HEADER_SIZE } from "./safetensors.js";
export type { Metadata } from "./safetensors.js";
