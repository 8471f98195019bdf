/** 0x40–0x4a: BLOCKHASH, COINBASE, TIMESTAMP, NUMBER, PREVRANDAO, GASLIMIT, CHAINID, BASEFEE,
 *  BLOBHASH (EIP-4844), BLOBBASEFEE (EIP-7516). */
import type { Frame } from '../frame.ts'
import { addressToWord, bytesToWord } from '../words.ts'

/** Only the 256 most recent complete blocks are visible; anything else is 0. */
export function blockhash(f: Frame): void {
  const s = f.stack, i = f.sp - 1
  const n = s[i]
  const host = f.ctx.host
  const current = host.block.number
  if (n >= current || current - n > 256n) {
    s[i] = 0n
    return
  }
  const h = host.blockHash(n)
  s[i] = h ? bytesToWord(h) : 0n
}

export function coinbase(f: Frame): void {
  f.stack[f.sp++] = addressToWord(f.ctx.host.block.coinbase)
}

export function timestamp(f: Frame): void {
  f.stack[f.sp++] = f.ctx.host.block.timestamp
}

export function number(f: Frame): void {
  f.stack[f.sp++] = f.ctx.host.block.number
}

/** EIP-4399: DIFFICULTY became PREVRANDAO at the merge. */
export function prevrandao(f: Frame): void {
  f.stack[f.sp++] = f.ctx.host.block.prevRandao
}

export function gaslimit(f: Frame): void {
  f.stack[f.sp++] = f.ctx.host.block.gasLimit
}

/** EIP-1344. */
export function chainid(f: Frame): void {
  f.stack[f.sp++] = f.ctx.host.block.chainId
}

/** EIP-3198. */
export function basefee(f: Frame): void {
  f.stack[f.sp++] = f.ctx.host.block.baseFee
}

/** EIP-4844: the index-th versioned hash of the transaction, or 0. */
export function blobhash(f: Frame): void {
  const s = f.stack, i = f.sp - 1
  const hashes = f.ctx.host.tx.blobHashes
  const idx = s[i]
  s[i] = idx < BigInt(hashes.length) ? bytesToWord(hashes[Number(idx)]!) : 0n
}

/** EIP-7516. */
export function blobbasefee(f: Frame): void {
  f.stack[f.sp++] = f.ctx.host.block.blobBaseFee
}
