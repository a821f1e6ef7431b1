// torch.nn.parallel
import { parsedClasses } from "../core/argparse.js";
import type { Module } from "./module.js";
import * as dp from "./data_parallel.js";
export { DistributedDataParallel, type DDPOptions } from "../distributed/ddp.js";
export { data_parallel } from "./data_parallel.js";
/** nn.DataParallel (also nn.parallel.DataParallel), its constructor parsed by PyTorch's signature. */
export const { DataParallel } = parsedClasses("nn", { DataParallel: dp.DataParallel });
export type DataParallel<M extends Module = Module> = dp.DataParallel<M>;
