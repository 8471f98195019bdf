import { describe, expect, test } from 'bun:test'
import { bytesToHex, hexToBytes } from '../../primitives/index.ts'
import { P2pError } from '../errors.ts'
import { eciesDecrypt, eciesEncrypt, publicKeyOf, randomPrivateKey } from './ecies.ts'
import { createAck, createAuth, deriveSecrets, newLocalHandshake, readAck, readAuth } from './handshake.ts'
import { encodeFrame, newFrameCodec, readBody, readHeader, bodyLength } from './frame.ts'
import * as v from './eip8-vectors.ts'

const b = (h: string) => hexToBytes(`0x${h}`)
const hex = (u: Uint8Array) => bytesToHex(u).slice(2)

function p2pCode(fn: () => unknown): string | undefined {
  try {
    fn()
  } catch (e) {
    return e instanceof P2pError ? e.code : `other: ${String(e)}`
  }
  return undefined
}

describe('ECIES', () => {
  test('round trip with shared mac data', () => {
    const k = randomPrivateKey()
    const msg = new TextEncoder().encode('the quick brown fox')
    const ct = eciesEncrypt(publicKeyOf(k), msg, new Uint8Array([1, 2]))
    expect(ct.length).toBe(msg.length + 113)
    expect(eciesDecrypt(k, ct, new Uint8Array([1, 2]))).toEqual(msg)
    // wrong shared mac data, wrong key, flipped bit: all rejected
    expect(p2pCode(() => eciesDecrypt(k, ct, new Uint8Array([1, 3])))).toBe('ECIES_INVALID')
    expect(p2pCode(() => eciesDecrypt(randomPrivateKey(), ct, new Uint8Array([1, 2])))).toBe('ECIES_INVALID')
    const bad = ct.slice()
    bad[80] = bad[80]! ^ 1
    expect(p2pCode(() => eciesDecrypt(k, bad, new Uint8Array([1, 2])))).toBe('ECIES_INVALID')
    expect(p2pCode(() => eciesDecrypt(k, ct.subarray(0, 50)))).toBe('ECIES_INVALID')
    const badKey = ct.slice()
    badKey[10] = badKey[10]! ^ 0xff // not on the curve (almost surely)
    expect(p2pCode(() => eciesDecrypt(k, badKey, new Uint8Array([1, 2])))).toBe('ECIES_INVALID')
  })
})

describe('EIP-8 handshake vectors', () => {
  const idA = publicKeyOf(b(v.keyA))
  const ephIdA = publicKeyOf(b(v.ephA))
  const ephIdB = publicKeyOf(b(v.ephB))

  for (const [name, auth, eip8, version] of [
    ['auth1 (legacy)', v.auth1, false, 0],
    ['auth2 (EIP-8 v4)', v.auth2, true, 4],
    ['auth3 (EIP-8 v56, extra fields)', v.auth3, true, 56],
  ] as const) {
    test(`B reads ${name}`, () => {
      const info = readAuth(b(v.keyB), b(auth))
      expect(info.eip8).toBe(eip8)
      expect(info.version).toBe(version)
      expect(info.remoteId).toEqual(idA)
      expect(hex(info.remoteNonce)).toBe(v.nonceA)
      expect(info.remoteEphemeralId).toEqual(ephIdA)
    })
  }

  for (const [name, ack, eip8, version] of [
    ['ack1 (legacy)', v.ack1, false, 0],
    ['ack2 (EIP-8 v4)', v.ack2, true, 4],
    ['ack3 (EIP-8 v57, extra fields)', v.ack3, true, 57],
  ] as const) {
    test(`A reads ${name}`, () => {
      const info = readAck(b(v.keyA), b(ack))
      expect(info.eip8).toBe(eip8)
      expect(info.version).toBe(version)
      expect(hex(info.remoteNonce)).toBe(v.nonceB)
      expect(info.remoteEphemeralId).toEqual(ephIdB)
    })
  }

  test('B derives the secrets of (auth2, ack2)', () => {
    const auth = readAuth(b(v.keyB), b(v.auth2))
    const s = deriveSecrets({
      initiator: false,
      ephemeralKey: b(v.ephB),
      remoteEphemeralId: auth.remoteEphemeralId,
      initiatorNonce: auth.remoteNonce,
      recipientNonce: b(v.nonceB),
      auth: b(v.auth2),
      ack: b(v.ack2),
    })
    expect(hex(s.aesSecret)).toBe(v.aesSecret)
    expect(hex(s.macSecret)).toBe(v.macSecret)
    expect(hex(s.ingressMac.clone().update(new TextEncoder().encode('foo')).digest())).toBe(v.ingressMacFoo)
  })

  test('A derives the same secrets from its side', () => {
    const ack = readAck(b(v.keyA), b(v.ack2))
    const s = deriveSecrets({
      initiator: true,
      ephemeralKey: b(v.ephA),
      remoteEphemeralId: ack.remoteEphemeralId,
      initiatorNonce: b(v.nonceA),
      recipientNonce: ack.remoteNonce,
      auth: b(v.auth2),
      ack: b(v.ack2),
    })
    expect(hex(s.aesSecret)).toBe(v.aesSecret)
    expect(hex(s.macSecret)).toBe(v.macSecret)
    // A's egress MAC is B's ingress MAC
    expect(hex(s.egressMac.clone().update(new TextEncoder().encode('foo')).digest())).toBe(v.ingressMacFoo)
  })
})

