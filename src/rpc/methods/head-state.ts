/**
 * The state methods of a node that holds only one state, its head's: a statesync replica, whose
 * store follows the chain's state-diff stream (src/statediff/nats-source.ts) and keeps no
 * blocks, headers or history. It answers eth_getBalance, eth_getStorageAt, eth_getCode and
 * eth_getTransactionCount at its head (`latest`, `pending`, or its head's number or hash), and
 * eth_blockNumber, eth_chainId, net_version, web3_clientVersion. Any other block is -32000
 * "this replica serves only its head"; other methods are not in its table (-32601).
 *
 * `HeadState` is the seam: a `StateStore` (src/statediff/store.ts) is one as it is, so the
 * rpc layer needs nothing of statediff's.
 */
import { bytesToHex, equalBytes, type Address, type Hash } from '../../primitives/index.ts'
import type { Methods } from '../context.ts'
import { ServerError } from '../errors.ts'
import { hex, qty, word } from '../format/hex.ts'
import { address, args, optionalBlock, storageKey, type BlockSelector } from '../params.ts'
import { web3Methods } from './web3.ts'

type Maybe<T> = T | Promise<T>

/** One state, at its head. Every read may be a promise (a store on a server). */
export interface HeadState {
  head(): Maybe<{ number: bigint; hash: Hash } | undefined>
  account(address: Address): Maybe<{ nonce: bigint; balance: bigint; codeHash: Hash } | undefined>
  slot(address: Address, slot: bigint): Maybe<bigint>
  code(hash: Hash): Maybe<Uint8Array | undefined>
}

export function headStateMethods(state: HeadState, chainId: bigint): Methods {
  /** The head, when `sel` names it; the -32000 error otherwise. */
  const at = async (sel: BlockSelector) => {
    const head = await state.head()
    if (!head) throw new ServerError('the replica has no state yet: it has not applied a block')
    const ok = 'tag' in sel ? sel.tag === 'latest' || sel.tag === 'pending' : 'number' in sel ? sel.number === head.number : equalBytes(sel.hash, head.hash)
    if (!ok) {
      const asked = 'tag' in sel ? sel.tag : 'number' in sel ? `block ${sel.number}` : `block ${bytesToHex(sel.hash)}`
      throw new ServerError(`this replica serves only its head (block ${head.number} ${bytesToHex(head.hash)}), not ${asked}`)
    }
    return head
  }
  const accountOf = async (p: unknown, blockAt: number) => {
    const a = args(p, blockAt + 1, blockAt)
    const who = address(a[0], 0)
    await at(optionalBlock(a[blockAt], blockAt))
    return state.account(who)
  }
  return {
    ...web3Methods,
    net_version: (_ctx, p) => (args(p, 0), chainId.toString()),
    eth_chainId: (_ctx, p) => (args(p, 0), qty(chainId)),
    async eth_blockNumber(_ctx, p) {
      args(p, 0)
      const head = await state.head()
      if (!head) throw new ServerError('the replica has no state yet: it has not applied a block')
      return qty(head.number)
    },
    eth_getBalance: async (_ctx, p) => qty((await accountOf(p, 1))?.balance ?? 0n),
    eth_getTransactionCount: async (_ctx, p) => qty((await accountOf(p, 1))?.nonce ?? 0n),
    async eth_getCode(_ctx, p) {
      const acct = await accountOf(p, 1)
      return hex((acct && (await state.code(acct.codeHash))) ?? new Uint8Array(0))
    },
    async eth_getStorageAt(_ctx, p) {
      const a = args(p, 3, 2)
      const who = address(a[0], 0)
      const slot = storageKey(a[1], 1)
      await at(optionalBlock(a[2], 2))
      return word(await state.slot(who, slot))
    },
  }
}
