/**
 * ECIES as used by RLPx (devp2p rlpx.md, "ECIES Encryption"): secp256k1 ECDH, NIST SP 800-56
 * concatenation KDF over sha256, AES-128-CTR, HMAC-SHA256 tag over iv || ciphertext || s2.
 *
 * Wire layout: R (65-byte uncompressed ephemeral public key) || iv (16) || c || d (32).
 */
import { createCipheriv, createDecipheriv, randomBytes, timingSafeEqual } from 'node:crypto'
import { secp256k1 } from '@noble/curves/secp256k1.js'
import { hmac } from '@noble/hashes/hmac.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { concatBytes } from '../../primitives/index.ts'
import { P2pError } from '../errors.ts'

/** Bytes ECIES adds to a plaintext: 65 (R) + 16 (iv) + 32 (tag). */
export const ECIES_OVERHEAD = 113

/** 65-byte uncompressed key from a 64-byte node id (or pass-through when already 65). */
export function toUncompressed(pub: Uint8Array): Uint8Array {
  if (pub.length === 65) return pub
  if (pub.length !== 64) throw new P2pError('ECIES_INVALID', 'bad public key length', { details: String(pub.length) })
  const out = new Uint8Array(65)
  out[0] = 4
  out.set(pub, 1)
  return out
}

/** x coordinate of priv * pub (32 bytes). Throws P2pError when `pub` is not on the curve. */
export function ecdhX(privateKey: Uint8Array, publicKey: Uint8Array): Uint8Array {
  try {
    return secp256k1.getSharedSecret(privateKey, toUncompressed(publicKey), true).subarray(1)
  } catch (cause) {
    throw new P2pError('ECIES_INVALID', 'invalid public key', { cause })
  }
}

/** 64-byte node id (x || y) of a private key. */
export function publicKeyOf(privateKey: Uint8Array): Uint8Array {
  return secp256k1.getPublicKey(privateKey, false).subarray(1)
}

export function randomPrivateKey(): Uint8Array {
  return secp256k1.utils.randomSecretKey()
}

/** NIST SP 800-56 concatenation KDF with sha256 and empty other-info. */
export function concatKdf(z: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(Math.ceil(length / 32) * 32)
  const counter = new Uint8Array(4)
  for (let i = 0, o = 0; o < length; i++, o += 32) {
    new DataView(counter.buffer).setUint32(0, i + 1)
    out.set(sha256(concatBytes(counter, z)), o)
  }
  return out.subarray(0, length)
}

function keys(shared: Uint8Array): { ke: Uint8Array; km: Uint8Array } {
  const k = concatKdf(shared, 32)
  return { ke: k.subarray(0, 16), km: sha256(k.subarray(16, 32)) }
}

export interface EciesEncryptOptions {
  /** Ephemeral key and iv, for test vectors only; random otherwise. */
  ephemeralKey?: Uint8Array
  iv?: Uint8Array
}

/** Encrypts `message` to `remotePublicKey` (64 or 65 bytes); `macData` is s2 (EIP-8: the size prefix). */
export function eciesEncrypt(
  remotePublicKey: Uint8Array,
  message: Uint8Array,
  macData: Uint8Array = new Uint8Array(0),
  opts: EciesEncryptOptions = {},
): Uint8Array {
  const eph = opts.ephemeralKey ?? randomPrivateKey()
  const iv = opts.iv ?? new Uint8Array(randomBytes(16))
  const { ke, km } = keys(ecdhX(eph, remotePublicKey))
  const cipher = createCipheriv('aes-128-ctr', ke, iv)
  const c = new Uint8Array(Buffer.concat([cipher.update(message), cipher.final()]))
  const ivc = concatBytes(iv, c)
  const tag = hmac(sha256, km, concatBytes(ivc, macData))
  return concatBytes(secp256k1.getPublicKey(eph, false), ivc, tag)
}

/** Decrypts an ECIES message with our private key; throws P2pError('ECIES_INVALID') on any failure. */
export function eciesDecrypt(
  privateKey: Uint8Array,
  data: Uint8Array,
  macData: Uint8Array = new Uint8Array(0),
): Uint8Array {
  if (data.length < ECIES_OVERHEAD) throw new P2pError('ECIES_INVALID', 'ECIES message too short')
  if (data[0] !== 0x04) throw new P2pError('ECIES_INVALID', 'ECIES message must start with an uncompressed key')
  const R = data.subarray(0, 65)
  const ivc = data.subarray(65, data.length - 32)
  const tag = data.subarray(data.length - 32)
  const { ke, km } = keys(ecdhX(privateKey, R))
  const expected = hmac(sha256, km, concatBytes(ivc, macData))
  if (!timingSafeEqual(expected, tag)) throw new P2pError('ECIES_INVALID', 'ECIES tag mismatch')
  const decipher = createDecipheriv('aes-128-ctr', ke, ivc.subarray(0, 16))
  return new Uint8Array(Buffer.concat([decipher.update(ivc.subarray(16)), decipher.final()]))
}
