/**
 * The 2048-bit logs bloom filter (Yellow Paper 4.4.1): each log's address and topics set three
 * bits, taken from the low 11 bits of byte pairs 0-1, 2-3 and 4-5 of their keccak256.
 */
import { keccak256, keccak256Batch } from '../crypto/index.ts'
import type { Log } from './log.ts'

export const BLOOM_BYTES = 256

export type Bloom = Uint8Array

export function createBloom(): Bloom {
  return new Uint8Array(BLOOM_BYTES)
}

function setBits(bloom: Bloom, h: Uint8Array): void {
  for (let i = 0; i < 6; i += 2) {
    const bit = ((h[i]! << 8) | h[i + 1]!) & 2047
    bloom[BLOOM_BYTES - 1 - (bit >> 3)]! |= 1 << (bit & 7)
  }
}

/** Adds `item` (an address or a topic) to `bloom` in place. */
export function bloomAdd(bloom: Bloom, item: Uint8Array): void {
  setBits(bloom, keccak256(item))
}

/** Whether `item` may be in `bloom` (false means surely not). */
export function bloomContains(bloom: Bloom, item: Uint8Array): boolean {
  const h = keccak256(item)
  for (let i = 0; i < 6; i += 2) {
    const bit = ((h[i]! << 8) | h[i + 1]!) & 2047
    if ((bloom[BLOOM_BYTES - 1 - (bit >> 3)]! & (1 << (bit & 7))) === 0) return false
  }
  return true
}

/** ORs `other` into `into` in place (a block's bloom from its receipts'). Returns `into`. */
export function bloomOr(into: Bloom, other: Bloom): Bloom {
  for (let i = 0; i < BLOOM_BYTES; i++) into[i]! |= other[i]!
  return into
}

/** The bloom of a receipt's logs, hashing all addresses and topics in one native call. */
export function logsBloom(logs: readonly Log[]): Bloom {
  const bloom = createBloom()
  const items: Uint8Array[] = []
  for (const log of logs) items.push(log.address, ...log.topics)
  if (items.length === 0) return bloom
  for (const h of keccak256Batch(items)) setBits(bloom, h)
  return bloom
}
