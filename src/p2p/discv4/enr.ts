/**
 * Ethereum Node Records (EIP-778) with the "v4" identity scheme: RLP
 * [signature, seq, k1, v1, k2, v2, ...] with sorted unique keys, at most 300 bytes; the
 * signature is secp256k1 r || s over keccak256(rlp([seq, k, v, ...])), the public key sits under
 * "secp256k1" (33-byte compressed) and the node id is keccak256 of the uncompressed key.
 *
 * Callers: discv4 (ENRResponse), the peer manager, CLI display ("enr:" text form).
 */
import { secp256k1 } from '@noble/curves/secp256k1.js'
import { keccak256, sign } from '../../crypto/index.ts'
import {
  bigintToWord,
  bytesToUtf8,
  concatBytes,
  decodeRlp,
  encodeRlp,
  rlpBytes,
  rlpList,
  rlpUint,
  utf8ToBytes,
  type RlpInput,
  type RlpItem,
} from '../../primitives/index.ts'
import { P2pError } from '../errors.ts'

export const MAX_ENR_SIZE = 300

export interface Enr {
  seq: bigint
  /** Key/value pairs (values as raw RLP items, usually byte strings). */
  pairs: Map<string, RlpItem>
  signature: Uint8Array
}

const bad = (details: string, cause?: unknown) => new P2pError('ENR_INVALID', 'invalid node record', { details, cause })

function content(seq: bigint, pairs: Map<string, RlpItem>): RlpInput[] {
  const keys = [...pairs.keys()].sort()
  const out: RlpInput[] = [seq]
  for (const k of keys) out.push(utf8ToBytes(k), pairs.get(k)!)
  return out
}

/** Builds and signs a record with the "v4" scheme (sets "id" and "secp256k1"). */
export function signEnr(seq: bigint, pairs: Record<string, RlpItem>, privateKey: Uint8Array): Enr {
  const m = new Map<string, RlpItem>(Object.entries(pairs))
  m.set('id', utf8ToBytes('v4'))
  m.set('secp256k1', secp256k1.getPublicKey(privateKey, true))
  const sig = sign(keccak256(encodeRlp(content(seq, m))), privateKey)
  const enr = { seq, pairs: m, signature: concatBytes(bigintToWord(sig.r), bigintToWord(sig.s)) }
  if (encodeEnr(enr).length > MAX_ENR_SIZE) throw bad('record exceeds 300 bytes')
  return enr
}

export function encodeEnr(enr: Enr): Uint8Array {
  return encodeRlp([enr.signature, ...content(enr.seq, enr.pairs)])
}

/** Decodes a record from its RLP (bytes or decoded item) and verifies its v4 signature. */
export function decodeEnr(input: Uint8Array | RlpItem[]): Enr {
  let l: RlpItem[]
  let size: number
  try {
    if (input instanceof Uint8Array) {
      size = input.length
      if (size > MAX_ENR_SIZE) throw bad('record exceeds 300 bytes')
      l = rlpList(decodeRlp(input, { maxDepth: 8 }), 'record')
    } else {
      l = input
      size = encodeRlp(l).length
      if (size > MAX_ENR_SIZE) throw bad('record exceeds 300 bytes')
    }
    if (l.length < 2 || l.length % 2 !== 0) throw bad('record must hold a signature, seq and key/value pairs')
    const signature = rlpBytes(l[0], 'signature')
    const seq = rlpUint(l[1], 'seq', 8)
    const pairs = new Map<string, RlpItem>()
    let prev = ''
    for (let i = 2; i < l.length; i += 2) {
      const k = bytesToUtf8(rlpBytes(l[i], 'key'))
      if (pairs.size > 0 && k <= prev) throw bad('keys must be sorted and unique')
      pairs.set(k, l[i + 1]!)
      prev = k
    }
    const enr = { seq, pairs, signature }
    verifyEnr(enr)
    return enr
  } catch (cause) {
    if (cause instanceof P2pError) throw cause
    throw bad('undecodable record', cause)
  }
}

/** Checks the "v4" signature; throws P2pError('ENR_INVALID'). */
export function verifyEnr(enr: Enr): void {
  const id = enr.pairs.get('id')
  if (!(id instanceof Uint8Array) || bytesToUtf8(id) !== 'v4') throw bad('unsupported identity scheme')
  const pub = enr.pairs.get('secp256k1')
  if (!(pub instanceof Uint8Array) || pub.length !== 33) throw bad('missing secp256k1 key')
  if (enr.signature.length !== 64) throw bad('signature must be 64 bytes')
  let ok = false
  try {
    ok = secp256k1.verify(enr.signature, keccak256(encodeRlp(content(enr.seq, enr.pairs))), pub, { prehash: false, lowS: false })
  } catch {
    ok = false
  }
  if (!ok) throw bad('bad signature')
}

/** 64-byte public key (x || y) of the record. */
export function enrPublicKey(enr: Enr): Uint8Array {
  const pub = enr.pairs.get('secp256k1') as Uint8Array
  return secp256k1.Point.fromBytes(pub).toBytes(false).subarray(1)
}

/** 32-byte node id: keccak256 of the uncompressed public key. */
export function enrNodeId(enr: Enr): Uint8Array {
  return keccak256(enrPublicKey(enr))
}

export function enrToText(enr: Enr): string {
  return `enr:${Buffer.from(encodeEnr(enr)).toString('base64url')}`
}

export function enrFromText(text: string): Enr {
  if (!text.startsWith('enr:')) throw bad('text form must start with "enr:"')
  return decodeEnr(new Uint8Array(Buffer.from(text.slice(4), 'base64url')))
}

/** A port as an ENR value: minimal big-endian bytes. */
export function enrPortBytes(p: number): Uint8Array {
  return p === 0 ? new Uint8Array(0) : p < 256 ? new Uint8Array([p]) : new Uint8Array([p >> 8, p & 0xff])
}

/** A port from an ENR value; 0 when absent, empty or longer than 2 bytes. */
export function enrPortValue(v: RlpItem | undefined): number {
  if (!(v instanceof Uint8Array) || v.length > 2) return 0
  return v.reduce((n, x) => (n << 8) | x, 0)
}
