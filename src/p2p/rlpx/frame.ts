/**
 * RLPx framing (devp2p rlpx.md "Framing"): AES-256-CTR over header and body, header MAC and
 * frame MAC from the running keccak states, seeded through AES-256-ECB under the mac-secret.
 *
 * A `FrameCodec` holds one direction pair of a session; `encodeFrame` and the two-step
 * `readHeader`/`readBody` are called by the session in wire order.
 */
import { createCipheriv, createDecipheriv, timingSafeEqual, type Cipheriv, type Decipheriv } from 'node:crypto'
import { concatBytes } from '../../primitives/index.ts'
import { P2pError } from '../errors.ts'
import type { HandshakeSecrets, Keccak } from './handshake.ts'

/** Largest frame the 24-bit size field can express. */
export const MAX_FRAME_SIZE = 0xffffff
/** Header: 16 bytes ciphertext + 16 bytes MAC. */
export const FRAME_HEADER_SIZE = 32

// frame-size (3) || rlp([0, 0]) (header-data, capability-id and context-id, unused) || zero padding
const HEADER_DATA = new Uint8Array([0xc2, 0x80, 0x80])

export interface FrameCodec {
  egressAes: Cipheriv
  ingressAes: Decipheriv
  macCipher: Cipheriv
  egressMac: Keccak
  ingressMac: Keccak
  maxFrameSize: number
}

export function newFrameCodec(s: HandshakeSecrets, maxFrameSize = MAX_FRAME_SIZE): FrameCodec {
  const iv = new Uint8Array(16)
  const macCipher = createCipheriv('aes-256-ecb', s.macSecret, null)
  macCipher.setAutoPadding(false)
  return {
    egressAes: createCipheriv('aes-256-ctr', s.aesSecret, iv),
    ingressAes: createDecipheriv('aes-256-ctr', s.aesSecret, iv),
    macCipher,
    egressMac: s.egressMac.clone(),
    ingressMac: s.ingressMac.clone(),
    maxFrameSize,
  }
}

function aes(c: Cipheriv | Decipheriv, data: Uint8Array): Uint8Array {
  return new Uint8Array(c.update(data))
}

function digest16(mac: Keccak): Uint8Array {
  return mac.clone().digest().subarray(0, 16)
}

function xor16(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(16)
  for (let i = 0; i < 16; i++) out[i] = a[i]! ^ b[i]!
  return out
}

function headerMac(codec: FrameCodec, mac: Keccak, headerCiphertext: Uint8Array): Uint8Array {
  const seed = xor16(aes(codec.macCipher, digest16(mac)), headerCiphertext)
  mac.update(seed)
  return digest16(mac)
}

function frameMac(codec: FrameCodec, mac: Keccak, frameCiphertext: Uint8Array): Uint8Array {
  mac.update(frameCiphertext)
  const d = digest16(mac)
  mac.update(xor16(aes(codec.macCipher, d), d))
  return digest16(mac)
}

/** Encrypts one frame carrying `data` (message-id || payload). */
export function encodeFrame(codec: FrameCodec, data: Uint8Array): Uint8Array {
  if (data.length > codec.maxFrameSize)
    throw new P2pError('FRAME_TOO_LARGE', 'frame too large', { details: `${data.length} > ${codec.maxFrameSize}` })
  const header = new Uint8Array(16)
  header[0] = data.length >>> 16
  header[1] = (data.length >>> 8) & 0xff
  header[2] = data.length & 0xff
  header.set(HEADER_DATA, 3)
  const headerCt = aes(codec.egressAes, header)
  const hMac = headerMac(codec, codec.egressMac, headerCt)
  const padded = new Uint8Array(Math.ceil(data.length / 16) * 16)
  padded.set(data)
  const bodyCt = aes(codec.egressAes, padded)
  const fMac = frameMac(codec, codec.egressMac, bodyCt)
  return concatBytes(headerCt, hMac, bodyCt, fMac)
}

/**
 * Checks and decrypts the 32-byte frame header; returns the frame size. Throws
 * P2pError('FRAME_MAC') on a bad MAC, P2pError('FRAME_TOO_LARGE') above the limit.
 */
export function readHeader(codec: FrameCodec, header: Uint8Array): number {
  const ct = header.subarray(0, 16)
  const expected = headerMac(codec, codec.ingressMac, ct)
  if (!timingSafeEqual(expected, header.subarray(16, 32))) throw new P2pError('FRAME_MAC', 'bad header MAC')
  const plain = aes(codec.ingressAes, ct)
  const size = (plain[0]! << 16) | (plain[1]! << 8) | plain[2]!
  if (size > codec.maxFrameSize)
    throw new P2pError('FRAME_TOO_LARGE', 'frame too large', { details: `${size} > ${codec.maxFrameSize}` })
  return size
}

/** Bytes that follow the header for a frame of `size`: padded body + 16-byte MAC. */
export function bodyLength(size: number): number {
  return Math.ceil(size / 16) * 16 + 16
}

/** Checks and decrypts a frame body (`bodyLength(size)` bytes); returns the `size` data bytes. */
export function readBody(codec: FrameCodec, body: Uint8Array, size: number): Uint8Array {
  const ct = body.subarray(0, body.length - 16)
  const expected = frameMac(codec, codec.ingressMac, ct)
  if (!timingSafeEqual(expected, body.subarray(body.length - 16))) throw new P2pError('FRAME_MAC', 'bad frame MAC')
  return aes(codec.ingressAes, ct).subarray(0, size)
}
