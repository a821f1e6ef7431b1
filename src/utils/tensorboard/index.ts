// torch.utils.tensorboard
export { SummaryWriter } from "./writer.js";
export type { SummaryWriterOptions } from "./writer.js";
