/**
 * Node.js flags of the daemon process, for whatever launches `@nerve/daemon/main` (`nerve daemon
 * start`, the systemd unit of `nerve service install`).
 *
 * `--max-semi-space-size=2`: V8's young generation grows to its maximum (16 MiB per semi-space,
 * 32 MiB in all) during the daemon's start, which allocates a lot at once (config, Nest, the
 * builds), and keeps it resident ever after, though a running daemon holds a few MiB of young
 * objects at most. Capped at 2 MiB it stays small: some 20 MiB less resident memory, for more
 * frequent (and as short) scavenges under heavy signal traffic (docs/PERFORMANCE.md).
 */
export const DAEMON_NODE_FLAGS: readonly string[] = ["--max-semi-space-size=2"];
