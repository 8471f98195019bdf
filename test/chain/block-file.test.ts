/**
 * The block-file reader frames blocks from their RLP prefixes whatever the chunk boundaries
 * (plain and gzip), names the offset (and, when readable, the number) of a truncated or
 * malformed block, and the writer's output reads back byte for byte.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { BlockFileError, blockRlpFromParts, createBlockFileWriter, readBlockFile, type RawBlock } from '../../src/blockchain/index.ts'
import { bytesToHex, concatBytes, encodeRlp } from '../../src/primitives/index.ts'
import { encodeBlockBody, encodeHeader, decodeBlock } from '../../src/types/index.ts'
import { devChain, writeBlocks } from './block-files.ts'

const dir = mkdtempSync(join(tmpdir(), 'mosaic-blockfile-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
let blocks: Uint8Array[] = []
beforeAll(() => {
  blocks = devChain(12, 3).blocks
  // a block with a long payload (> 56 bytes of prefix length, > several chunks)
  blocks.push(encodeRlp([new Uint8Array(5000).fill(7), [], []]))
})

async function readAll(path: string, chunkSize?: number): Promise<RawBlock[]> {
  const out: RawBlock[] = []
  for await (const b of readBlockFile(path, { chunkSize })) out.push(b)
  return out
}

async function readError(path: string, chunkSize?: number): Promise<BlockFileError> {
  try {
    await readAll(path, chunkSize)
  } catch (e) {
    if (e instanceof BlockFileError) return e
    throw e
  }
  throw new Error('no error')
}

test('blocks frame the same at any chunk size, plain and gzip, with their offsets', async () => {
  const offsets: number[] = []
  let o = 0
  for (const b of blocks) {
    offsets.push(o)
    o += b.length
  }
  for (const name of ['all.rlp', 'all.rlp.gz']) {
    const path = join(dir, name)
    writeBlocks(path, blocks)
    for (const chunk of [1, 7, 64, 1000, 1 << 20]) {
      const got = await readAll(path, chunk)
      expect(got.map((b) => bytesToHex(b.rlp))).toEqual(blocks.map(bytesToHex))
      expect(got.map((b) => b.offset)).toEqual(offsets)
    }
  }
})

test('an empty file has no blocks', async () => {
  const path = join(dir, 'empty.rlp')
  writeFileSync(path, new Uint8Array(0))
  expect(await readAll(path)).toEqual([])
})

test('a file cut inside a block: TRUNCATED with the offset and number of that block, after the whole blocks before it', async () => {
  const whole = concatBytes(...blocks.slice(0, 5))
  const path = join(dir, 'cut.rlp')
  writeFileSync(path, concatBytes(whole, blocks[5]!.subarray(0, blocks[5]!.length - 10)))
  const seen: number[] = []
  try {
    for await (const b of readBlockFile(path, { chunkSize: 100 })) seen.push(Number(decodeBlock(b.rlp).header.number))
    throw new Error('no error')
  } catch (e) {
    expect(e).toBeInstanceOf(BlockFileError)
    const err = e as BlockFileError
    expect(err.kind).toBe('TRUNCATED')
    expect(err.offset).toBe(whole.length)
    expect(err.number).toBe(6n)
    expect(err.message).toContain('block 6')
    expect(err.message).toContain(`offset ${whole.length}`)
  }
  expect(seen).toEqual([1, 2, 3, 4, 5])
  // cut inside the length prefix itself
  writeFileSync(path, concatBytes(whole, blocks[5]!.subarray(0, 1)))
  expect((await readError(path)).kind).toBe('TRUNCATED')
})

test('bytes that are not an RLP list, a bad length prefix, an oversize block, a broken gzip stream', async () => {
  const path = join(dir, 'bad.rlp')
  writeFileSync(path, concatBytes(blocks[0]!, new Uint8Array([0x85, 1, 2, 3, 4, 5])))
  let e = await readError(path)
  expect([e.kind, e.offset]).toEqual(['MALFORMED', blocks[0]!.length])
  writeFileSync(path, new Uint8Array([0xf9, 0x00, 0x40, ...new Uint8Array(64)]))
  expect((await readError(path)).kind).toBe('MALFORMED')
  writeFileSync(path, blocks[0]!)
  try {
    for await (const _ of readBlockFile(path, { maxBlockBytes: 100 })) throw new Error('read an oversize block')
  } catch (err) {
    expect((err as BlockFileError).kind).toBe('TOO_LARGE')
  }
  const gz = join(dir, 'bad.rlp.gz')
  writeFileSync(gz, new Uint8Array([0x1f, 0x8b, 8, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]))
  e = await readError(gz)
  expect(e.kind).toBe('UNREADABLE')
})

test('the writer writes what the reader reads (plain and gzip); a block assembles from stored header and body', async () => {
  for (const name of ['w.rlp', 'w.rlp.gz']) {
    const path = join(dir, name)
    const w = createBlockFileWriter(path)
    for (const b of blocks) await w.write(b)
    await w.close()
    expect(w.bytes).toBe(blocks.reduce((n, b) => n + b.length, 0))
    expect((await readAll(path)).map((b) => bytesToHex(b.rlp))).toEqual(blocks.map(bytesToHex))
  }
  expect(readFileSync(join(dir, 'w.rlp')).length).toBe(blocks.reduce((n, b) => n + b.length, 0))
  for (const raw of blocks.slice(0, 12)) {
    const b = decodeBlock(raw)
    expect(bytesToHex(blockRlpFromParts(encodeHeader(b.header), encodeBlockBody(b)))).toBe(bytesToHex(raw))
  }
})
