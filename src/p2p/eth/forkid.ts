/** The RLP form of an EIP-2124 fork id in the eth Status message (the id itself: src/chainspec/fork-id.ts). */
import { rlpFixed, rlpList, rlpUint, type RlpItem } from '../../primitives/index.ts'
import type { ForkId } from '../../chainspec/index.ts'
import { P2pError } from '../errors.ts'

export function forkIdToRlp(id: ForkId): [Uint8Array, bigint] {
  return [id.hash, id.next]
}

export function forkIdFromRlp(item: RlpItem | undefined): ForkId {
  try {
    const l = rlpList(item, 'fork id')
    return { hash: rlpFixed(l[0], 'fork hash', 4), next: rlpUint(l[1], 'fork next', 8) }
  } catch (cause) {
    throw new P2pError('MESSAGE_INVALID', 'bad fork id', { cause })
  }
}
