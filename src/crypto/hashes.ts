/** Hashes the EVM's precompiles need: sha256 and ripemd160 from @noble/hashes, BLAKE2b F native. */
import { ripemd160 as nobleRipemd160 } from '@noble/hashes/legacy.js'
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js'

export const sha256 = (data: Uint8Array): Uint8Array => nobleSha256(data)
export const ripemd160 = (data: Uint8Array): Uint8Array => nobleRipemd160(data)

import { requireNative } from './native.ts'

/**
 * EIP-152 BLAKE2b compression F on the 213-byte precompile input (rounds, h, m, t, final flag),
 * natively: up to 2^32 - 1 rounds. Throws RangeError for a wrong length or flag.
 */
export const blake2f = (input: Uint8Array): Uint8Array => requireNative().blake2f(input)
