import torch from "typetorch";
const n = 1e7;
for (let r = 0; r < 3; r++) { const t = performance.now(); torch.randn(n); console.log("randn ns/el", ((performance.now() - t) * 1e6 / n).toFixed(1)); }
