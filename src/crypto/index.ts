/**
 * Layer 1: one function per primitive. keccak256 and secp256k1 run in the native addon
 * (batched entry points for block-sized work); the rest come from @noble libraries.
 */
export * from './keccak.ts'
export * from './secp256k1.ts'
export * from './hashes.ts'
