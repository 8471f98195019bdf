/**
 * The decoders of what peers and other processes send: eth/68 and eth/69 messages (the first
 * input byte is the message code), discv4 packets, ENRs, the RLPx hello and disconnect, trie
 * nodes (a peer's proof, a store's node), and the state-diff wire formats (binary and JSON
 * lines, as a NATS or file consumer reads them). Seeds come from the encoders; a run returns
 * null (these decoders are not all canonical: hello and discv4 allow extra fields for forward
 * compatibility, as their specs say).
 */
import { hexToBytes, encodeRlp, utf8ToBytes, bytesToUtf8 } from '../../src/primitives/index.ts'
import { decodeEthMessage, encodeEthMessage, type EthMessage, type EthVersion } from '../../src/p2p/eth/messages.ts'
import { decodePacket, encodePacket } from '../../src/p2p/discv4/packet.ts'
import { decodeEnr, encodeEnr, signEnr } from '../../src/p2p/discv4/enr.ts'
import { decodeDisconnect, decodeHello, encodeDisconnect, encodeHello } from '../../src/p2p/rlpx/hello.ts'
import { branch, decodeNode, encodeNode, ext, leaf } from '../../src/trie/node.ts'
import { decodeNotificationJson, decodeNotificationRlp, encodeNotificationJson, encodeNotificationRlp, type Notification } from '../../src/statediff/index.ts'
import { encodeBlockBody, encodeHeader, encodeTransaction } from '../../src/types/index.ts'
import { SAMPLE_KEY, sampleBlock, sampleHeaders, sampleTransactions } from '../../src/types/testing/samples.ts'
import type { Target } from './decoder-targets.ts'

const hash = (b: number) => new Uint8Array(32).fill(b)
const block = sampleBlock()
const forkId = { hash: hexToBytes('0xfc64ec04'), next: 1150000n }

function ethSeeds(version: EthVersion): Uint8Array[] {
  const messages: EthMessage[] = [
    version === 68
      ? { kind: 'Status', version, networkId: 1n, td: 17n, bestHash: hash(1), genesisHash: hash(2), forkId }
      : { kind: 'Status', version, networkId: 1n, genesisHash: hash(2), forkId, earliestBlock: 0n, latestBlock: 9n, latestBlockHash: hash(3) },
    { kind: 'Transactions', transactions: sampleTransactions().map((t) => encodeTransaction(t)) },
    { kind: 'NewPooledTransactionHashes', types: new Uint8Array([2, 3]), sizes: [120, 131_200], hashes: [hash(4), hash(5)] },
    { kind: 'GetPooledTransactions', requestId: 7n, hashes: [hash(4)] },
    { kind: 'GetBlockHeaders', requestId: 8n, origin: 100n, limit: 192n, skip: 0n, reverse: false },
    { kind: 'GetBlockHeaders', requestId: 9n, origin: hash(6), limit: 1n, skip: 3n, reverse: true },
    { kind: 'BlockHeaders', requestId: 8n, headers: sampleHeaders().map(encodeHeader) },
    { kind: 'GetBlockBodies', requestId: 10n, hashes: [hash(7), hash(8)] },
    { kind: 'GetReceipts', requestId: 11n, hashes: [hash(9)] },
  ] as EthMessage[]
  const out = messages.map((m) => {
    const { code, payload } = encodeEthMessage(version, m)
    return new Uint8Array([code, ...payload])
  })
  // a BlockBodies answer, built as RLP (the encoder takes the bodies' items)
  out.push(new Uint8Array([0x06, ...encodeRlp([10n, [encodeBlockBody(block)]])]))
  return out
}

const endpoint = { ip: new Uint8Array([127, 0, 0, 1]), udpPort: 30303, tcpPort: 30303 }
const enr = signEnr(3n, { id: utf8ToBytes('v4'), ip: new Uint8Array([127, 0, 0, 1]), tcp: new Uint8Array([0x76, 0x5f]) }, SAMPLE_KEY)

