/**
 * eth/68 and eth/69 (EIP-7642) wire messages: plain-data shapes, `encodeEthMessage` and
 * `decodeEthMessage`. Transactions, headers, bodies and receipts travel as opaque RLP items
 * (`RlpItem`) until the types layer decodes them; hashes are 32-byte arrays.
 *
 * Callers: the eth protocol handler (peer manager, txpool, sync) on top of an RLPx `Session`.
 */
import {
  decodeRlp,
  encodeRlp,
  rlpBytes,
  rlpFixed,
  rlpList,
  rlpNumber,
  rlpUint,
  type RlpInput,
  type RlpItem,
} from '../../primitives/index.ts'
import { P2pError } from '../errors.ts'
import type { ForkId } from '../../chainspec/index.ts'
import { forkIdFromRlp, forkIdToRlp } from './forkid.ts'

export type EthVersion = 68 | 69

export const EthMessageId = {
  Status: 0x00,
  NewBlockHashes: 0x01,
  Transactions: 0x02,
  GetBlockHeaders: 0x03,
  BlockHeaders: 0x04,
  GetBlockBodies: 0x05,
  BlockBodies: 0x06,
  NewBlock: 0x07,
  NewPooledTransactionHashes: 0x08,
  GetPooledTransactions: 0x09,
  PooledTransactions: 0x0a,
  GetReceipts: 0x0f,
  Receipts: 0x10,
  /** eth/69 only. */
  BlockRangeUpdate: 0x11,
} as const

/** Capability descriptors for the RLPx session (message-id space per version). */
export const ETH68 = { name: 'eth', version: 68, length: 17 } as const
export const ETH69 = { name: 'eth', version: 69, length: 18 } as const

/** eth/68 Status (total difficulty and best hash). */
export interface Status68 {
  kind: 'Status'
  version: 68
  networkId: bigint
  td: bigint
  bestHash: Uint8Array
  genesisHash: Uint8Array
  forkId: ForkId
}

/** eth/69 Status (EIP-7642: no total difficulty, announces the served block range). */
export interface Status69 {
  kind: 'Status'
  version: 69
  networkId: bigint
  genesisHash: Uint8Array
  forkId: ForkId
  earliestBlock: bigint
  latestBlock: bigint
  latestBlockHash: Uint8Array
}

export type Status = Status68 | Status69

/** Origin of a header request: a block number or a 32-byte hash. */
export type HashOrNumber = bigint | Uint8Array

export type EthMessage =
  | Status
  | { kind: 'Transactions'; transactions: RlpItem[] }
  | { kind: 'NewPooledTransactionHashes'; types: Uint8Array; sizes: number[]; hashes: Uint8Array[] }
  | { kind: 'GetPooledTransactions'; requestId: bigint; hashes: Uint8Array[] }
  | { kind: 'PooledTransactions'; requestId: bigint; transactions: RlpItem[] }
  | { kind: 'GetBlockHeaders'; requestId: bigint; origin: HashOrNumber; limit: bigint; skip: bigint; reverse: boolean }
  | { kind: 'BlockHeaders'; requestId: bigint; headers: RlpItem[] }
  | { kind: 'GetBlockBodies'; requestId: bigint; hashes: Uint8Array[] }
  | { kind: 'BlockBodies'; requestId: bigint; bodies: RlpItem[] }
  | { kind: 'GetReceipts'; requestId: bigint; hashes: Uint8Array[] }
  /** Per block, its receipts: eth/68 consensus encodings, eth/69 `[type, status, gas, logs]` without bloom. */
  | { kind: 'Receipts'; requestId: bigint; receipts: RlpItem[][] }
  | { kind: 'BlockRangeUpdate'; earliestBlock: bigint; latestBlock: bigint; latestBlockHash: Uint8Array }

export type EthMessageKind = EthMessage['kind']

