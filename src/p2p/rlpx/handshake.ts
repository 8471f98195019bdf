/**
 * RLPx auth/ack handshake (devp2p rlpx.md "Initial Handshake", EIP-8) and the derivation of the
 * connection secrets. Sends EIP-8 messages; accepts EIP-8 and legacy (pre-EIP-8) ones.
 *
 * Initiator: `createAuth` → send `auth` → receive ack bytes → `readAck` → `deriveSecrets`.
 * Recipient: receive auth bytes → `readAuth` → `createAck` → send → `deriveSecrets`.
 */
import { randomBytes } from 'node:crypto'
import { keccak_256 } from '@noble/hashes/sha3.js'
import {
  bigintToWord,
  bytesToBigint,
  concatBytes,
  decodeRlpHeader,
  decodeRlp,
  encodeRlp,
  rlpBytes,
  rlpFixed,
  rlpList,
  type RlpItem,
} from '../../primitives/index.ts'
import { keccak256, recoverPublicKey, sign } from '../../crypto/index.ts'
import { P2pError } from '../errors.ts'
import { ECIES_OVERHEAD, ecdhX, eciesDecrypt, eciesEncrypt, publicKeyOf, randomPrivateKey } from './ecies.ts'

export type Keccak = ReturnType<typeof keccak_256.create>

/** Legacy (pre-EIP-8) encrypted sizes. */
export const LEGACY_AUTH_SIZE = 194 + ECIES_OVERHEAD
export const LEGACY_ACK_SIZE = 97 + ECIES_OVERHEAD
/** Upper bound on an EIP-8 handshake message we accept (2-byte size prefix allows 65535). */
export const MAX_HANDSHAKE_SIZE = 2 + 4096

export interface HandshakeSecrets {
  aesSecret: Uint8Array
  macSecret: Uint8Array
  egressMac: Keccak
  ingressMac: Keccak
}

export interface LocalHandshake {
  privateKey: Uint8Array
  /** Random when omitted (fixed only in test vectors). */
  ephemeralKey: Uint8Array
  nonce: Uint8Array
}

export function newLocalHandshake(privateKey: Uint8Array, ephemeralKey?: Uint8Array, nonce?: Uint8Array): LocalHandshake {
  return { privateKey, ephemeralKey: ephemeralKey ?? randomPrivateKey(), nonce: nonce ?? new Uint8Array(randomBytes(32)) }
}

export interface AuthInfo {
  remoteId: Uint8Array
  remoteNonce: Uint8Array
  remoteEphemeralId: Uint8Array
  version: number
  eip8: boolean
}

export interface AckInfo {
  remoteEphemeralId: Uint8Array
  remoteNonce: Uint8Array
  version: number
  eip8: boolean
}

function xor(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length)
  for (let i = 0; i < a.length; i++) out[i] = a[i]! ^ b[i]!
  return out
}

function padding(): Uint8Array {
  return new Uint8Array(randomBytes(100 + Math.floor(Math.random() * 151)))
}

function sealEip8(remoteId: Uint8Array, body: Uint8Array): Uint8Array {
  const plain = concatBytes(body, padding())
  const size = plain.length + ECIES_OVERHEAD
  const prefix = new Uint8Array([size >> 8, size & 0xff])
  return concatBytes(prefix, eciesEncrypt(remoteId, plain, prefix))
}

/** Decodes the first RLP list of `plain`, ignoring trailing padding (EIP-8). */
function firstList(plain: Uint8Array): RlpItem[] {
  try {
    const h = decodeRlpHeader(plain, 0, plain.length)
    return rlpList(decodeRlp(plain.subarray(0, h.start + h.length), { maxDepth: 8 }), 'handshake body')
  } catch (cause) {
    throw new P2pError('HANDSHAKE_INVALID', 'undecodable handshake body', { cause })
  }
}

function versionOf(item: RlpItem | undefined): number {
  const b = item instanceof Uint8Array ? item : new Uint8Array(0)
  return b.length === 0 ? 0 : b.length > 4 ? 0xffffffff : Number(bytesToBigint(b))
}

/** Builds the initiator's EIP-8 auth message (the bytes to send). */
export function createAuth(local: LocalHandshake, remoteId: Uint8Array): Uint8Array {
  const token = ecdhX(local.privateKey, remoteId)
  const sig = sign(xor(token, local.nonce), local.ephemeralKey)
  const sigBytes = concatBytes(bigintToWord(sig.r), bigintToWord(sig.s), new Uint8Array([sig.yParity]))
  const body = encodeRlp([sigBytes, publicKeyOf(local.privateKey), local.nonce, 4])
  return sealEip8(remoteId, body)
}

/**
 * Builds a legacy (pre-EIP-8) auth: sig || keccak256(ephemeral id) || id || nonce || 0x00, ECIES
 * without shared MAC data. Mosaic never sends it on its own; it exists for tests and old peers.
 */
export function createLegacyAuth(local: LocalHandshake, remoteId: Uint8Array): Uint8Array {
  const token = ecdhX(local.privateKey, remoteId)
  const sig = sign(xor(token, local.nonce), local.ephemeralKey)
  const plain = concatBytes(
    bigintToWord(sig.r),
    bigintToWord(sig.s),
    new Uint8Array([sig.yParity]),
    keccak256(publicKeyOf(local.ephemeralKey)),
    publicKeyOf(local.privateKey),
    local.nonce,
    new Uint8Array([0]),
  )
  return eciesEncrypt(remoteId, plain)
}

