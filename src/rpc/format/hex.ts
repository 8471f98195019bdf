/** JSON-RPC output encodings: quantities as minimal 0x hex, bytes as 0x hex, addresses lower case. */
import { bigintToHex, bytesToHex, type Hex } from '../../primitives/index.ts'

export const qty = (n: bigint | number): Hex => bigintToHex(n)
export const hex = (b: Uint8Array): Hex => bytesToHex(b)
/** A 32-byte word from a bigint (storage values, topics). */
export const word = (n: bigint): Hex => `0x${n.toString(16).padStart(64, '0')}` as Hex