function pairOfCodecs(maxFrameSize?: number) {
  const kA = randomPrivateKey()
  const kB = randomPrivateKey()
  const a = newLocalHandshake(kA)
  const bb = newLocalHandshake(kB)
  const auth = createAuth(a, publicKeyOf(kB))
  const authInfo = readAuth(kB, auth)
  expect(authInfo.remoteId).toEqual(publicKeyOf(kA))
  const ack = createAck(bb, authInfo)
  const ackInfo = readAck(kA, ack)
  const sA = deriveSecrets({
    initiator: true,
    ephemeralKey: a.ephemeralKey,
    remoteEphemeralId: ackInfo.remoteEphemeralId,
    initiatorNonce: a.nonce,
    recipientNonce: ackInfo.remoteNonce,
    auth,
    ack,
  })
  const sB = deriveSecrets({
    initiator: false,
    ephemeralKey: bb.ephemeralKey,
    remoteEphemeralId: authInfo.remoteEphemeralId,
    initiatorNonce: authInfo.remoteNonce,
    recipientNonce: bb.nonce,
    auth,
    ack,
  })
  return { A: newFrameCodec(sA, maxFrameSize), B: newFrameCodec(sB, maxFrameSize) }
}

function decodeOne(codec: ReturnType<typeof newFrameCodec>, wire: Uint8Array): Uint8Array {
  const size = readHeader(codec, wire.subarray(0, 32))
  expect(wire.length).toBe(32 + bodyLength(size))
  return readBody(codec, wire.subarray(32), size)
}

describe('frames', () => {
  test('round trip both ways, several frames in sequence', () => {
    const { A, B } = pairOfCodecs()
    for (const len of [1, 15, 16, 17, 1000, 70000]) {
      const data = new Uint8Array(len).map((_, i) => (i * 7 + len) & 0xff)
      expect(decodeOne(B, encodeFrame(A, data))).toEqual(data)
      expect(decodeOne(A, encodeFrame(B, data))).toEqual(data)
    }
  })

  test('bad header MAC and bad frame MAC are rejected', () => {
    const { A, B } = pairOfCodecs()
    const w = encodeFrame(A, new Uint8Array([1, 2, 3]))
    const badHeader = w.slice()
    badHeader[20] = badHeader[20]! ^ 1
    expect(p2pCode(() => readHeader(B, badHeader.subarray(0, 32)))).toBe('FRAME_MAC')

    const { A: A2, B: B2 } = pairOfCodecs()
    const w2 = encodeFrame(A2, new Uint8Array([1, 2, 3]))
    const badBody = w2.slice()
    badBody[33] = badBody[33]! ^ 1
    const size = readHeader(B2, badBody.subarray(0, 32))
    expect(size).toBe(3)
    expect(p2pCode(() => readBody(B2, badBody.subarray(32), size))).toBe('FRAME_MAC')
  })

  test('oversize frame is rejected on both sides', () => {
    const { A, B } = pairOfCodecs(1024)
    expect(p2pCode(() => encodeFrame(A, new Uint8Array(1025)))).toBe('FRAME_TOO_LARGE')
    const { A: big } = pairOfCodecs()
    // a peer with a larger limit sends; our header check refuses before reading the body
    const { A: A3, B: B3 } = pairOfCodecs()
    B3.maxFrameSize = 1024
    const w = encodeFrame(A3, new Uint8Array(2048))
    expect(p2pCode(() => readHeader(B3, w.subarray(0, 32)))).toBe('FRAME_TOO_LARGE')
    expect(big.maxFrameSize).toBe(0xffffff)
    expect(B.maxFrameSize).toBe(1024)
  })
})
