/**
 * Headers and blocks in geth's output: keys in alphabetical order (geth marshals a map), fork
 * fields only when the header has them, `size` of the RLP block, `transactions` as hashes or
 * full objects, `withdrawals` from Shanghai. No `totalDifficulty` (geth dropped it after the merge).
 */
import { encodeBlock, headerHash, transactionHash, type Block, type Header } from '../../types/index.ts'
import type { Address } from '../../primitives/index.ts'
import { hex, qty } from './hex.ts'
import { formatTransaction } from './transaction.ts'

type Json = Record<string, unknown>

function sorted(o: Json): Json {
  const out: Json = {}
  for (const k of Object.keys(o).sort()) out[k] = o[k]
  return out
}

function headerFields(h: Header): Json {
  const o: Json = {
    hash: hex(headerHash(h)),
    parentHash: hex(h.parentHash),
    sha3Uncles: hex(h.ommersHash),
    miner: hex(h.coinbase),
    stateRoot: hex(h.stateRoot),
    transactionsRoot: hex(h.transactionsRoot),
    receiptsRoot: hex(h.receiptsRoot),
    logsBloom: hex(h.logsBloom),
    difficulty: qty(h.difficulty),
    number: qty(h.number),
    gasLimit: qty(h.gasLimit),
    gasUsed: qty(h.gasUsed),
    timestamp: qty(h.timestamp),
    extraData: hex(h.extraData),
    mixHash: hex(h.mixHash),
    nonce: hex(h.nonce),
  }
  if (h.baseFeePerGas !== undefined) o.baseFeePerGas = qty(h.baseFeePerGas)
  if (h.withdrawalsRoot !== undefined) o.withdrawalsRoot = hex(h.withdrawalsRoot)
  if (h.blobGasUsed !== undefined) o.blobGasUsed = qty(h.blobGasUsed)
  if (h.excessBlobGas !== undefined) o.excessBlobGas = qty(h.excessBlobGas)
  if (h.parentBeaconBlockRoot !== undefined) o.parentBeaconBlockRoot = hex(h.parentBeaconBlockRoot)
  if (h.requestsHash !== undefined) o.requestsHash = hex(h.requestsHash)
  return o
}

/** A header as eth_getHeaderByNumber and newHeads give it. */
export function formatHeader(h: Header): Json {
  return sorted(headerFields(h))
}

/** A block; `senders` are needed for full transactions. */
export function formatBlock(block: Block, fullTx: boolean, senders?: readonly Address[]): Json {
  const h = block.header
  const o = headerFields(h)
  o.size = qty(encodeBlock(block).length)
  o.uncles = block.ommers.map((u) => hex(headerHash(u)))
  const blockHash = headerHash(h)
  o.transactions = block.transactions.map((tx, i) =>
    fullTx
      ? formatTransaction(tx, senders![i]!, { blockHash, blockNumber: h.number, blockTimestamp: h.timestamp, index: i, baseFee: h.baseFeePerGas })
      : hex(transactionHash(tx)),
  )
  if (block.withdrawals)
    o.withdrawals = block.withdrawals.map((w) => ({ index: qty(w.index), validatorIndex: qty(w.validatorIndex), address: hex(w.address), amount: qty(w.amount) }))
  return sorted(o)
}
