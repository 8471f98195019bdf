/**
 * BlockchainTests (Cancun; the valid blocks of ValidBlocks and InvalidBlocks) chained through `mosaic t8n`, as a block builder drives
 * it: each block becomes one t8n call whose alloc is the previous call's output alloc, whose env
 * is the block's header fields with the base fee and excess blob gas left for t8n to derive from
 * the parent's (parentBaseFee, parentGasUsed, parentGasLimit, parentExcessBlobGas,
 * parentBlobGasUsed), the beacon root, the block's withdrawals and every earlier block's hash, and
 * whose transactions are the block's RLP list. The result must reproduce the header (state,
 * transactions and receipts roots, bloom, gas used, base fee, withdrawals root, blob gas used,
 * excess blob gas) and, after the last block, the alloc must equal the fixture's postState.
 */
import { expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { relative } from 'node:path'
import { bytesToHex, decodeRlp, encodeRlp, hexToBigint, hexToBytes, type RlpItem } from '../../src/primitives/index.ts'
import { describeFixtures, jsonFiles } from '../fixtures.ts'
import { t8n } from './run.ts'

type J = Record<string, any>

/** Canonical accounts (quantities as bigint strings) for comparing allocs written differently. */
function canonical(alloc: J): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [addr, a] of Object.entries(alloc)) {
    const storage = Object.entries((a.storage ?? {}) as Record<string, string>)
      .filter(([, v]) => hexToBigint(v) !== 0n)
      .map(([k, v]) => `${hexToBigint(k)}=${hexToBigint(v)}`)
      .sort()
    out[addr.toLowerCase()] = [hexToBigint(a.balance ?? '0x0'), hexToBigint(a.nonce ?? '0x0'), (a.code ?? '0x').toLowerCase(), storage.join(',')].join('|')
  }
  return out
}

const CHECKS: [string, string][] = [
  ['stateRoot', 'stateRoot'],
  ['txRoot', 'transactionsTrie'],
  ['receiptsRoot', 'receiptTrie'],
  ['logsBloom', 'bloom'],
  ['gasUsed', 'gasUsed'],
  ['currentBaseFee', 'baseFeePerGas'],
  ['withdrawalsRoot', 'withdrawalsRoot'],
  ['blobGasUsed', 'blobGasUsed'],
  ['currentExcessBlobGas', 'excessBlobGas'],
]

const same = (a: string | undefined, b: string | undefined) =>
  a !== undefined && b !== undefined && (a.length === 66 || a.length === 514 ? a === b : hexToBigint(a) === hexToBigint(b))

/**
 * The valid blocks that extend the genesis one after another, up to the first block that is
 * invalid or on another branch; and whether the post state is the one after them (every later
 * block is one the fixture expects to be rejected).
 */
function validPrefix(t: J): { blocks: J[]; isPost: boolean } {
  let parent = t.genesisBlockHeader.hash
  const all = t.blocks as J[]
  let n = 0
  for (const b of all) {
    if (!b.blockHeader || b.expectException || b.blockHeader.parentHash !== parent) break
    parent = b.blockHeader.hash
    n++
  }
  return { blocks: all.slice(0, n), isPost: all.slice(n).every((b) => b.expectException) }
}

async function runChain(name: string, t: J, chain: J[], isPost: boolean): Promise<string | undefined> {
  let alloc: J = t.pre
  let parent: J = t.genesisBlockHeader
  const hashes: Record<string, string> = { [parent.number]: parent.hash }
  for (const [i, b] of chain.entries()) {
    const h = b.blockHeader
    const parts = decodeRlp(hexToBytes(b.rlp)) as RlpItem[]
    const env = {
      currentCoinbase: h.coinbase,
      currentGasLimit: h.gasLimit,
      currentNumber: h.number,
      currentTimestamp: h.timestamp,
      currentRandom: h.mixHash,
      parentBaseFee: parent.baseFeePerGas,
      parentGasUsed: parent.gasUsed,
      parentGasLimit: parent.gasLimit,
      parentTimestamp: parent.timestamp,
      parentExcessBlobGas: parent.excessBlobGas,
      parentBlobGasUsed: parent.blobGasUsed,
      parentBeaconBlockRoot: h.parentBeaconBlockRoot,
      withdrawals: b.withdrawals ?? [],
      blockHashes: { ...hashes },
    }
    const r = await t8n({ alloc, env, txsRlp: bytesToHex(encodeRlp(parts[1]!)) }, t.network, ['--state.reward=-1'])
    const at = `${name} block ${i + 1}`
    if (r.code !== 0 || !r.out) return `${at}: exit ${r.code}: ${r.err.trim()}`
    const res = r.out.result
    if (res.rejected?.length) return `${at}: rejected ${JSON.stringify(res.rejected)}`
    for (const [ours, theirs] of CHECKS) if (!same(res[ours], h[theirs])) return `${at}: ${ours} ${res[ours]}, header ${theirs} ${h[theirs]}`
    if (r.out.body !== bytesToHex(encodeRlp(parts[1]!))) return `${at}: body differs from the block's transactions`
    alloc = r.out.alloc
    parent = h
    hashes[h.number] = h.hash
  }
  // Large tests give only postStateHash: the last stateRoot was checked against the header.
  if (!isPost || !t.postState) return undefined
  const got = canonical(alloc)
  const want = canonical(t.postState)
  for (const k of new Set([...Object.keys(got), ...Object.keys(want)])) if (got[k] !== want[k]) return `${name}: post alloc ${k}: ${got[k]}, expected ${want[k]}`
  return undefined
}

let chains = 0
let blocks = 0

describeFixtures('BlockchainTests chained through t8n', ['ethereum-tests', 'BlockchainTests'], (root) => {
  for (const file of [...jsonFiles(`${root}/ValidBlocks`), ...jsonFiles(`${root}/InvalidBlocks`)]) {
    const rel = relative(root, file)
    test(rel, async () => {
      const doc = JSON.parse(readFileSync(file, 'utf8')) as Record<string, J>
      const problems: string[] = []
      for (const [name, t] of Object.entries(doc)) {
        const { blocks: chain, isPost } = validPrefix(t)
        if (t.network !== 'Cancun' || chain.length === 0) continue
        chains++
        blocks += chain.length
        const p = await runChain(name, t, chain, isPost)
        if (p) problems.push(p)
      }
      expect(problems).toEqual([])
    }, 120_000)
  }
  test('chains run', () => {
    console.log(`BlockchainTests through t8n: ${chains} chains, ${blocks} blocks`)
    expect(blocks).toBeGreaterThan(300)
  })
})
