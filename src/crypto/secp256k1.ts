/** secp256k1: public-key recovery (single and batched), signing, address derivation. */
import { secp256k1 } from '@noble/curves/secp256k1.js'
import { bigintToWord, type Address } from '../primitives/index.ts'
import { keccak256 } from './keccak.ts'

export const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n
export const SECP256K1_N_HALF = SECP256K1_N >> 1n

export interface Signature {
  r: bigint
  s: bigint
  /** 0 or 1: parity of the y coordinate of the signature's R point. */
  yParity: number
}

export interface RecoveryInput extends Signature {
  hash: Uint8Array
}

function validRange(v: bigint): boolean {
  return v > 0n && v < SECP256K1_N
}

/** Recovers the 64-byte public key (x || y) or returns null when the signature is invalid. */
export function recoverPublicKey(hash: Uint8Array, sig: Signature): Uint8Array | null {
  if (hash.length !== 32 || !validRange(sig.r) || !validRange(sig.s) || (sig.yParity !== 0 && sig.yParity !== 1)) return null
  try {
    const compact = new Uint8Array(65)
    compact[0] = sig.yParity
    compact.set(bigintToWord(sig.r), 1)
    compact.set(bigintToWord(sig.s), 33)
    const pub = secp256k1.recoverPublicKey(compact, hash, { prehash: false, format: 'recovered' } as never)
    return secp256k1.Point.fromBytes(pub).toBytes(false).subarray(1)
  } catch {
    return null
  }
}

export function publicKeyToAddress(publicKey: Uint8Array): Address {
  if (publicKey.length !== 64) throw new RangeError(`public key must be 64 bytes, got ${publicKey.length}`)
  return keccak256(publicKey).subarray(12)
}

export function recoverAddress(hash: Uint8Array, sig: Signature): Address | null {
  const pub = recoverPublicKey(hash, sig)
  return pub && publicKeyToAddress(pub)
}

/** Recovers many signers in one call (all senders of a block), spread over threads natively. */
export function recoverAddresses(inputs: readonly RecoveryInput[]): (Address | null)[] {
  return inputs.map((i) => recoverAddress(i.hash, i))
}

/** Deterministic (RFC 6979), low-s signature of a 32-byte hash. */
export function sign(hash: Uint8Array, privateKey: Uint8Array): Signature {
  const sig = secp256k1.sign(hash, privateKey, { prehash: false, format: 'recovered' } as never) as unknown as Uint8Array
  const s = secp256k1.Signature.fromBytes(sig, 'recovered')
  return { r: s.r, s: s.s, yParity: s.recovery! }
}

export function privateKeyToAddress(privateKey: Uint8Array): Address {
  return publicKeyToAddress(secp256k1.getPublicKey(privateKey, false).subarray(1))
}