function openHandshake(privateKey: Uint8Array, msg: Uint8Array): { plain: Uint8Array; eip8: boolean } {
  if (msg[0] === 0x04) return { plain: eciesDecrypt(privateKey, msg), eip8: false }
  if (msg.length < 2 + ECIES_OVERHEAD) throw new P2pError('ECIES_INVALID', 'handshake message too short')
  const size = (msg[0]! << 8) | msg[1]!
  if (size + 2 !== msg.length) throw new P2pError('HANDSHAKE_INVALID', 'EIP-8 size prefix does not match')
  return { plain: eciesDecrypt(privateKey, msg.subarray(2), msg.subarray(0, 2)), eip8: true }
}

/** Recipient side: decrypts and checks an auth message (EIP-8 or legacy). */
export function readAuth(privateKey: Uint8Array, msg: Uint8Array): AuthInfo {
  const { plain, eip8 } = openHandshake(privateKey, msg)
  let sig: Uint8Array, remoteId: Uint8Array, remoteNonce: Uint8Array, version: number
  let ephHash: Uint8Array | undefined
  if (!eip8) {
    if (plain.length !== 194) throw new P2pError('HANDSHAKE_INVALID', 'legacy auth must be 194 bytes')
    sig = plain.subarray(0, 65)
    ephHash = plain.subarray(65, 97)
    remoteId = plain.subarray(97, 161)
    remoteNonce = plain.subarray(161, 193)
    version = plain[193]!
  } else {
    const l = firstList(plain)
    try {
      sig = rlpFixed(l[0], 'auth signature', 65)
      remoteId = rlpFixed(l[1], 'auth public key', 64)
      remoteNonce = rlpFixed(l[2], 'auth nonce', 32)
    } catch (cause) {
      throw new P2pError('HANDSHAKE_INVALID', 'bad auth body', { cause })
    }
    version = versionOf(l[3])
  }
  const token = ecdhX(privateKey, remoteId)
  const v = sig[64]!
  const remoteEphemeralId =
    v <= 1
      ? recoverPublicKey(xor(token, remoteNonce), {
          r: bytesToBigint(sig.subarray(0, 32)),
          s: bytesToBigint(sig.subarray(32, 64)),
          yParity: v,
        })
      : null
  if (!remoteEphemeralId) throw new P2pError('HANDSHAKE_INVALID', 'bad auth signature')
  if (ephHash && !equal(keccak256(remoteEphemeralId), ephHash))
    throw new P2pError('HANDSHAKE_INVALID', 'ephemeral key hash mismatch')
  return { remoteId: remoteId.slice(), remoteNonce: remoteNonce.slice(), remoteEphemeralId, version, eip8 }
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

/** Recipient side: builds the ack (EIP-8 when the auth was EIP-8, legacy otherwise). */
export function createAck(local: LocalHandshake, auth: AuthInfo): Uint8Array {
  const ephId = publicKeyOf(local.ephemeralKey)
  if (!auth.eip8) return eciesEncrypt(auth.remoteId, concatBytes(ephId, local.nonce, new Uint8Array([0])))
  return sealEip8(auth.remoteId, encodeRlp([ephId, local.nonce, 4]))
}

/** Initiator side: decrypts an ack message (EIP-8 or legacy). */
export function readAck(privateKey: Uint8Array, msg: Uint8Array): AckInfo {
  const { plain, eip8 } = openHandshake(privateKey, msg)
  if (!eip8) {
    if (plain.length !== 97) throw new P2pError('HANDSHAKE_INVALID', 'legacy ack must be 97 bytes')
    return { remoteEphemeralId: plain.slice(0, 64), remoteNonce: plain.slice(64, 96), version: plain[96]!, eip8 }
  }
  const l = firstList(plain)
  try {
    return {
      remoteEphemeralId: rlpFixed(l[0], 'ack ephemeral key', 64).slice(),
      remoteNonce: rlpFixed(l[1], 'ack nonce', 32).slice(),
      version: versionOf(l[2]),
      eip8,
    }
  } catch (cause) {
    throw new P2pError('HANDSHAKE_INVALID', 'bad ack body', { cause })
  }
}

/**
 * Connection secrets (rlpx.md "Secrets"). `auth` and `ack` are the full wire messages,
 * including the EIP-8 size prefix.
 */
export function deriveSecrets(p: {
  initiator: boolean
  ephemeralKey: Uint8Array
  remoteEphemeralId: Uint8Array
  initiatorNonce: Uint8Array
  recipientNonce: Uint8Array
  auth: Uint8Array
  ack: Uint8Array
}): HandshakeSecrets {
  const ephemeralShared = ecdhX(p.ephemeralKey, p.remoteEphemeralId)
  const sharedSecret = keccak256(concatBytes(ephemeralShared, keccak256(concatBytes(p.recipientNonce, p.initiatorNonce))))
  const aesSecret = keccak256(concatBytes(ephemeralShared, sharedSecret))
  const macSecret = keccak256(concatBytes(ephemeralShared, aesSecret))
  // egress of the initiator: (mac-secret ^ recipient-nonce) || auth; ingress: (mac-secret ^ initiator-nonce) || ack
  const initEgress = keccak_256.create().update(xor(macSecret, p.recipientNonce)).update(p.auth)
  const initIngress = keccak_256.create().update(xor(macSecret, p.initiatorNonce)).update(p.ack)
  return p.initiator
    ? { aesSecret, macSecret, egressMac: initEgress, ingressMac: initIngress }
    : { aesSecret, macSecret, egressMac: initIngress, ingressMac: initEgress }
}
