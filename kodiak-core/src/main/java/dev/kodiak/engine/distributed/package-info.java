/**
 * Data-parallel training's engine layer: a process group on libtorch's own collective backend (c10d's Gloo over
 * TCP, rendezvous through c10d's TCPStore hosted by rank 0) — {@link dev.kodiak.engine.distributed.DistributedGroup}
 * for averaging gradients in flat buckets, broadcasting weights and barriers, and
 * {@link dev.kodiak.engine.distributed.GradientReducer}, DDP's own Reducer, for all-reduce overlapped with backward.
 * Every wait has Kodiak's timeout (not Gloo's 30 minutes) and a failed peer becomes a
 * {@link dev.kodiak.KodiakException} naming its rank. Findings and the plan for the training loop:
 * {@code docs/distributed-spike.md}; what scaling to expect: {@code docs/scaling.md}.
 *
 * <p>Known trap (aborts the JVM): c10d's {@code ProcessGroup(store, rank, size)} constructor from these presets;
 * {@code GradientReducer} uses {@code ProcessGroup(rank, size)} instead.
 */
package dev.kodiak.engine.distributed;
