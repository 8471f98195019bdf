/**
 * The decoders under fuzzing, each with valid seed encodings and a run that decodes (and, for
 * transactions, validates and recovers) and returns the re-encoding of a fresh copy of the
 * result: shared by the bounded run in `make test` (decoders.test.ts) and the timed one of
 * `make fuzz` (run.ts). Byte-level mutations are here; RLP-structure-aware ones in
 * rlp-mutate.ts.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { hexToBytes, decodeRlp, encodeRlp, MosaicError, type RlpInput } from '../../src/primitives/index.ts'
import {
  BYTES_PER_BLOB,
  decodeBlobTransactionNetwork,
  decodeBlock,
  decodeBlockBody,
  decodeBlockReceipt,
  decodeBlockTransaction,
  decodeHeader,
  decodeReceipt,
  decodeTransaction,
  encodeBlobTransactionNetwork,
  encodeBlock,
  encodeBlockBody,
  encodeBlockReceipt,
  encodeBlockTransaction,
  encodeHeader,
  encodeReceipt,
  encodeTransaction,
  kzgToVersionedHash,
  recoverSender,
  signTransaction,
  validateBlobSidecar,
  validateTransaction,
  type Block,
  type BlobTransaction,
  type Header,
  type Receipt,
  type Transaction,
} from '../../src/types/index.ts'
import { SAMPLE_KEY, SAMPLE_UNSIGNED, sampleBlock, sampleHeaders, sampleReceipts, sampleTransactions } from '../../src/types/testing/samples.ts'

/** mulberry32: small, fast, deterministic. */
export function rng(seed: number) {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (n: number) => Math.floor(next() * n)
  const bytes = (n: number) => Uint8Array.from({ length: n }, () => int(256))
  return { int, bytes }
}

export type Rng = ReturnType<typeof rng>

export function mutate(r: Rng, input: Uint8Array): Uint8Array {
  const b = input.slice()
  switch (r.int(6)) {
    case 0: // truncate
      return b.subarray(0, r.int(b.length))
    case 1: // extend
      return new Uint8Array([...b, ...r.bytes(1 + r.int(8))])
    case 2: // flip bits
      for (let i = 0, n = 1 + r.int(4); i < n && b.length; i++) b[r.int(b.length)]! ^= 1 << r.int(8)
      return b
    case 3: {
      // insert a byte
      const at = r.int(b.length + 1)
      return new Uint8Array([...b.subarray(0, at), r.int(256), ...b.subarray(at)])
    }
    case 4: {
      // remove a byte
      const at = r.int(Math.max(1, b.length))
      return new Uint8Array([...b.subarray(0, at), ...b.subarray(at + 1)])
    }
    default: // overwrite a byte near the start, where the prefixes are
      if (b.length) b[r.int(Math.min(b.length, 8))] = r.int(256)
      return b
  }
}

export interface Target {
  name: string
  seeds: Uint8Array[]
  /** Decodes; returns the re-encoding of a fresh copy of the result, or null to skip that check. */
  run: (input: Uint8Array) => Uint8Array | null
  iterations: number
}

const freshTx = (tx: Transaction) => ({ ...tx }) as Transaction
const freshHeader = (h: Header): Header => ({ ...h })
const freshBlock = (b: Block): Block => ({
  header: freshHeader(b.header),
  transactions: b.transactions.map(freshTx),
  ommers: b.ommers.map(freshHeader),
  withdrawals: b.withdrawals,
})

/** After decoding, validation under a few forks and recovery must only throw MosaicErrors too. */
function exercise(tx: Transaction): void {
  for (const fork of ['frontier', 'homestead', 'spuriousDragon', 'berlin', 'cancun', 'prague', 'osaka'] as const) {
    try {
      validateTransaction(tx, { fork, chainId: 1n })
    } catch (err) {
      if (!(err instanceof MosaicError)) throw err
    }
  }
  try {
    recoverSender(tx)
  } catch (err) {
    if (!(err instanceof MosaicError)) throw err
  }
}

const txs = sampleTransactions()
const commitment = new Uint8Array(48).fill(0xc0)
const blobTx = signTransaction({ ...SAMPLE_UNSIGNED.eip4844!, blobVersionedHashes: [kzgToVersionedHash(commitment)] } as BlobTransaction, SAMPLE_KEY) as BlobTransaction
const network = encodeBlobTransactionNetwork({ tx: blobTx, wrapperVersion: 0, blobs: [new Uint8Array(BYTES_PER_BLOB)], commitments: [commitment], proofs: [new Uint8Array(48)] })
const block = sampleBlock()

export const DECODER_TARGETS: Target[] = [
  {
    name: 'RLP',
    seeds: [encodeRlp([1n, [new Uint8Array(60)], [[], [[]]], 2n ** 200n] as RlpInput), encodeBlock(block), encodeRlp(new Uint8Array(100))],
    run: (b) => encodeRlp(decodeRlp(b) as RlpInput),
    iterations: 4000,
  },
  {
    name: 'transaction (canonical)',
    seeds: txs.map(encodeTransaction),
    run: (b) => {
      const tx = decodeTransaction(b)
      exercise(tx)
      return encodeTransaction(freshTx(tx))
    },
    iterations: 4000,
  },
  {
    name: 'transaction (block-body form)',
    seeds: txs.map(encodeBlockTransaction),
    run: (b) => encodeBlockTransaction(freshTx(decodeBlockTransaction(b))),
    iterations: 2000,
  },
  {
    name: 'blob transaction (network form)',
    seeds: [network],
    run: (b) => {
      const n = decodeBlobTransactionNetwork(b)
      try {
        validateBlobSidecar(n)
      } catch (err) {
        if (!(err instanceof MosaicError)) throw err
      }
      return encodeBlobTransactionNetwork({ ...n, tx: freshTx(n.tx) as BlobTransaction })
    },
    iterations: 150,
  },
  {
    name: 'header',
    seeds: sampleHeaders().map(encodeHeader),
    run: (b) => encodeHeader(freshHeader(decodeHeader(b))),
    iterations: 3000,
  },
  {
    name: 'block',
    seeds: [encodeBlock(block), encodeBlock({ ...block, ommers: [] })],
    run: (b) => encodeBlock(freshBlock(decodeBlock(b))),
    iterations: 2000,
  },
  {
    name: 'block body',
    seeds: [encodeBlockBody(block)],
    run: (b) => {
      const body = decodeBlockBody(b)
      return encodeBlockBody({ ...body, transactions: body.transactions.map(freshTx), ommers: body.ommers.map(freshHeader) })
    },
    iterations: 1000,
  },
  {
    name: 'receipt',
    seeds: sampleReceipts().map(encodeReceipt),
    run: (b) => encodeReceipt({ ...decodeReceipt(b) } as Receipt),
    iterations: 3000,
  },
  {
    name: 'receipt (block form)',
    seeds: sampleReceipts().map(encodeBlockReceipt),
    run: (b) => encodeBlockReceipt({ ...decodeBlockReceipt(b) } as Receipt),
    iterations: 1000,
  },
]


export const CORPUS_DIR = join(import.meta.dir, 'corpus')
const slug = (name: string) => name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')
/** The corpus file of a target: one hex input a line. */
export const corpusFile = (name: string) => join(CORPUS_DIR, `${slug(name)}.txt`)

export function readCorpus(name: string): Uint8Array[] {
  const file = corpusFile(name)
  if (!existsSync(file)) return []
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => /^0x[0-9a-f]*$/.test(l))
    .map((l) => hexToBytes(l as `0x${string}`))
}
