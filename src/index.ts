// The public `torch` namespace (shared/API.md is its contract).

import "./ops/elementwise.js";
import "./ops/views.js";
import "./ops/reduce.js";
import "./ops/indexing.js";
import "./ops/index_ops.js";
import "./ops/linalg.js";
import "./ops/convert.js";
import "./ops/creation.js";
import "./ops/random_ops.js";
import "./ops/shared_memory.js";
import "./autograd/api.js";
// torch.ts's namespace, with PyTorch's out= arguments on the functions that take one
import * as torch from "./torch_out.js";

export * from "./torch_out.js";
export default torch;
