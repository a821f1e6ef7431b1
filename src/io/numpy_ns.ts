// torch.numpy: NumPy's file functions for tensors (np.save, np.load, np.savez,
// np.savez_compressed), in numpy.ts.
export { save, load, savez, savez_compressed } from "./numpy.js";
export type { LoadOptions, NpyFile } from "./numpy.js";
