// torch.distributed: process groups and collectives on Gloo (c10d.ts), the TCPStore (store.ts).

export {
  ReduceOp, Work, ProcessGroup, GroupMember, type Group, default_pg_timeout,
  is_available, is_gloo_available, is_nccl_available, is_mpi_available, is_initialized, is_torchelastic_launched,
  gloo_unavailable_reason, init_process_group, new_group, destroy_process_group, type InitOptions,
  get_rank, get_world_size, get_backend, get_global_rank, get_group_rank, get_process_group_ranks,
  all_reduce, reduce, broadcast, all_gather, all_gather_into_tensor, reduce_scatter, reduce_scatter_tensor,
  gather, scatter, barrier, send, recv, isend, irecv,
  type CollectiveOptions, type AllReduceOptions, type RootedOptions, type P2POptions,
} from "./c10d.js";
export { TCPStore, type TCPStoreOptions, default_store_timeout } from "./store.js";
export { DistError, DistBackendError, DistStoreError, DistNetworkError } from "./native.js";
