/** web3_ and net_: client version, keccak, network id, listening, peers (none: no p2p in this profile). */
import { keccak256 } from '../../crypto/index.ts'
import type { Methods } from '../context.ts'
import { hex, qty } from '../format/hex.ts'
import { args, data } from '../params.ts'

/** geth's shape: name/version/os-arch/runtime. */
export const CLIENT_VERSION = `Mosaic/v0.1.0/${process.platform}-${process.arch}/bun${Bun.version}`

export const web3Methods: Methods = {
  web3_clientVersion: (ctx, p) => (args(p, 0), ctx.clientVersion),
  web3_sha3: (_ctx, p) => hex(keccak256(data(args(p, 1, 1)[0], 0))),
}

export const netMethods: Methods = {
  net_version: (ctx, p) => (args(p, 0), ctx.chain.spec.networkId.toString()),
  net_listening: (_ctx, p) => (args(p, 0), true),
  net_peerCount: (_ctx, p) => (args(p, 0), qty(0)),
}
