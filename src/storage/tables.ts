/**
 * Table layout: how the client's data maps onto one ordered key space. Every key starts with a
 * one-byte table prefix; numbers inside keys are 8-byte big-endian so that byte order is numeric
 * order (iterating `headers` walks blocks by height). Values are opaque bytes here: the types
 * layer encodes them (RLP for headers, bodies, receipts).
 *
 * | table | key | value |
 * | --- | --- | --- |
 * | headers | `h` number(8) hash(32) | header RLP |
 * | bodies | `b` number(8) hash(32) | body RLP |
 * | receipts | `r` number(8) hash(32) | receipts RLP |
 * | canonical | `c` number(8) | hash of the canonical block at that height |
 * | blockNumbers | `n` hash(32) | number(8) |
 * | importOrder | `o` sequence(8) | number(8) hash(32): blocks in the order they were imported |
 * | accounts | `a` address(20) | account (flat state) |
 * | storage | `s` address(20) slot(32) | slot value (flat state) |
 * | code | `C` codeHash(32) | contract code |
 * | trieNodes | `t` nodeHash(32) | trie node RLP |
 * | changeSets | `d` number(8) hash(32) | the block's state changes, before and after (rewind, replay, history) |
 * | senders | `e` number(8) hash(32) | the block's transaction senders, 20 bytes each |
 * | txLookup | `x` txHash(32) | number(8) hash(32) index(4) of a canonical transaction |
 * | meta | `m` name (ASCII) | head, safe, finalized block hash; schema version; the sync target |
 * | syncHeaders | `k` number(8) | header RLP: headers downloaded back from the sync target, not yet imported |
 * | appearances | `A` address(20) number(8) hash(32) | the block's transactions that touched the address (src/appearances) |
 * | appearanceBlocks | `I` number(8) hash(32) | marker: the block is in the appearances index (1 traced, 0 top-level calls only) |
 * | devEdits | `E` number(8) hash(32) | dev mode: the edits a block applied before its transactions (src/blockchain/block-edits.ts) |
 */
import { concatBytes } from '../primitives/index.ts'
import { StorageError } from './errors.ts'

export interface Table {
  readonly name: string
  /** The key prefix of every entry of the table; iterate with `{ prefix }`. */
  readonly prefix: Uint8Array
}

const table = (name: string, letter: string): Table => ({ name, prefix: new Uint8Array([letter.charCodeAt(0)]) })

export const Tables = {
  headers: table('headers', 'h'),
  bodies: table('bodies', 'b'),
  receipts: table('receipts', 'r'),
  canonical: table('canonical', 'c'),
  blockNumbers: table('blockNumbers', 'n'),
  importOrder: table('importOrder', 'o'),
  accounts: table('accounts', 'a'),
  storage: table('storage', 's'),
  code: table('code', 'C'),
  trieNodes: table('trieNodes', 't'),
  changeSets: table('changeSets', 'd'),
  senders: table('senders', 'e'),
  txLookup: table('txLookup', 'x'),
  meta: table('meta', 'm'),
  syncHeaders: table('syncHeaders', 'k'),
  appearances: table('appearances', 'A'),
  appearanceBlocks: table('appearanceBlocks', 'I'),
  devEdits: table('devEdits', 'E'),
} as const satisfies Record<string, Table>

/** Version of this layout, stored under `MetaKeys.schemaVersion`; bump when a key format changes. */
export const SCHEMA_VERSION = 1

const MAX_U64 = (1n << 64n) - 1n

/** 8-byte big-endian encoding of a block number or sequence. */
export function encodeNumber(n: bigint | number): Uint8Array {
  const v = BigInt(n)
  if (v < 0n || v > MAX_U64) throw new StorageError('STORAGE_INVALID_KEY', 'number out of range', { details: `${v} is not a uint64` })
  const out = new Uint8Array(8)
  new DataView(out.buffer).setBigUint64(0, v)
  return out
}

/** Reads an 8-byte big-endian number at `offset`. */
export function decodeNumber(bytes: Uint8Array, offset = 0): bigint {
  if (bytes.length < offset + 8) throw new StorageError('STORAGE_INVALID_KEY', 'number too short', { details: `need 8 bytes at ${offset}, have ${bytes.length}` })
  return new DataView(bytes.buffer, bytes.byteOffset + offset, 8).getBigUint64(0)
}

function sized(what: string, b: Uint8Array, len: number): Uint8Array {
  if (b.length !== len) throw new StorageError('STORAGE_INVALID_KEY', `invalid ${what}`, { details: `expected ${len} bytes, got ${b.length}` })
  return b
}


