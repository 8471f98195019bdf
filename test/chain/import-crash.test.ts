/**
 * `mosaic import` killed in the middle: SIGKILL leaves a data directory whose head, state root
 * (recomputed from the flat state) and canonical blocks agree, and a second import resumes and
 * ends at the head of an uninterrupted import; Ctrl-C (SIGINT) stops after the current block,
 * exits 130 and closes the database.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Blockchain } from '../../src/blockchain/index.ts'
import { dev } from '../../src/chainspec/index.ts'
import { bytesToHex } from '../../src/primitives/index.ts'
import { openRocksStore } from '../../src/storage/index.ts'
import { chainProblems, devChain, flatDump, MOSAIC, mosaic, writeBlocks, type DevChain } from './block-files.ts'

const root = mkdtempSync(join(tmpdir(), 'mosaic-crash-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))
const BLOCKS = 300
const file = join(root, 'chain.rlp')
let src: DevChain
beforeAll(() => {
  src = devChain(BLOCKS, 20, 400)
  writeBlocks(file, src.blocks)
}, 60_000)

/**
 * Starts `mosaic import` with a progress line every 20 ms and sends `signal` once a line
 * reports block `atBlock` or later; resolves with the exit code, the signal the child died of,
 * and its output.
 */
async function importUntil(datadir: string, atBlock: number, signal: 'SIGKILL' | 'SIGINT') {
  const p = Bun.spawn([MOSAIC, 'import', '--datadir', datadir, '--chain', 'dev', '--log-interval', '0.02', file], { stdout: 'pipe', stderr: 'pipe' })
  const reader = p.stderr.getReader()
  const decoder = new TextDecoder()
  let stderr = ''
  let sent = false
  for (;;) {
    const { value, done } = await reader.read()
    if (done) break
    stderr += decoder.decode(value, { stream: true })
    const numbers = [...stderr.matchAll(/number=(\d+)/g)].map((m) => Number(m[1]))
    if (!sent && numbers.some((n) => n >= atBlock)) {
      p.kill(signal)
      sent = true
    }
  }
  const [code, stdout] = await Promise.all([p.exited, new Response(p.stdout).text()])
  return { code, signal: p.signalCode, stdout, stderr, sent }
}

async function inspect(datadir: string) {
  const db = await openRocksStore(join(datadir, 'chaindata'))
  try {
    const chain = Blockchain.open(db, dev)
    return { head: chain.head().number, hash: bytesToHex(chain.headBlockHash()), problems: chainProblems(chain), flat: flatDump(db) }
  } finally {
    await db.close()
  }
}

test('SIGKILL in the middle of an import: the stored chain is consistent, and a second import completes it', async () => {
  const datadir = join(root, 'killed')
  const killed = await importUntil(datadir, 40, 'SIGKILL')
  expect(killed.sent).toBe(true)
  expect(killed.signal).toBe('SIGKILL')
  const after = await inspect(datadir)
  expect(after.problems).toEqual([])
  expect(after.head).toBeGreaterThanOrEqual(40n)
  expect(after.head).toBeLessThan(BigInt(BLOCKS))
  expect(after.hash).toBe(bytesToHex(src.chain.canonicalHash(after.head)!))

  const resumed = await mosaic(['import', '--datadir', datadir, file])
  expect(resumed.code).toBe(0)
  expect(resumed.stdout).toContain(`imported ${BLOCKS - Number(after.head)} blocks (${after.head} already stored)`)
  const done = await inspect(datadir)
  expect(done.problems).toEqual([])
  expect(done.head).toBe(BigInt(BLOCKS))
  expect(done.hash).toBe(bytesToHex(src.chain.headBlockHash()))
  expect(done.flat).toEqual(flatDump(src.chain.db))
}, 120_000)

test('Ctrl-C stops after the current block, exits 130, and leaves a chain that reopens consistent', async () => {
  const datadir = join(root, 'interrupted')
  const r = await importUntil(datadir, 20, 'SIGINT')
  expect(r.sent).toBe(true)
  expect(r.code).toBe(130)
  expect(r.stderr).toContain('import: interrupted, stopping after the current block')
  expect(r.stdout).toContain('interrupted in')
  const after = await inspect(datadir)
  expect(after.problems).toEqual([])
  expect(after.head).toBeLessThan(BigInt(BLOCKS))
  expect(r.stdout).toContain(`head ${after.head} ${after.hash}`)
}, 120_000)