const account = (nonce: bigint, balance: bigint, codeHash: Uint8Array) => ({ nonce, balance, codeHash })
const sampleNotification: Notification = {
  kind: 'reorged',
  old: [{ direction: 'revert', number: 5n, hash: hash(9), parentHash: hash(2), accounts: [{ address: new Uint8Array(20).fill(0xcc), before: account(0n, 1n, hash(3)), wiped: false, slots: [] }], codes: [] }],
  new: [
    {
      direction: 'commit',
      number: 5n,
      hash: hash(1),
      parentHash: hash(2),
      accounts: [
        { address: new Uint8Array(20).fill(0xaa), before: account(1n, 10n, hash(3)), after: account(2n, 3n, hash(3)), wiped: false, slots: [[5n, 0n, 9n], [6n, 2n ** 255n, 0n]] },
        { address: new Uint8Array(20).fill(0xbb), after: account(0n, 1n, hash(4)), wiped: true, slots: [] },
      ],
      codes: [{ hash: hash(4), code: new Uint8Array([0x60, 0x00]) }],
    },
  ],
}

/** A run that only decodes (no canonical re-encoding check). */
const decodes = (decode: (b: Uint8Array) => unknown) => (b: Uint8Array) => (decode(b), null)

export const WIRE_TARGETS: Target[] = [
  ...([68, 69] as const).map((version) => ({
    name: `eth/${version} message`,
    seeds: ethSeeds(version),
    run: decodes((b) => decodeEthMessage(version, b[0] ?? 0, b.subarray(1))),
    iterations: 2000,
  })),
  {
    name: 'discv4 packet',
    seeds: [
      encodePacket({ type: 'Ping', version: 4, from: endpoint, to: endpoint, expiration: 2_000_000_000, enrSeq: 3n }, SAMPLE_KEY).packet,
      encodePacket({ type: 'FindNode', target: new Uint8Array(64).fill(1), expiration: 2_000_000_000 }, SAMPLE_KEY).packet,
      encodePacket({ type: 'Neighbors', nodes: [{ ...endpoint, id: new Uint8Array(64).fill(2) }], expiration: 2_000_000_000 }, SAMPLE_KEY).packet,
    ],
    run: decodes(decodePacket),
    iterations: 600,
  },
  {
    name: 'ENR',
    seeds: [encodeEnr(enr)],
    run: decodes(decodeEnr),
    iterations: 600,
  },
  {
    name: 'RLPx hello and disconnect',
    seeds: [
      encodeHello({ protocolVersion: 5, clientId: 'mosaic/fuzz', capabilities: [{ name: 'eth', version: 68 }, { name: 'eth', version: 69 }], listenPort: 30303, nodeId: new Uint8Array(64).fill(3) }),
      new Uint8Array([0xff, ...encodeDisconnect(4)]),
    ],
    // a leading 0xff marks a disconnect payload
    run: decodes((b) => (b[0] === 0xff ? decodeDisconnect(b.subarray(1)) : decodeHello(b))),
    iterations: 1500,
  },
  {
    name: 'trie node',
    seeds: [
      encodeNode(leaf(Uint8Array.of(1, 2, 3), new Uint8Array([0x83, 1, 2, 3]))),
      encodeNode(ext(Uint8Array.of(0xa, 0xb), { kind: 'hash', hash: hash(7) })),
      encodeNode(branch([...Array.from({ length: 15 }, () => null), { kind: 'hash', hash: hash(8) }], null)),
    ],
    run: decodes(decodeNode),
    iterations: 1500,
  },
  {
    name: 'state diff (binary)',
    seeds: [encodeNotificationRlp(sampleNotification)],
    run: decodes(decodeNotificationRlp),
    iterations: 1500,
  },
  {
    name: 'state diff (JSON line)',
    seeds: [utf8ToBytes(encodeNotificationJson(sampleNotification))],
    run: decodes((b) => decodeNotificationJson(bytesToUtf8(b))),
    iterations: 1500,
  },
]