const key = (t: Table, ...parts: Uint8Array[]): Uint8Array => concatBytes(t.prefix, ...parts)

const hash32 = (h: Uint8Array) => sized('hash', h, 32)

export const headerKey = (number: bigint | number, hash: Uint8Array) => key(Tables.headers, encodeNumber(number), hash32(hash))
export const bodyKey = (number: bigint | number, hash: Uint8Array) => key(Tables.bodies, encodeNumber(number), hash32(hash))
export const receiptsKey = (number: bigint | number, hash: Uint8Array) => key(Tables.receipts, encodeNumber(number), hash32(hash))
/** Prefix of every header (all forks) at one height. */
export const headersAtPrefix = (number: bigint | number) => key(Tables.headers, encodeNumber(number))
export const canonicalKey = (number: bigint | number) => key(Tables.canonical, encodeNumber(number))
export const blockNumberKey = (hash: Uint8Array) => key(Tables.blockNumbers, hash32(hash))
export const importOrderKey = (sequence: bigint | number) => key(Tables.importOrder, encodeNumber(sequence))
/** Value of an `importOrder` entry. */
export const encodeBlockRef = (number: bigint | number, hash: Uint8Array) => concatBytes(encodeNumber(number), hash32(hash))
export const decodeBlockRef = (value: Uint8Array) => ({ number: decodeNumber(value), hash: sized('block ref', value, 40).subarray(8) })
export const accountKey = (address: Uint8Array) => key(Tables.accounts, sized('address', address, 20))
export const storageKey = (address: Uint8Array, slot: Uint8Array) => key(Tables.storage, sized('address', address, 20), sized('slot', slot, 32))
/** Prefix of every storage slot of one account (to wipe or walk it). */
export const accountStoragePrefix = (address: Uint8Array) => key(Tables.storage, sized('address', address, 20))
export const codeKey = (codeHash: Uint8Array) => key(Tables.code, hash32(codeHash))
export const trieNodeKey = (nodeHash: Uint8Array) => key(Tables.trieNodes, hash32(nodeHash))
export const changeSetKey = (number: bigint | number, hash: Uint8Array) => key(Tables.changeSets, encodeNumber(number), hash32(hash))
export const sendersKey = (number: bigint | number, hash: Uint8Array) => key(Tables.senders, encodeNumber(number), hash32(hash))
export const txLookupKey = (txHash: Uint8Array) => key(Tables.txLookup, hash32(txHash))
export const syncHeaderKey = (number: bigint | number) => key(Tables.syncHeaders, encodeNumber(number))
export const appearanceKey = (address: Uint8Array, number: bigint | number, hash: Uint8Array) => key(Tables.appearances, sized('address', address, 20), encodeNumber(number), hash32(hash))
/** Prefix of every appearance of one address, oldest block first. */
export const addressAppearancesPrefix = (address: Uint8Array) => key(Tables.appearances, sized('address', address, 20))
export const appearanceBlockKey = (number: bigint | number, hash: Uint8Array) => key(Tables.appearanceBlocks, encodeNumber(number), hash32(hash))
export const blockEditsKey = (number: bigint | number, hash: Uint8Array) => key(Tables.devEdits, encodeNumber(number), hash32(hash))

/** Names of the metadata entries. */
export const MetaKeys = {
  /** Hash of the head block. */
  head: key(Tables.meta, new TextEncoder().encode('head')),
  /** Hash of the safe block. */
  safe: key(Tables.meta, new TextEncoder().encode('safe')),
  /** Hash of the finalized block. */
  finalized: key(Tables.meta, new TextEncoder().encode('finalized')),
  /** `encodeNumber(SCHEMA_VERSION)` of the layout the database was written with. */
  schemaVersion: key(Tables.meta, new TextEncoder().encode('schemaVersion')),
  /** Next `importOrder` sequence number. */
  importSequence: key(Tables.meta, new TextEncoder().encode('importSequence')),
  /** The sync target and how far back its headers are stored (src/sync/skeleton.ts). */
  syncTarget: key(Tables.meta, new TextEncoder().encode('syncTarget')),
  /** Dev mode: the edits not yet mined and the head they were made on (src/payload/dev-edits-store.ts). */
  devEdits: key(Tables.meta, new TextEncoder().encode('devEdits')),
  /** Dev mode: the chain id anvil_setChainId set (decimal ASCII), in force over the spec's. */
  chainId: key(Tables.meta, new TextEncoder().encode('chainId')),
} as const

/** The table a key belongs to, by its prefix (for `mosaic db inspect`). */
export function tableOf(k: Uint8Array): Table | undefined {
  for (const t of Object.values(Tables)) if (k[0] === t.prefix[0]) return t
  return undefined
}
