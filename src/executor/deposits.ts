/**
 * EIP-6110: deposit requests read from the deposit contract's DepositEvent logs. Each event's
 * ABI data must have the fixed layout of five dynamic `bytes` (pubkey 48, withdrawal
 * credentials 32, amount 8, signature 96, index 8); anything else makes the block invalid.
 */
import { bytesToBigint, concatBytes, equalBytes, hexToBytes, type Address } from '../primitives/index.ts'
import type { Receipt } from '../types/index.ts'
import { BlockValidationError } from './header-rules.ts'

export const DEPOSIT_EVENT_TOPIC = hexToBytes('0x649bbc62d0e31342afea4e5cd82d4049e7e1ee912fc0889aa790803be39038c5')

/** [offset of the length word, data size] of each field, in order. */
const LAYOUT: readonly [number, number][] = [
  [160, 48],
  [256, 32],
  [320, 8],
  [384, 96],
  [512, 8],
]
const EVENT_DATA_SIZE = 576

function word(data: Uint8Array, at: number): bigint {
  return bytesToBigint(data.subarray(at, at + 32))
}

/** The 192-byte request data of one DepositEvent. */
export function depositRequestData(data: Uint8Array): Uint8Array {
  const bad = (why: string): never => {
    throw new BlockValidationError('INVALID_DEPOSIT_EVENT_LAYOUT', why)
  }
  if (data.length !== EVENT_DATA_SIZE) bad(`deposit event data is ${data.length} bytes, expected ${EVENT_DATA_SIZE}`)
  const parts: Uint8Array[] = []
  LAYOUT.forEach(([offset, size], i) => {
    if (word(data, i * 32) !== BigInt(offset)) bad(`field ${i} offset is ${word(data, i * 32)}, expected ${offset}`)
    if (word(data, offset) !== BigInt(size)) bad(`field ${i} size is ${word(data, offset)}, expected ${size}`)
    parts.push(data.subarray(offset + 32, offset + 32 + size))
  })
  return concatBytes(...parts)
}

/** Concatenated deposit requests of a block's receipts (without the type byte). */
export function depositRequests(receipts: readonly Receipt[], depositContract: Address): Uint8Array {
  const out: Uint8Array[] = []
  for (const r of receipts)
    for (const log of r.logs)
      if (equalBytes(log.address, depositContract) && log.topics.length > 0 && equalBytes(log.topics[0]!, DEPOSIT_EVENT_TOPIC)) out.push(depositRequestData(log.data))
  return concatBytes(...out)
}
