/**
 * Transactions in geth's output (field order of geth's RPCTransaction). Mined ones carry their
 * block and index and, from EIP-1559 on, the effective `gasPrice`; pending ones have null block
 * fields and `gasPrice` = the fee cap. Typed transactions carry `yParity` and `v` = yParity;
 * legacy ones `v` as signed and `chainId` only when EIP-155 protected.
 */
import type { Address, Hash } from '../../primitives/index.ts'
import { chainIdFromV, gasFeeCap, gasTipCap, transactionHash, type Transaction } from '../../types/index.ts'
import { hex, qty } from './hex.ts'

export interface TxPlacement {
  blockHash: Hash
  blockNumber: bigint
  blockTimestamp?: bigint
  index: number
  baseFee?: bigint
}

/** What the sender pays per gas in a block with `baseFee` (EIP-1559). */
export function effectiveGasPrice(tx: Transaction, baseFee: bigint | undefined): bigint {
  if (tx.type === 0 || tx.type === 1 || baseFee === undefined) return gasFeeCap(tx)
  const p = baseFee + gasTipCap(tx)
  return p < tx.maxFeePerGas ? p : tx.maxFeePerGas
}

export function formatTransaction(tx: Transaction, sender: Address, at?: TxPlacement): Record<string, unknown> {
  const o: Record<string, unknown> = {
    blockHash: at ? hex(at.blockHash) : null,
    blockNumber: at ? qty(at.blockNumber) : null,
  }
  if (at?.blockTimestamp !== undefined) o.blockTimestamp = qty(at.blockTimestamp)
  o.from = hex(sender)
  o.gas = qty(tx.gasLimit)
  o.gasPrice = qty(at ? effectiveGasPrice(tx, at.baseFee) : gasFeeCap(tx))
  if (tx.type >= 2) {
    const t = tx as Extract<Transaction, { maxFeePerGas: bigint }>
    o.maxFeePerGas = qty(t.maxFeePerGas)
    o.maxPriorityFeePerGas = qty(t.maxPriorityFeePerGas)
  }
  if (tx.type === 3) o.maxFeePerBlobGas = qty(tx.maxFeePerBlobGas)
  o.hash = hex(transactionHash(tx))
  o.input = hex(tx.data)
  o.nonce = qty(tx.nonce)
  o.to = tx.to ? hex(tx.to) : null
  o.transactionIndex = at ? qty(at.index) : null
  o.value = qty(tx.value)
  o.type = qty(tx.type)
  if (tx.type === 0) {
    const chainId = chainIdFromV(tx.v)
    if (chainId !== undefined) o.chainId = qty(chainId)
    o.v = qty(tx.v)
  } else {
    o.accessList = tx.accessList.map((a) => ({ address: hex(a.address), storageKeys: a.storageKeys.map(hex) }))
    o.chainId = qty(tx.chainId)
    if (tx.type === 3) o.blobVersionedHashes = tx.blobVersionedHashes.map(hex)
    if (tx.type === 4)
      o.authorizationList = tx.authorizationList.map((a) => ({
        chainId: qty(a.chainId),
        address: hex(a.address),
        nonce: qty(a.nonce),
        yParity: qty(a.yParity),
        r: qty(a.r),
        s: qty(a.s),
      }))
    o.v = qty(tx.yParity)
  }
  o.r = qty(tx.r)
  o.s = qty(tx.s)
  if (tx.type !== 0) o.yParity = qty(tx.yParity)
  return o
}
