import { describe, expect, test } from 'bun:test'
import { bytesToHex, encodeRlp, hexToBytes } from '../../primitives/index.ts'
import { P2pError } from '../errors.ts'
import { checksumToBytes } from '../../chainspec/index.ts'
import { EthMessageId, decodeEthMessage, encodeEthMessage, type EthMessage, type EthVersion } from './messages.ts'

const H = (b: number) => new Uint8Array(32).fill(b)
const forkId = { hash: checksumToBytes(0xc376cf8b), next: 1764798551n }
const legacyTx = [hexToBytes('0x01'), hexToBytes('0x02'), new Uint8Array(0)]
const typedTx = hexToBytes('0x02c3010203')
const receipt69 = [hexToBytes('0x02'), hexToBytes('0x01'), hexToBytes('0x5208'), []]

const common: EthMessage[] = [
  { kind: 'Transactions', transactions: [legacyTx, typedTx] },
  { kind: 'NewPooledTransactionHashes', types: new Uint8Array([0, 2, 3]), sizes: [100, 200, 131072], hashes: [H(1), H(2), H(3)] },
  { kind: 'GetPooledTransactions', requestId: 7n, hashes: [H(1), H(2)] },
  { kind: 'PooledTransactions', requestId: 7n, transactions: [typedTx] },
  { kind: 'GetBlockHeaders', requestId: 1n, origin: 22000000n, limit: 192n, skip: 0n, reverse: false },
  { kind: 'GetBlockHeaders', requestId: 2n, origin: H(9), limit: 1n, skip: 3n, reverse: true },
  { kind: 'BlockHeaders', requestId: 1n, headers: [[H(1), H(2)], [H(3)]] },
  { kind: 'GetBlockBodies', requestId: 3n, hashes: [H(4)] },
  { kind: 'BlockBodies', requestId: 3n, bodies: [[[typedTx], [], []]] },
  { kind: 'GetReceipts', requestId: 4n, hashes: [H(5), H(6)] },
]

describe('eth messages', () => {
  for (const version of [68, 69] as EthVersion[]) {
    test(`eth/${version} round trips`, () => {
      const status: EthMessage =
        version === 68
          ? { kind: 'Status', version: 68, networkId: 1n, td: 12345678901234567890n, bestHash: H(7), genesisHash: H(8), forkId }
          : { kind: 'Status', version: 69, networkId: 1n, genesisHash: H(8), forkId, earliestBlock: 0n, latestBlock: 22000000n, latestBlockHash: H(7) }
      const msgs: EthMessage[] = [
        status,
        ...common,
        { kind: 'Receipts', requestId: 4n, receipts: version === 69 ? [[receipt69], []] : [[typedTx], []] },
      ]
      if (version === 69) msgs.push({ kind: 'BlockRangeUpdate', earliestBlock: 10n, latestBlock: 20n, latestBlockHash: H(3) })
      for (const m of msgs) {
        const { code, payload } = encodeEthMessage(version, m)
        expect(decodeEthMessage(version, code, payload)).toEqual(m)
      }
    })
  }

  test('wire layouts: Status eth/68 vs eth/69, NewPooledTransactionHashes', () => {
    const s68 = encodeEthMessage(68, { kind: 'Status', version: 68, networkId: 1n, td: 1n, bestHash: H(1), genesisHash: H(2), forkId })
    expect(s68.code).toBe(0)
    expect(bytesToHex(s68.payload)).toBe(bytesToHex(encodeRlp([68, 1, 1, H(1), H(2), [checksumToBytes(0xc376cf8b), 1764798551n]])))
    const s69 = encodeEthMessage(69, { kind: 'Status', version: 69, networkId: 1n, genesisHash: H(2), forkId, earliestBlock: 0n, latestBlock: 5n, latestBlockHash: H(1) })
    expect(bytesToHex(s69.payload)).toBe(bytesToHex(encodeRlp([69, 1, H(2), [checksumToBytes(0xc376cf8b), 1764798551n], 0, 5, H(1)])))
    const ann = encodeEthMessage(68, { kind: 'NewPooledTransactionHashes', types: new Uint8Array([2]), sizes: [300], hashes: [H(1)] })
    expect(ann.code).toBe(EthMessageId.NewPooledTransactionHashes)
    expect(bytesToHex(ann.payload)).toBe(bytesToHex(encodeRlp([new Uint8Array([2]), [300], [H(1)]])))
  })

  test('malformed messages are rejected with typed errors', () => {
    const err = (fn: () => unknown) => {
      try {
        fn()
      } catch (e) {
        return e instanceof P2pError ? e.code : 'other'
      }
      return 'none'
    }
    expect(err(() => decodeEthMessage(68, 0x02, new Uint8Array([0xc5, 0x01])))).toBe('MESSAGE_INVALID') // truncated
    expect(err(() => decodeEthMessage(68, 0x08, encodeRlp([new Uint8Array([2, 2]), [1], [H(1)]])))).toBe('MESSAGE_INVALID') // length mismatch
    expect(err(() => decodeEthMessage(68, 0x09, encodeRlp([1, [new Uint8Array(31)]])))).toBe('MESSAGE_INVALID') // short hash
    expect(err(() => decodeEthMessage(68, 0x11, encodeRlp([1, 2, H(1)])))).toBe('PROTOCOL') // BlockRangeUpdate on eth/68
    expect(err(() => decodeEthMessage(69, 0x00, encodeRlp([68, 1, 1, H(1), H(2), [new Uint8Array(4), 0]])))).toBe('MESSAGE_INVALID') // version mismatch
    expect(err(() => decodeEthMessage(69, 0x10, encodeRlp([1, [[[1, 2, 3]]]])))).toBe('MESSAGE_INVALID') // eth/69 receipt needs 4 fields
    expect(err(() => decodeEthMessage(68, 0x03, encodeRlp([1, [1, 1, 0, 2]])))).toBe('MESSAGE_INVALID') // reverse = 2
    expect(err(() => decodeEthMessage(68, 0x0d, encodeRlp([])))).toBe('PROTOCOL') // GetNodeData is gone
  })
})
