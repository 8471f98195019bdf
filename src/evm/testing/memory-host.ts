/**
 * The EVM tests' Host: the production `JournaledState` over a `MemoryState`, with a default block
 * and transaction, so a test sets accounts and runs code in two lines.
 */
import type { Address, Hash } from '../../primitives/index.ts'
import { addressKey, JournaledState, MemoryState, type MemoryAccount } from '../../state/index.ts'
import type { BlockContext, TxContext } from '../host.ts'

export interface MemoryHostOptions {
  block?: Partial<BlockContext>
  tx?: Partial<TxContext>
  blockHashes?: Map<bigint, Hash>
}

const BLOCK: BlockContext = { coinbase: new Uint8Array(20), number: 1n, timestamp: 1n, gasLimit: 30_000_000n, prevRandao: 0n, baseFee: 7n, blobBaseFee: 1n, chainId: 1n }
const TX: TxContext = { origin: new Uint8Array(20), gasPrice: 10n, blobHashes: [] }

export class MemoryHost extends JournaledState {
  /** The state the block starts from; `setAccount` writes here. */
  readonly memory: MemoryState

  constructor(opts: MemoryHostOptions = {}) {
    const memory = new MemoryState()
    const hashes = opts.blockHashes
    super(memory, { block: { ...BLOCK, ...opts.block }, blockHash: (n) => hashes?.get(n) })
    this.memory = memory
    this.beginTransaction({ ...TX, ...opts.tx })
  }

  /** Sets an account of the starting state; call it before anything reads the account. */
  setAccount(address: Address, a: Partial<MemoryAccount>): void {
    this.memory.setAccount(address, a)
  }

  /** Starts the next transaction (by default with the same transaction context). */
  override beginTransaction(tx: TxContext = this.tx): void {
    super.beginTransaction(tx)
  }

  /** The account as it is now: the starting state with the block's changes so far. */
  account(address: Address): MemoryAccount | undefined {
    const now = this.memory.clone()
    now.apply(this.blockDiff())
    return now.accounts.get(addressKey(address))
  }
}
