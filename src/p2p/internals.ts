/**
 * p2p internals for tests and benchmarks: everything of index.ts, plus the RLPx transport
 * (ECIES, handshake, framing, Hello, sessions), discv4/discv5 and their tables, the peer manager,
 * dialer and discovery loop, the eth handler (`startEth`) and request bookkeeping, chain-data
 * serving, and the transaction fetcher, broadcaster and wire forms. Production code imports
 * index.ts.
 */
export * from './index.ts'
export * from './rlpx/ecies.ts'
export * from './rlpx/handshake.ts'
export * from './rlpx/frame.ts'
export * from './rlpx/hello.ts'
export * from './rlpx/session.ts'
export * from './eth/forkid.ts'
export { checksumToBytes, checksumUpdate, crc32 } from '../chainspec/index.ts'
export * from './eth/handler.ts'
export * from './eth/serve.ts'
export * from './eth/requests.ts'
export * from './discv4/packet.ts'
export * from './discv4/enr.ts'
export * from './discv4/table.ts'
export * from './discv4/enode.ts'
export * from './dialer.ts'
export * from './discv4/server.ts'
export * from './peers.ts'
export * from './discv5/discv5.ts'
export * from './discovery-loop.ts'
export * from './bootnodes.ts'
export * from './txs/wire.ts'
export * from './txs/fetcher.ts'
export * from './txs/broadcast.ts'
export * from './service.ts'
