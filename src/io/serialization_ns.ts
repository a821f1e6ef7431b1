// torch.serialization: the allow-list of globals torch.load accepts with weights_only.

export { add_safe_globals, get_safe_globals, clear_safe_globals, type SafeGlobal } from "./pt.js";
export { save, load } from "./serialization.js";
