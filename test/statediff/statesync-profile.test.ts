/**
 * `bin/mosaic --profile statesync` as a child process, driven over the Engine API as a
 * consensus client drives it: a generated chain (transfers, token and storage churn,
 * creations, self-destructs, reorgs) sent as newPayload + forkchoiceUpdated. Its stores —
 * `sqlite:DIR`, rocksdb, memory, a slow plugin store and one that throws — each follow the
 * chain at their own pace: the chain and the others never wait for the slow one, which catches
 * up; the throwing one is reported with its name and block while the rest go on. The node is
 * SIGKILLed in the middle and started again on the same data directory: every store resumes
 * after its own head and ends equal to the chain's state (read back from the store files and
 * against the node's eth_getBalance / eth_getStorageAt), with no block missed or applied twice.
 * A block file source (`--source FILE`) feeds the stores the same way.
 */
import { afterAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createBlockFileWriter } from '../../src/blockchain/index.ts'
import { bigintToHex, bytesToBigint, bytesToHex } from '../../src/primitives/index.ts'
import { openRocksStateStore, openSqliteStateStore, type StateStore } from '../../src/statediff/index.ts'
import { compareAll } from '../../src/statediff/testbed/verify.ts'
import { Tables } from '../../src/storage/index.ts'
import { until } from '../e2e/wait.ts'
import { buildChain, drive as driveSteps, MOSAIC, rpc, startFollower, syncedTo, type Follower } from './follower.ts'

setDefaultTimeout(120_000)

