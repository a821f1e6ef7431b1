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
import "./autograd/api.js";
import * as torch from "./torch.js";

export * from "./torch.js";
export default torch;
