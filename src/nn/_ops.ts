// The op modules nn builds on, imported for their side effect of installing Tensor methods, so
// that src/nn works when imported on its own (tests import "../src/nn/index.js" directly).

import "../ops/elementwise.js";
import "../ops/views.js";
import "../ops/reduce.js";
import "../ops/indexing.js";
import "../ops/linalg.js";
import "../ops/convert.js";
import "../ops/creation.js";
import "../ops/random_ops.js";
import "../ops/inplace.js";
import "../ops/norms.js";
import "../ops/statistics.js";
import "../autograd/api.js";
