/**
 * Address (20 bytes) and Hash (32 bytes) values, with EIP-55 mixed-case checksums.
 * Both are plain `Uint8Array`s; the aliases document intent, the parsers enforce length.
 */
// Layer 0 has no access to the crypto layer; the checksum is not a hot path, so it hashes with
// @noble/hashes directly instead of the native addon.
import { keccak_256 } from '@noble/hashes/sha3.js'
import { MosaicError } from './errors.ts'
import { bytesToHex, type Hex, hexToBytes, isHex } from './hex.ts'

export type Address = Uint8Array
export type Hash = Uint8Array

export class AddressError extends MosaicError {
  override name = 'AddressError'
  constructor(details: string) {
    super('INVALID_ADDRESS', 'invalid address', { details })
  }
}

export const ZERO_ADDRESS: Address = new Uint8Array(20)
export const ZERO_HASH: Hash = new Uint8Array(32)

/**
 * Parses a `0x` address. All-lowercase and all-uppercase are accepted as is; mixed case must
 * carry a valid EIP-55 checksum.
 */
export function parseAddress(s: string): Address {
  if (!isHex(s) || s.length !== 42) throw new AddressError(`expected 0x and 40 hex digits, got ${JSON.stringify(s)}`)
  const body = s.slice(2)
  const mixed = body !== body.toLowerCase() && body !== body.toUpperCase()
  if (mixed && toChecksumAddress(hexToBytes(body)) !== s) throw new AddressError(`bad EIP-55 checksum in ${s}`)
  return hexToBytes(body)
}

export function parseHash(s: string): Hash {
  if (!isHex(s) || s.length !== 66) throw new MosaicError('INVALID_HASH', 'invalid hash', { details: `expected 0x and 64 hex digits, got ${JSON.stringify(s)}` })
  return hexToBytes(s)
}

/** EIP-55: uppercase each hex letter whose nibble in keccak256(lowercase hex) is >= 8. */
export function toChecksumAddress(address: Address): Hex {
  if (address.length !== 20) throw new AddressError(`expected 20 bytes, got ${address.length}`)
  const lower = bytesToHex(address).slice(2)
  const digest = keccak_256(new TextEncoder().encode(lower))
  let out = '0x'
  for (let i = 0; i < 40; i++) {
    const nib = (digest[i >> 1]! >> (i % 2 === 0 ? 4 : 0)) & 0xf
    out += nib >= 8 ? lower[i]!.toUpperCase() : lower[i]
  }
  return out as Hex
}

export function isValidChecksumAddress(s: string): boolean {
  try {
    return isHex(s) && s.length === 42 && toChecksumAddress(hexToBytes(s)) === s
  } catch {
    return false
  }
}