/** Encodes a message for `version`; returns its capability-relative code and RLP payload. */
export function encodeEthMessage(version: EthVersion, m: EthMessage): { code: number; payload: Uint8Array } {
  const enc = (code: number, item: RlpInput) => ({ code, payload: encodeRlp(item) })
  switch (m.kind) {
    case 'Status':
      if (m.version !== version) throw new P2pError('PROTOCOL', 'status version differs from the negotiated one')
      return m.version === 68
        ? enc(EthMessageId.Status, [68, m.networkId, m.td, m.bestHash, m.genesisHash, forkIdToRlp(m.forkId)])
        : enc(EthMessageId.Status, [69, m.networkId, m.genesisHash, forkIdToRlp(m.forkId), m.earliestBlock, m.latestBlock, m.latestBlockHash])
    case 'Transactions':
      return enc(EthMessageId.Transactions, m.transactions)
    case 'NewPooledTransactionHashes':
      if (m.types.length !== m.sizes.length || m.sizes.length !== m.hashes.length)
        throw new P2pError('MESSAGE_INVALID', 'announcement lists differ in length')
      return enc(EthMessageId.NewPooledTransactionHashes, [m.types, m.sizes, m.hashes])
    case 'GetPooledTransactions':
      return enc(EthMessageId.GetPooledTransactions, [m.requestId, m.hashes])
    case 'PooledTransactions':
      return enc(EthMessageId.PooledTransactions, [m.requestId, m.transactions])
    case 'GetBlockHeaders':
      return enc(EthMessageId.GetBlockHeaders, [m.requestId, [m.origin, m.limit, m.skip, m.reverse ? 1 : 0]])
    case 'BlockHeaders':
      return enc(EthMessageId.BlockHeaders, [m.requestId, m.headers])
    case 'GetBlockBodies':
      return enc(EthMessageId.GetBlockBodies, [m.requestId, m.hashes])
    case 'BlockBodies':
      return enc(EthMessageId.BlockBodies, [m.requestId, m.bodies])
    case 'GetReceipts':
      return enc(EthMessageId.GetReceipts, [m.requestId, m.hashes])
    case 'Receipts':
      return enc(EthMessageId.Receipts, [m.requestId, m.receipts])
    case 'BlockRangeUpdate':
      if (version < 69) throw new P2pError('PROTOCOL', 'BlockRangeUpdate needs eth/69')
      return enc(EthMessageId.BlockRangeUpdate, [m.earliestBlock, m.latestBlock, m.latestBlockHash])
  }
}

const hashes = (item: RlpItem | undefined, what: string) => rlpList(item, what).map((h) => rlpFixed(h, 'hash', 32))
const items = (item: RlpItem | undefined, what: string) => rlpList(item, what)

/**
 * Decodes a message of `version` from its capability-relative code and RLP payload. Throws
 * P2pError('MESSAGE_INVALID') on malformed input, P2pError('PROTOCOL') on an unknown code.
 */
export function decodeEthMessage(version: EthVersion, code: number, payload: Uint8Array): EthMessage {
  let root: RlpItem
  try {
    root = decodeRlp(payload, { maxDepth: 64 })
  } catch (cause) {
    throw new P2pError('MESSAGE_INVALID', 'bad eth message RLP', { cause })
  }
  try {
    return decodeItem(version, code, root)
  } catch (cause) {
    if (cause instanceof P2pError) throw cause
    throw new P2pError('MESSAGE_INVALID', 'bad eth message', { cause, details: `code ${code}` })
  }
}

function requestPair(root: RlpItem): [bigint, RlpItem | undefined] {
  const l = rlpList(root, 'message')
  return [rlpUint(l[0], 'request id', 8), l[1]]
}

