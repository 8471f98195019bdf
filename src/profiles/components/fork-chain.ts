/**
 * The chain of fork mode: the fork block's header as its first block, on a store whose flat
 * state falls through to the upstream (src/remote's fork store). The spec is the configured one
 * (the dev chain's rules) under the fork's chain id; the dev accounts get their 10,000 ETH over
 * whatever the upstream holds, as anvil does, and the dev chain's system contracts stand in where
 * the upstream has none (a dev upstream without EIP-7002/7251 contracts can still be mined on).
 * On anvil_reset the store drops the fork's own writes and the chain re-bases on the new block.
 */
import { Blockchain } from '../../blockchain/index.ts'
import type { ChainSpec } from '../../chainspec/index.ts'
import type { Logger } from '../../node/index.ts'
import { bytesToHex, hexToBytes } from '../../primitives/index.ts'
import { openForkStore } from '../../remote/index.ts'
import type { ForkSession } from './fork.ts'
import type { KeyValueStore } from '../../storage/index.ts'

export function forkChain(local: KeyValueStore, session: ForkSession, c: { spec: ChainSpec; stateHistory: number; log?: Logger }): Blockchain {
  const alloc = c.spec.alloc()
  const balances = new Map<string, bigint>()
  const absent = new Map<string, { nonce: bigint; code: Uint8Array }>()
  for (const [addr, a] of alloc) {
    if (a.code.length > 0) absent.set(addr, { nonce: a.nonce, code: a.code })
    else if (a.balance > 0n) balances.set(addr, a.balance)
  }
  const fork = session.current
  const spec: ChainSpec = { ...c.spec, name: `fork-${fork.chainId}`, chainId: fork.chainId, alloc: () => new Map() }
  // what the first block and the dev signer touch, in one batch rather than a round trip each
  // (best effort: a failure shows again, with its key, on the read that needs it)
  const prefetch = (r: typeof fork.remote) => {
    try {
      r.prefetch([...balances.keys(), ...absent.keys()].map(hexToBytes))
    } catch (err) {
      c.log?.warn('Prefetch from the upstream failed', { error: err instanceof Error ? err.message : String(err) })
    }
  }
  prefetch(fork.remote)
  const store = openForkStore({ local, remote: fork.remote, forkStateRoot: fork.header.stateRoot, balances, absent })
  const chain = Blockchain.open(store, spec, { stateHistory: c.stateHistory, baseBlock: fork.header })
  // anvil_reset: the local blocks go, the chain starts over at the new fork block
  session.onReset((f) => {
    prefetch(f.remote)
    store.rebase(f.remote, f.header.stateRoot)
    chain.rebase(f.header)
  })
  c.log?.info('Opened fork chain', { id: spec.chainId, base: fork.header.number, hash: bytesToHex(chain.headBlockHash()) })
  return chain
}
