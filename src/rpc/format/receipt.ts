/**
 * Receipts and logs in geth's output. A receipt's `gasUsed`, `logIndex`es and `contractAddress`
 * depend on its place in the block, so receipts are formatted per block (`formatBlockReceipts`),
 * keys in alphabetical order as geth's map gives them. Logs keep geth's struct order.
 */
import { createAddress } from '../../evm/index.ts'
import type { Address, Hash } from '../../primitives/index.ts'
import { headerHash, transactionHash, type Block, type Log, type Receipt } from '../../types/index.ts'
import { hex, qty } from './hex.ts'
import { effectiveGasPrice } from './transaction.ts'

export interface LogPlacement {
  blockHash: Hash
  blockNumber: bigint
  blockTimestamp: bigint
  transactionHash: Hash
  transactionIndex: number
  logIndex: number
  removed?: boolean
}

export function formatLog(log: Log, at: LogPlacement): Record<string, unknown> {
  return {
    address: hex(log.address),
    topics: log.topics.map(hex),
    data: hex(log.data),
    blockNumber: qty(at.blockNumber),
    transactionHash: hex(at.transactionHash),
    transactionIndex: qty(at.transactionIndex),
    blockHash: hex(at.blockHash),
    blockTimestamp: qty(at.blockTimestamp),
    logIndex: qty(at.logIndex),
    removed: at.removed ?? false,
  }
}

/** A mined log with its block context, before formatting (eth_getLogs, filters, subscriptions). */
export interface PlacedLog {
  log: Log
  at: LogPlacement
}

/** Every log of a block with its placement, in order. */
export function blockLogs(block: Block, receipts: readonly Receipt[], removed = false): PlacedLog[] {
  const blockHash = headerHash(block.header)
  const out: PlacedLog[] = []
  let logIndex = 0
  receipts.forEach((r, i) => {
    const txHash = transactionHash(block.transactions[i]!)
    for (const log of r.logs)
      out.push({
        log,
        at: { blockHash, blockNumber: block.header.number, blockTimestamp: block.header.timestamp, transactionHash: txHash, transactionIndex: i, logIndex: logIndex++, removed },
      })
  })
  return out
}

/**
 * The block's receipts formatted; `blobBaseFee` is the block's blob gas price (from its excess
 * blob gas), needed for blob transactions.
 */
export function formatBlockReceipts(block: Block, receipts: readonly Receipt[], senders: readonly Address[], blobBaseFee: bigint | undefined): Record<string, unknown>[] {
  const h = block.header
  const blockHash = hex(headerHash(h))
  let logIndex = 0
  let prevCumulative = 0n
  return receipts.map((r, i) => {
    const tx = block.transactions[i]!
    const txHash = transactionHash(tx)
    const logs = r.logs.map((log) =>
      formatLog(log, { blockHash: headerHash(h), blockNumber: h.number, blockTimestamp: h.timestamp, transactionHash: txHash, transactionIndex: i, logIndex: logIndex++ }),
    )
    const o: Record<string, unknown> = {}
    if (tx.type === 3) {
      o.blobGasPrice = qty(blobBaseFee ?? 0n)
      o.blobGasUsed = qty(BigInt(tx.blobVersionedHashes.length) << 17n)
    }
    o.blockHash = blockHash
    o.blockNumber = qty(h.number)
    o.contractAddress = tx.to === null ? hex(createAddress(senders[i]!, tx.nonce)) : null
    o.cumulativeGasUsed = qty(r.cumulativeGasUsed)
    o.effectiveGasPrice = qty(effectiveGasPrice(tx, h.baseFeePerGas))
    o.from = hex(senders[i]!)
    o.gasUsed = qty(r.cumulativeGasUsed - prevCumulative)
    o.logs = logs
    o.logsBloom = hex(r.logsBloom)
    if (r.root) o.root = hex(r.root)
    else o.status = qty(r.status ?? 0)
    o.to = tx.to ? hex(tx.to) : null
    o.transactionHash = hex(txHash)
    o.transactionIndex = qty(i)
    o.type = qty(tx.type)
    prevCumulative = r.cumulativeGasUsed
    return o
  })
}
