/**
 * Block headers through Prague. Fields added by later forks are optional and, when present,
 * encoded in order after the fifteen original ones:
 *
 * | count | fork     | added                                                  |
 * | ----- | -------- | ------------------------------------------------------ |
 * | 15    | Frontier | parentHash … nonce                                     |
 * | 16    | London   | baseFeePerGas (EIP-1559)                               |
 * | 17    | Shanghai | withdrawalsRoot (EIP-4895)                             |
 * | 20    | Cancun   | blobGasUsed, excessBlobGas (EIP-4844), parentBeaconBlockRoot (EIP-4788) |
 * | 21    | Prague   | requestsHash (EIP-7685)                                |
 *
 * Decoding checks shape and sizes (RlpError otherwise); consensus rules are the executor's.
 * The hash is cached per object, from the decoded bytes when there are some.
 */
import { keccak256 } from '../crypto/index.ts'
import {
  decodeRlp,
  hexToBytes,
  encodeRlp,
  MosaicError,
  RlpError,
  rlpBytes,
  rlpFixed,
  rlpList,
  rlpUint,
  type Address,
  type Hash,
  type RlpInput,
  type RlpItem,
} from '../primitives/index.ts'

export interface Header {
  parentHash: Hash
  ommersHash: Hash
  coinbase: Address
  stateRoot: Hash
  transactionsRoot: Hash
  receiptsRoot: Hash
  logsBloom: Uint8Array
  difficulty: bigint
  number: bigint
  gasLimit: bigint
  gasUsed: bigint
  timestamp: bigint
  extraData: Uint8Array
  /** The PoW mix hash; after the merge, `prevRandao` (EIP-4399). */
  mixHash: Hash
  /** 8 bytes; zero after the merge. */
  nonce: Uint8Array
  baseFeePerGas?: bigint
  withdrawalsRoot?: Hash
  blobGasUsed?: bigint
  excessBlobGas?: bigint
  parentBeaconBlockRoot?: Hash
  requestsHash?: Hash
}

/** keccak256(rlp([])): the ommers hash of every block since the merge (EIP-3675). */
export const EMPTY_OMMERS_HASH: Hash = hexToBytes('0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347')

const OPTIONAL = ['baseFeePerGas', 'withdrawalsRoot', 'blobGasUsed', 'excessBlobGas', 'parentBeaconBlockRoot', 'requestsHash'] as const
/** Field counts a header may have: each fork adds its fields together. */
const VALID_COUNTS = new Set([15, 16, 17, 20, 21])

const encodings = new WeakMap<Header, Uint8Array>()
const hashes = new WeakMap<Header, Hash>()

/** Decodes a header from its RLP list items; `raw` (its encoding) is kept for the hash. */
export function headerFromRlp(item: RlpItem, raw?: Uint8Array): Header {
  const f = rlpList(item, 'header')
  if (!VALID_COUNTS.has(f.length)) throw new RlpError('wrong-shape', `header has ${f.length} fields, expected 15, 16, 17, 20 or 21`)
  const h: Header = {
    parentHash: rlpFixed(f[0], 'parentHash', 32),
    ommersHash: rlpFixed(f[1], 'ommersHash', 32),
    coinbase: rlpFixed(f[2], 'coinbase', 20),
    stateRoot: rlpFixed(f[3], 'stateRoot', 32),
    transactionsRoot: rlpFixed(f[4], 'transactionsRoot', 32),
    receiptsRoot: rlpFixed(f[5], 'receiptsRoot', 32),
    logsBloom: rlpFixed(f[6], 'logsBloom', 256),
    difficulty: rlpUint(f[7], 'difficulty', 32),
    number: rlpUint(f[8], 'number', 8),
    gasLimit: rlpUint(f[9], 'gasLimit', 8),
    gasUsed: rlpUint(f[10], 'gasUsed', 8),
    timestamp: rlpUint(f[11], 'timestamp', 8),
    extraData: rlpBytes(f[12], 'extraData'),
    mixHash: rlpFixed(f[13], 'mixHash', 32),
    nonce: rlpFixed(f[14], 'nonce', 8),
  }
  if (f.length > 15) h.baseFeePerGas = rlpUint(f[15], 'baseFeePerGas', 32)
  if (f.length > 16) h.withdrawalsRoot = rlpFixed(f[16], 'withdrawalsRoot', 32)
  if (f.length > 17) {
    h.blobGasUsed = rlpUint(f[17], 'blobGasUsed', 8)
    h.excessBlobGas = rlpUint(f[18], 'excessBlobGas', 8)
    h.parentBeaconBlockRoot = rlpFixed(f[19], 'parentBeaconBlockRoot', 32)
  }
  if (f.length > 20) h.requestsHash = rlpFixed(f[20], 'requestsHash', 32)
  if (raw) encodings.set(h, raw)
  return h
}

/** Decodes an RLP-encoded header. Throws `RlpError`. Byte fields are views into `bytes`. */
export function decodeHeader(bytes: Uint8Array): Header {
  return headerFromRlp(decodeRlp(bytes), bytes)
}

/** The header's fields in wire order; throws when an optional field is set without the ones before it. */
export function headerToRlp(h: Header): RlpInput[] {
  const out: RlpInput[] = [
    h.parentHash, h.ommersHash, h.coinbase, h.stateRoot, h.transactionsRoot, h.receiptsRoot, h.logsBloom,
    h.difficulty, h.number, h.gasLimit, h.gasUsed, h.timestamp, h.extraData, h.mixHash, h.nonce,
  ]
  let last = -1
  OPTIONAL.forEach((k, i) => {
    if (h[k] !== undefined) last = i
  })
  for (let i = 0; i <= last; i++) {
    const v = h[OPTIONAL[i]!]
    if (v === undefined) throw new MosaicError('INVALID_HEADER', 'invalid header', { details: `${OPTIONAL[last]} is set but ${OPTIONAL[i]} is not` })
    out.push(v)
  }
  if (!VALID_COUNTS.has(out.length))
    throw new MosaicError('INVALID_HEADER', 'invalid header', { details: `the ${OPTIONAL[2]}…${OPTIONAL[4]} fields come together` })
  return out
}

export function encodeHeader(h: Header): Uint8Array {
  const cached = encodings.get(h)
  if (cached) return cached
  const out = encodeRlp(headerToRlp(h))
  encodings.set(h, out)
  return out
}

/** keccak256 of the encoded header (cached per object). */
export function headerHash(h: Header): Hash {
  let hash = hashes.get(h)
  if (!hash) {
    hash = keccak256(encodeHeader(h))
    hashes.set(h, hash)
  }
  return hash
}