const FIXTURES = join(import.meta.dir, 'fixtures')
const dir = mkdtempSync(join(tmpdir(), 'mosaic-statesync-profile-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

// the chain, built here: each block with the head it leaves (a reorg moves it to a side branch)
const built = buildChain('generate:blocks=40,accounts=400,slots=2000,seed=7,reorgs=9', dir)
const { chain, steps, genesisFile } = built
const files = createBlockFileWriter(join(dir, 'chain.rlp'))
for (const s of steps) await files.write(s.rlp)
await files.close()
const HEAD = built.head

const start = (datadir: string, stores: string[], extra: string[] = []) => startFollower(built, datadir, stores, extra, { MOSAIC_TEST_SLOW_MS: '60' })
const drive = (f: Follower, from: number, to: number) => driveSteps(f, steps, from, to)
const atHead = (log: string, store: string) => syncedTo(log, store).hash === HEAD

async function checkStore(store: StateStore, reads: { address: string; balance: string; slot?: [string, string] }[]) {
  try {
    expect(bytesToHex((await store.head())!.hash)).toBe(HEAD)
    const full = await compareAll(chain.db, store)
    expect(full.mismatch).toBeUndefined()
    expect(full.entries.accounts).toBeGreaterThan(350)
    for (const r of reads) {
      const a = await store.account(Uint8Array.fromHex(r.address.slice(2)))
      expect(bigintToHex(a?.balance ?? 0n) as string).toBe(r.balance)
      if (r.slot) expect(bigintToHex(await store.slot(Uint8Array.fromHex(r.address.slice(2)), BigInt(r.slot[0]))) as string).toBe(r.slot[1])
    }
  } finally {
    await store.close()
  }
}

describe('mosaic --profile statesync driven over the Engine API', () => {
  test('stores at their own pace, a failing one reported, SIGKILL and restart: every store ends equal to the chain, each block applied once', async () => {
    const datadir = join(dir, 'node')
    const sqliteDir = join(dir, 'sqlite-store')
    const stores = [`sqlite:${sqliteDir}`, 'rocksdb', 'memory', join(FIXTURES, 'slow-store-plugin.ts'), join(FIXTURES, 'throwing-store-plugin.ts')]
    let f = await start(datadir, stores, ['--store.flush-blocks', '8'])
    await drive(f, 0, 25)
    expect(BigInt(await rpc(f.rpcUrl, 'eth_blockNumber'))).toBe(steps[24]!.number)
    // the fast stores have the head while the slow one is still behind; the throwing one failed at block 7
    await until(() => syncedTo(f.child.log(), 'sqlite').hash === steps[24]!.head && syncedTo(f.child.log(), 'rocksdb').hash === steps[24]!.head, 'sqlite and rocksdb at the head')
    expect(syncedTo(f.child.log(), 'slow-store-plugin').number).toBeLessThan(Number(steps[24]!.number))
    expect(f.child.log()).toMatch(/Store failed.*store=throwing-store-plugin.*block 7 .*the disk went away/)
    f.child.proc.kill('SIGKILL')
    await f.child.proc.exited

    f = await start(datadir, stores, ['--store.flush-blocks', '8'])
    // the persistent stores resume after their own head, not from genesis
    expect(f.child.startLog).toMatch(/Following the chain into a store.*store=sqlite.*from=[1-9]\d*/)
    expect(f.child.startLog).toMatch(/Following the chain into a store.*store=rocksdb.*from=[1-9]\d*/)
    expect(f.child.startLog).toMatch(/Following the chain into a store.*store=memory.*from=genesis/)
    expect(f.child.startLog).toMatch(/Following the chain into a store.*store=slow-store-plugin.*from=genesis/)
    // and once more without waiting for the stores: killed while they follow
    await drive(f, 25, 34)
    f.child.proc.kill('SIGKILL')
    await f.child.proc.exited
    f = await start(datadir, stores, ['--store.flush-blocks', '8'])
    await drive(f, 34, steps.length)
    expect(await rpc(f.rpcUrl, 'eth_getBlockByNumber', ['latest', false]).then((b) => b.hash)).toBe(HEAD)
    await until(() => atHead(f.child.log(), 'sqlite') && atHead(f.child.log(), 'rocksdb') && atHead(f.child.log(), 'memory'), 'the stores at the head')
    await until(() => atHead(f.child.log(), 'slow-store-plugin'), 'the slow store at the head', 60_000)
    // the node's own answers, to read back from the stores
    const reads: { address: string; balance: string; slot?: [string, string] }[] = []
    let n = 0
    for (const [k] of chain.db.iterate({ prefix: Tables.storage.prefix })) {
      if (n++ % 97 !== 0) continue
      const address = bytesToHex(k.subarray(1, 21))
      const slot = bigintToHex(bytesToBigint(k.subarray(21)))
      reads.push({ address, balance: await rpc(f.rpcUrl, 'eth_getBalance', [address, 'latest']), slot: [slot, bigintToHex(BigInt(await rpc(f.rpcUrl, 'eth_getStorageAt', [address, slot, 'latest'])))] })
    }
    expect(reads.length).toBeGreaterThan(10)
    expect(await f.child.stop()).toBe(143)
    expect(f.child.log()).not.toMatch(/Store failed.*store=(sqlite|rocksdb|memory|slow-store-plugin)/)

    await checkStore(await openSqliteStateStore({ dir: sqliteDir }), reads)
    const rocks = await openRocksStateStore({ dir: join(datadir, 'stores', 'rocksdb') })
    // a block applied twice would be refused by the store's order check; the transitions add up
    const stats = await rocks.stats()
    expect(stats.transitions).toBeGreaterThanOrEqual(Number(chain.head().number) + 1)
    await checkStore(rocks, reads)
  })

  test('a block file source (--source FILE) feeds the stores; start-up errors are one line', async () => {
    const datadir = join(dir, 'file-node')
    const f = await start(datadir, ['sqlite'], ['--source', join(dir, 'chain.rlp')])
    await until(() => atHead(f.child.log(), 'sqlite'), 'the sqlite store at the file\'s head')
    expect(f.child.log()).toMatch(/Imported block file.*imported=\d+/)
    expect(await f.child.stop()).toBe(143)
    await checkStore(await openSqliteStateStore({ dir: join(datadir, 'stores', 'sqlite') }), [])

    for (const [args, message] of [
      [[], /mosaic: the statesync profile needs a --store/],
      [['--store', 'nope'], /mosaic: unknown store "nope"/],
      [['--store', join(FIXTURES, 'not-a-store-plugin.ts')], /is not a StateStore/],
    ] as const) {
      const p = Bun.spawn([MOSAIC, '--profile', 'statesync', '--chain', genesisFile, '--datadir', join(dir, 'bad'), '--authrpc.port', '0', '--http.port', '0', ...args], { stderr: 'pipe', stdout: 'ignore' })
      const [err, code] = await Promise.all([new Response(p.stderr).text(), p.exited])
      expect(code).toBe(1)
      expect(err).toMatch(message)
    }
  })
})
