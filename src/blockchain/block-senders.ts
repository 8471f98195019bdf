/**
 * A block's senders while it is imported: recovery starts on background threads before the
 * block's checks and execution (./blockchain.ts), and each transaction waits only for its own
 * sender, so a block whose senders nobody recovered ahead (the Engine API's newPayload, one
 * block at a time) executes while the later signatures are still being recovered. Blocks whose
 * senders are cached (`mosaic import` and sync recover a window ahead) cost nothing here.
 *
 * A transaction whose sender does not recover is rejected where the execution-specs recover it
 * (the executor's check order), so an earlier transaction's error comes first.
 */
import { BlockValidationError, executeBlock } from '../executor/index.ts'
import type { Address } from '../primitives/index.ts'
import type { JournaledState } from '../state/index.ts'
import { startRecoverSendersInOrder, type Block, type SendersInOrder } from '../types/index.ts'

export class BlockSenders {
  private readonly recovery: SendersInOrder
  /** `started`: the recovery of `block`'s transactions under way already. */
  constructor(block: Block, started?: SendersInOrder) {
    this.recovery = started ?? startRecoverSendersInOrder(block.transactions)
  }

  /** The invalid-signature error of the first transaction without a sender, if any (waits for all). */
  signatureError(): BlockValidationError | undefined {
    const i = this.recovery.all().indexOf(null)
    return i < 0 ? undefined : new BlockValidationError('INVALID_TRANSACTION', `transaction ${i}: invalid signature`)
  }

  /** `executeBlock` taking each sender as its transaction comes; the senders once all are known. */
  execute(state: JournaledState, block: Block, rules: Parameters<typeof executeBlock>[3]): { result: ReturnType<typeof executeBlock>; senders: Address[] } {
    const senders: (Address | undefined)[] = new Array(block.transactions.length)
    const result = executeBlock(state, block, senders, rules, {
      beforeTransaction: (i) => {
        senders[i] = this.recovery.sender(i) ?? undefined
      },
    })
    // every transaction executed, so every sender recovered
    return { result, senders: senders as Address[] }
  }

  /** Collects the background jobs (after a failure before execution). */
  done(): void {
    this.recovery.all()
  }
}
