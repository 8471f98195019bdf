/**
 * Layer 1: one function per primitive. keccak256 and secp256k1 run in the native addon
 * (batched entry points for block-sized work); sha256 and ripemd160 come from @noble/hashes.
 * KZG (kzg.ts) comes from c-kzg, loaded on first use.
 * Importing this module requires the addon: its absence is a clear error at start-up
 * ("native addon not built: run `make native`"), never a silent slowdown.
 */
export * from './keccak.ts'
export * from './secp256k1.ts'
export * from './hashes.ts'
export { nativeStatus, type NativeStatus } from './native.ts'
export { CryptoError, type CryptoErrorCode } from './errors.ts'
export * from './curves.ts'
export * from './kzg.ts'
export { mnemonicKeys } from './mnemonic.ts'
