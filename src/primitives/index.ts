/**
 * Layer 0: bytes and hex, RLP, 256-bit words, Address/Hash, the base error. No I/O, no crypto
 * beyond the EIP-55 checksum. Every other component builds on these.
 */
export * from './errors.ts'
export * from './bytes.ts'
export * from './hex.ts'
export * from './word.ts'
export * from './rlp.ts'
export * from './address.ts'
export { xorshift } from './xorshift.ts'
export { workerUrl } from './worker-url.ts'
