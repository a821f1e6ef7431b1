// torch.nn.parallel
export { DistributedDataParallel, type DDPOptions } from "../distributed/ddp.js";