function decodeItem(version: EthVersion, code: number, root: RlpItem): EthMessage {
  switch (code) {
    case EthMessageId.Status: {
      const l = rlpList(root, 'status')
      const v = rlpNumber(l[0], 'version')
      if (v !== version) throw new P2pError('MESSAGE_INVALID', 'status version differs from the negotiated one')
      if (version === 68)
        return {
          kind: 'Status',
          version,
          networkId: rlpUint(l[1], 'network id', 8),
          td: rlpUint(l[2], 'total difficulty'),
          bestHash: rlpFixed(l[3], 'best hash', 32),
          genesisHash: rlpFixed(l[4], 'genesis hash', 32),
          forkId: forkIdFromRlp(l[5]),
        }
      return {
        kind: 'Status',
        version,
        networkId: rlpUint(l[1], 'network id', 8),
        genesisHash: rlpFixed(l[2], 'genesis hash', 32),
        forkId: forkIdFromRlp(l[3]),
        earliestBlock: rlpUint(l[4], 'earliest block', 8),
        latestBlock: rlpUint(l[5], 'latest block', 8),
        latestBlockHash: rlpFixed(l[6], 'latest block hash', 32),
      }
    }
    case EthMessageId.Transactions:
      return { kind: 'Transactions', transactions: items(root, 'transactions') }
    case EthMessageId.NewPooledTransactionHashes: {
      const l = rlpList(root, 'announcement')
      const types = rlpBytes(l[0], 'types')
      const sizes = rlpList(l[1], 'sizes').map((s) => rlpNumber(s, 'size'))
      const hs = hashes(l[2], 'hashes')
      if (types.length !== sizes.length || sizes.length !== hs.length)
        throw new P2pError('MESSAGE_INVALID', 'announcement lists differ in length')
      return { kind: 'NewPooledTransactionHashes', types, sizes, hashes: hs }
    }
    case EthMessageId.GetPooledTransactions: {
      const [requestId, body] = requestPair(root)
      return { kind: 'GetPooledTransactions', requestId, hashes: hashes(body, 'hashes') }
    }
    case EthMessageId.PooledTransactions: {
      const [requestId, body] = requestPair(root)
      return { kind: 'PooledTransactions', requestId, transactions: items(body, 'transactions') }
    }
    case EthMessageId.GetBlockHeaders: {
      const [requestId, body] = requestPair(root)
      const q = rlpList(body, 'header query')
      const o = rlpBytes(q[0], 'origin')
      const origin = o.length === 32 ? o : rlpUint(q[0], 'origin number', 8)
      const reverse = rlpUint(q[3], 'reverse', 1)
      if (reverse > 1n) throw new P2pError('MESSAGE_INVALID', 'reverse must be 0 or 1')
      return { kind: 'GetBlockHeaders', requestId, origin, limit: rlpUint(q[1], 'limit', 8), skip: rlpUint(q[2], 'skip', 8), reverse: reverse === 1n }
    }
    case EthMessageId.BlockHeaders: {
      const [requestId, body] = requestPair(root)
      return { kind: 'BlockHeaders', requestId, headers: items(body, 'headers') }
    }
    case EthMessageId.GetBlockBodies: {
      const [requestId, body] = requestPair(root)
      return { kind: 'GetBlockBodies', requestId, hashes: hashes(body, 'hashes') }
    }
    case EthMessageId.BlockBodies: {
      const [requestId, body] = requestPair(root)
      return { kind: 'BlockBodies', requestId, bodies: items(body, 'bodies') }
    }
    case EthMessageId.GetReceipts: {
      const [requestId, body] = requestPair(root)
      return { kind: 'GetReceipts', requestId, hashes: hashes(body, 'hashes') }
    }
    case EthMessageId.Receipts: {
      const [requestId, body] = requestPair(root)
      const receipts = items(body, 'receipts').map((r) => rlpList(r, 'block receipts'))
      if (version === 69)
        for (const block of receipts)
          for (const r of block) if (rlpList(r, 'receipt').length !== 4) throw new P2pError('MESSAGE_INVALID', 'eth/69 receipt must have 4 fields')
      return { kind: 'Receipts', requestId, receipts }
    }
    case EthMessageId.BlockRangeUpdate: {
      if (version < 69) break
      const l = rlpList(root, 'block range')
      return {
        kind: 'BlockRangeUpdate',
        earliestBlock: rlpUint(l[0], 'earliest block', 8),
        latestBlock: rlpUint(l[1], 'latest block', 8),
        latestBlockHash: rlpFixed(l[2], 'latest block hash', 32),
      }
    }
  }
  throw new P2pError('PROTOCOL', 'unsupported eth message', { details: `eth/${version} code ${code}` })
}
