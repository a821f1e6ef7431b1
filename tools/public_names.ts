// Lists typetorch's public callables, for tools/gen_signatures.py (which looks up PyTorch's
// signature of each): node --conditions=source --import tsx tools/public_names.ts > names.json
import torch from "typetorch";

type Obj = Record<string, unknown>;
const isClass = (v: unknown) => typeof v === "function" && /^class\b/.test(Function.prototype.toString.call(v));
const functions = (o: Obj) => Object.keys(o).filter((k) => typeof o[k] === "function" && !isClass(o[k]) && !k.startsWith("_")).sort();
const classes = (o: Obj) => Object.keys(o).filter((k) => isClass(o[k]) && !k.startsWith("_")).sort();
const proto = torch.Tensor.prototype as unknown as Obj;
const methods = Object.getOwnPropertyNames(proto).filter((k) => {
  const d = Object.getOwnPropertyDescriptor(proto, k)!;
  return typeof d.value === "function" && k !== "constructor" && !k.startsWith("_");
}).sort();
const t = torch as unknown as Obj, nn = torch.nn as unknown as Obj;
console.log(JSON.stringify({
  torch: functions(t), Tensor: methods, F: functions(nn.functional as Obj), linalg: functions(t.linalg as Obj),
  special: functions(t.special as Obj), nn: classes(nn), optim: classes(t.optim as Obj),
  lr_scheduler: classes((t.optim as Obj).lr_scheduler as Obj), data: classes((t.utils as Obj).data as Obj),
  func: functions(t.func as Obj), autograd: ["grad", "backward"], utils: functions(nn.utils as Obj), "utils.rnn": functions((nn.utils as Obj).rnn as Obj),
  "nn.init": functions(nn.init as Obj),
}, null, 1));
