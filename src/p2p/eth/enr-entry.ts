/**
 * The "eth" entry of a node record (devp2p enr-entries/eth.md): `[[fork-hash, fork-next], ...]`,
 * the node's EIP-2124 fork id. Discovery uses it to dial only execution-layer nodes of our chain.
 *
 * Callers: discovery (our own record, filtering discovered records).
 */
import { bigintToBytes, rlpList, type RlpItem } from '../../primitives/index.ts'
import type { ForkId } from '../../chainspec/index.ts'
import { forkIdFromRlp } from './forkid.ts'

/** The value to store under "eth". */
export function ethEnrEntry(forkId: ForkId): RlpItem {
  return [[forkId.hash, bigintToBytes(forkId.next)]]
}

/** The fork id of an "eth" entry; undefined when absent or malformed (extra list items are allowed). */
export function forkIdOfEnrEntry(value: RlpItem | undefined): ForkId | undefined {
  if (value === undefined) return undefined
  try {
    return forkIdFromRlp(rlpList(value, 'eth entry')[0])
  } catch {
    return undefined
  }
}
