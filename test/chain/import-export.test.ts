/**
 * `mosaic init`, `import` and `export` through the real CLI (bin/mosaic in a child process):
 * init writes and records a genesis once and refuses another; export → import into a fresh
 * data directory gives the same head, state root and flat state; a truncated file, a corrupt
 * file, a block with a wrong state root and a data directory of another layout version each
 * give one error line and leave the stored chain at its last good block.
 */
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from 'bun:test'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Blockchain } from '../../src/blockchain/index.ts'
import { dev, genesisHash, parseGenesisJson } from '../../src/chainspec/index.ts'
import { bytesToHex, concatBytes } from '../../src/primitives/index.ts'
import { encodeNumber, MetaKeys, openRocksStore } from '../../src/storage/index.ts'
import { decodeBlock, encodeBlock, headerHash } from '../../src/types/index.ts'
import { chainProblems, devChain, errorLines, flatDump, mosaic, writeBlocks, type DevChain } from './block-files.ts'

// Each test runs the CLI a few times (about 0.5 s per start on 2 busy cores).
setDefaultTimeout(60_000)
const root = mkdtempSync(join(tmpdir(), 'mosaic-import-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))
const path = (name: string) => join(root, name)
let src: DevChain
const N = 30
beforeAll(() => {
  src = devChain(N, 4)
  writeBlocks(path('chain.rlp'), src.blocks)
  writeBlocks(path('first5.rlp'), src.blocks.slice(0, 5))
})

/** Opens a data directory's chain, runs `fn`, closes. */
async function withChain<T>(datadir: string, fn: (chain: Blockchain) => T): Promise<T> {
  const db = await openRocksStore(join(datadir, 'chaindata'))
  try {
    return fn(Blockchain.open(db, dev))
  } finally {
    await db.close()
  }
}

const GENESIS = {
  config: { chainId: 1337, londonBlock: 0, berlinBlock: 0, terminalTotalDifficulty: 0, shanghaiTime: 0, cancunTime: 0, pragueTime: 0 },
  gasLimit: '0x1c9c380',
  baseFeePerGas: '0x3b9aca00',
  difficulty: '0x0',
  alloc: { '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266': { balance: '0x21e19e0c9bab2400000' } },
}

test('init writes the genesis and records it; again is a no-op; another genesis is one error line', async () => {
  const file = path('genesis.json')
  writeFileSync(file, JSON.stringify(GENESIS))
  const hash = bytesToHex(genesisHash(parseGenesisJson(GENESIS)))
  const datadir = path('init')
  let r = await mosaic(['init', '--datadir', datadir, file])
  expect(r.code).toBe(0)
  expect(r.stdout).toContain(`wrote genesis ${hash}`)
  expect(JSON.parse(readFileSync(join(datadir, 'chain.json'), 'utf8'))).toEqual({ genesis: GENESIS })
  r = await mosaic(['init', '--datadir', datadir, file])
  expect(r.code).toBe(0)
  expect(r.stdout).toContain('nothing to do')
  expect(r.stdout).toContain(hash)

  const other = path('genesis2.json')
  writeFileSync(other, JSON.stringify({ ...GENESIS, gasLimit: '0x1c9c381' }))
  r = await mosaic(['init', '--datadir', datadir, other])
  expect(r.code).toBe(1)
  expect(errorLines(r.stderr)).toEqual([expect.stringContaining(`holds another chain (genesis ${hash})`)])
  // the same genesis block with other rules (chain id) is refused too
  writeFileSync(other, JSON.stringify({ ...GENESIS, config: { ...GENESIS.config, chainId: 1338 } }))
  r = await mosaic(['init', '--datadir', datadir, other])
  expect(r.code).toBe(1)
  expect(errorLines(r.stderr)).toEqual([expect.stringContaining('with other chain rules')])
  // the recorded chain is what later commands use: blocks of the dev chain do not fit it
  r = await mosaic(['import', '--datadir', datadir, path('chain.rlp')])
  expect(r.code).toBe(1)
  expect(errorLines(r.stderr)).toEqual([expect.stringContaining('block 1 at offset 0: its parent')])
})

test('import, export (gzip) and import into a fresh datadir: same head, state root and flat state as the source chain', async () => {
  const a = path('a')
  let r = await mosaic(['import', '--datadir', a, '--chain', 'dev', path('chain.rlp')])
  expect(r.code).toBe(0)
  expect(r.stdout).toContain(`imported ${N} blocks (0 already stored), ${4 * N} txs`)
  expect(r.stdout).toContain(`head ${N} ${bytesToHex(src.chain.headBlockHash())}`)
  // again: every block is known, nothing changes
  r = await mosaic(['import', '--datadir', a, path('chain.rlp')])
  expect(r.code).toBe(0)
  expect(r.stdout).toContain(`imported 0 blocks (${N} already stored)`)

  r = await mosaic(['export', '--datadir', a, path('all.rlp.gz')])
  expect(r.code).toBe(0)
  expect(r.stdout).toContain(`exported blocks 0..${N}`)
  r = await mosaic(['export', '--datadir', a, path('part.rlp'), '5', '9'])
  expect(r.code).toBe(0)
  expect(bytesToHex(readFileSync(path('part.rlp')))).toBe(bytesToHex(concatBytes(...src.blocks.slice(4, 9))))
  expect((await mosaic(['export', '--datadir', a, path('x.rlp'), '5', `${N + 1}`])).code).toBe(2)

  const b = path('b')
  r = await mosaic(['import', '--datadir', b, '--chain', 'dev', path('all.rlp.gz')])
  expect(r.code).toBe(0)
  expect(r.stdout).toContain(`imported ${N} blocks (1 already stored)`)
  const expected = { head: bytesToHex(src.chain.headBlockHash()), root: bytesToHex(src.chain.head().stateRoot), flat: flatDump(src.chain.db) }
  for (const dir of [a, b]) {
    const got = await withChain(dir, (c) => ({ head: bytesToHex(c.headBlockHash()), root: bytesToHex(c.head().stateRoot), flat: flatDump(c.db), problems: chainProblems(c) }))
    expect(got).toEqual({ ...expected, problems: [] })
  }
})

/** Imports blocks 1..5 into a fresh datadir, then `file`; returns the result and the chain's state after. */
async function importOnto(name: string, file: string) {
  const datadir = path(name)
  expect((await mosaic(['import', '--datadir', datadir, '--chain', 'dev', path('first5.rlp')])).code).toBe(0)
  const r = await mosaic(['import', '--datadir', datadir, file])
  const after = await withChain(datadir, (c) => ({ head: c.head().number, hash: bytesToHex(c.headBlockHash()), problems: chainProblems(c) }))
  return { r, after }
}

const hashAt = (n: number) => bytesToHex(src.chain.canonicalHash(BigInt(n))!)
const offsetOf = (i: number) => src.blocks.slice(0, i).reduce((s, b) => s + b.length, 0)

test('a truncated file: one error line naming the block and offset; the chain stays at the last whole block', async () => {
  const cut = concatBytes(...src.blocks.slice(0, 12), src.blocks[12]!.subarray(0, src.blocks[12]!.length - 100))
  writeFileSync(path('cut.rlp'), cut)
  const { r, after } = await importOnto('cut', path('cut.rlp'))
  expect(r.code).toBe(1)
  expect(errorLines(r.stderr)).toEqual([expect.stringContaining(`the file ends inside block 13 at offset ${offsetOf(12)}`)])
  expect(r.stderr).toContain('the chain stays at block 12')
  expect(after).toEqual({ head: 12n, hash: hashAt(12), problems: [] })
})

test('a corrupt file (bytes that are no block): one error line with the offset; the chain stays at the last good block', async () => {
  const bad = src.blocks[9]!.slice()
  bad[0] = 0x80 // a byte string where a block (list) should be
  writeFileSync(path('corrupt.rlp'), concatBytes(...src.blocks.slice(0, 9), bad, ...src.blocks.slice(10)))
  const { r, after } = await importOnto('corrupt', path('corrupt.rlp'))
  expect(r.code).toBe(1)
  expect(errorLines(r.stderr)).toEqual([expect.stringContaining(`offset ${offsetOf(9)} are not an RLP block`)])
  expect(after).toEqual({ head: 9n, hash: hashAt(9), problems: [] })
})

test('a block with a wrong state root: one error line naming it; the chain stays at its parent', async () => {
  const block = decodeBlock(src.blocks[7]!)
  const tampered = encodeBlock({ ...block, header: { ...block.header, stateRoot: new Uint8Array(32).fill(9) } })
  writeFileSync(path('badroot.rlp'), concatBytes(...src.blocks.slice(0, 7), tampered, ...src.blocks.slice(8)))
  const { r, after } = await importOnto('badroot', path('badroot.rlp'))
  expect(r.code).toBe(1)
  const lines = errorLines(r.stderr)
  expect(lines).toEqual([expect.stringContaining(`block 8 at offset ${offsetOf(7)} is invalid`)])
  expect(lines[0]).toContain('BLOCK_INVALID_STATE_ROOT')
  expect(after).toEqual({ head: 7n, hash: hashAt(7), problems: [] })
  expect(headerHash(decodeBlock(tampered).header)).not.toEqual(src.chain.canonicalHash(8n))
})

test('a datadir of another layout version: one error line, nothing written', async () => {
  const datadir = path('layout')
  expect((await mosaic(['import', '--datadir', datadir, '--chain', 'dev', path('first5.rlp')])).code).toBe(0)
  let db = await openRocksStore(join(datadir, 'chaindata'))
  db.put(MetaKeys.schemaVersion, encodeNumber(99))
  const before = [...db.iterate()].map(([k, v]) => `${bytesToHex(k)}=${bytesToHex(v)}`)
  await db.close()
  for (const args of [['import', '--datadir', datadir, path('chain.rlp')], ['export', '--datadir', datadir, path('y.rlp')]]) {
    const r = await mosaic(args)
    expect(r.code).toBe(1)
    expect(errorLines(r.stderr)).toEqual([expect.stringContaining('storage layout 99')])
  }
  db = await openRocksStore(join(datadir, 'chaindata'))
  expect([...db.iterate()].map(([k, v]) => `${bytesToHex(k)}=${bytesToHex(v)}`)).toEqual(before)
  await db.close()
})

test('usage errors: no file, a missing file, a bad block number', async () => {
  expect((await mosaic(['import', '--datadir', path('u')])).code).toBe(2)
  expect((await mosaic(['import', '--datadir', path('u'), path('nope.rlp')])).code).toBe(2)
  const r = await mosaic(['export', '--datadir', path('a'), path('z.rlp'), 'ten'])
  expect(r.code).toBe(2)
  expect(errorLines(r.stderr)).toHaveLength(1)
})
