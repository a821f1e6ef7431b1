// torch.save / torch.load (PyTorch's zip and legacy formats, safetensors), torch.serialization,
// and the safetensors format itself.

export { save, load, load_metadata, saveToBytes } from "./serialization.js";
export type { SaveOptions, LoadOptions, SaveTarget } from "./serialization.js";
export { serialize, deserialize, SafetensorError, SAFETENSORS_DTYPE, MAX_HEADER_SIZE } from "./safetensors.js";
export type { Metadata } from "./safetensors.js";
export { UnpicklingError, PyObject, ORDERED_DICT } from "./pickle.js";
export { TypedStorage, type MapLocation } from "./pt.js";
export { BadZipFile } from "./zip.js";
export * as serialization from "./serialization_ns.js";
export * as safetensors from "./safetensors_ns.js";
