/**
 * The chain on the dev spec: built blocks import into an independent chain (re-executed and
 * validated), reorganisations leave the flat state equal to a chain that only saw the winning
 * branch, the state at recent blocks reads through change sets, and a RocksDB chain reopens at
 * its head.
 */
import { afterAll, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Blockchain, ChainError, type HeadEvent } from '../../src/blockchain/index.ts'
import { DEV_BALANCE, dev, mainnet, DEV_ACCOUNTS, DEV_PRIVATE_KEYS } from '../../src/chainspec/index.ts'
import { privateKeyToAddress } from '../../src/crypto/index.ts'
import { BlockValidationError } from '../../src/executor/index.ts'
import { createAddress } from '../../src/evm/index.ts'
import { bytesToHex, hexToBytes, parseAddress } from '../../src/primitives/index.ts'
import { openMemoryStore, openRocksStore, Tables, type KeyValueStore } from '../../src/storage/index.ts'
import { transactionHash } from '../../src/types/index.ts'
import { build, devAddress, transfer } from './dev-chain.ts'

const alice = devAddress(0)
const bob = parseAddress('0x00000000000000000000000000000000000b0b00')
const carol = parseAddress('0x00000000000000000000000000000000000ca201')
const dirs: string[] = []
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })))

/** Every flat account and slot, as sorted hex pairs. */
function flatDump(db: KeyValueStore): string[] {
  const out: string[] = []
  for (const t of [Tables.accounts, Tables.storage]) for (const [k, v] of db.iterate({ prefix: t.prefix })) out.push(`${bytesToHex(k)}=${bytesToHex(v)}`)
  return out
}

test('the dev keys derive the dev accounts', () => {
  expect(DEV_PRIVATE_KEYS.map((k) => bytesToHex(privateKeyToAddress(hexToBytes(k))))).toEqual(DEV_ACCOUNTS.map((a) => a.toLowerCase() as `0x${string}`))
})

test('built blocks import into a second chain; receipts, senders and lookups are stored', () => {
  const a = Blockchain.open(openMemoryStore(), dev)
  const b = Blockchain.open(openMemoryStore(), dev)
  for (let i = 0; i < 3; i++) {
    const built = build(a, [
      { tx: transfer(0, BigInt(2 * i), bob, 1000n), from: 0 },
      { tx: transfer(0, BigInt(2 * i + 1), carol, 7n), from: 0 },
    ])
    expect(built.skipped).toEqual([])
    a.insertExecuted(built.executed)
    const r = b.importBlock(built.executed.block)
    expect(r.status).toBe('imported')
  }
  expect(bytesToHex(b.headBlockHash())).toBe(bytesToHex(a.headBlockHash()))
  expect(b.head().number).toBe(3n)
  expect(b.latestState().getAccount(bob)!.balance).toBe(3000n)
  expect(b.latestState().getAccount(carol)!.balance).toBe(21n)
  expect(b.latestState().getAccount(alice)!.nonce).toBe(6n)
  const head = b.blockByNumber(3n)!
  expect(b.receipts(b.headBlockHash())!.map((r) => r.cumulativeGasUsed)).toEqual([21_000n, 42_000n])
  expect(b.senders(b.headBlockHash())!.map(bytesToHex)).toEqual([bytesToHex(alice), bytesToHex(alice)])
  const loc = b.transactionLocation(transactionHash(head.transactions[1]!))!
  expect(loc.blockNumber).toBe(3n)
  expect(loc.index).toBe(1)
  expect(flatDump(b.db)).toEqual(flatDump(a.db))
})

test('a tampered block is rejected and leaves the chain untouched', () => {
  const chain = Blockchain.open(openMemoryStore(), dev)
  const built = build(chain, [{ tx: transfer(0, 0n, bob, 5n), from: 0 }])
  const before = flatDump(chain.db)
  const bad = { ...built.executed.block, header: { ...built.executed.block.header, stateRoot: new Uint8Array(32).fill(1) } }
  expect(() => chain.importBlock(bad)).toThrow(BlockValidationError)
  try {
    chain.importBlock(bad)
  } catch (e) {
    expect((e as BlockValidationError).kind).toBe('INVALID_STATE_ROOT')
  }
  expect(flatDump(chain.db)).toEqual(before)
  expect(chain.head().number).toBe(0n)
})

test('a block stored off the head, then made the head: the event carries its receipts and change set, as import with the head does', () => {
  const built = build(Blockchain.open(openMemoryStore(), dev), [{ tx: transfer(0, 0n, bob, 7n), from: 0 }])
  const direct = Blockchain.open(openMemoryStore(), dev)
  const later = Blockchain.open(openMemoryStore(), dev)
  const events: HeadEvent[] = []
  direct.onHead((e) => events.push(e))
  later.onHead((e) => events.push(e))
  direct.importBlock(built.executed.block)
  later.importBlock(built.executed.block, { setHead: false })
  later.setHead(built.executed.hash)
  const [a, b] = events
  expect(b!.receipts).toEqual(a!.receipts)
  expect(b!.added[0]!.changes).toEqual(a!.added[0]!.changes)
  expect(b!.receipts).toHaveLength(1)
  expect(later.latestState().getAccount(bob)!.balance).toBe(7n)
  expect(flatDump(later.db)).toEqual(flatDump(direct.db))
})

test('setForkchoice: head, safe and finalized in one batch; what is already so is not written; an unknown block changes nothing', () => {
  const db = openMemoryStore()
  const chain = Blockchain.open(db, dev)
  const genesis = chain.headBlockHash()
  const built = build(Blockchain.open(openMemoryStore(), dev), [{ tx: transfer(0, 0n, bob, 7n), from: 0 }])
  chain.importBlock(built.executed.block, { setHead: false })
  let batches = 0
  let puts = 0
  const batch = db.batch.bind(db)
  db.batch = () => (batches++, batch())
  const put = db.put.bind(db)
  db.put = (...a: Parameters<typeof put>) => (puts++, put(...a))
  const reopened = () => Blockchain.open(db, dev)
  expect(() => chain.setForkchoice({ head: built.executed.hash, safe: new Uint8Array(32).fill(9) })).toThrow(ChainError)
  expect(bytesToHex(chain.headBlockHash())).toBe(bytesToHex(genesis))
  chain.setForkchoice({ head: built.executed.hash, safe: built.executed.hash, finalized: genesis })
  expect([batches, puts]).toEqual([1, 0])
  expect(chain.head().number).toBe(1n)
  expect(bytesToHex(reopened().headBlockHash())).toBe(bytesToHex(built.executed.hash))
  expect(reopened().safe()!.number).toBe(1n)
  expect(chain.safe()!.number).toBe(1n)
  expect(chain.finalized()!.number).toBe(0n)
  // the same state again: nothing to write
  chain.setForkchoice({ head: built.executed.hash, safe: built.executed.hash, finalized: genesis })
  chain.setSafe(built.executed.hash)
  expect([batches, puts]).toEqual([1, 0])
  chain.setFinalized(built.executed.hash)
  expect([batches, puts]).toEqual([2, 0])
  expect(reopened().finalized()!.number).toBe(1n)
})

test('reorg: switching branches leaves the state of a chain that only saw the winner; events name added and removed blocks', () => {
  const chain = Blockchain.open(openMemoryStore(), dev)
  const only = Blockchain.open(openMemoryStore(), dev)
  const genesis = chain.headBlockHash()
  // branch A: two blocks paying bob (one creates a contract with storage)
  const initcode = hexToBytes('0x602a600055600160015560006000f3') // sstore(0,42) sstore(1,1), empty code
  const a1 = build(chain, [{ tx: transfer(0, 0n, bob, 100n), from: 0 }, { tx: transfer(0, 1n, bob, 0n, { data: initcode, toNull: true, gasLimit: 200_000n }), from: 0 }])
  chain.insertExecuted(a1.executed)
  const a2 = build(chain, [{ tx: transfer(0, 2n, bob, 100n), from: 0 }])
  chain.insertExecuted(a2.executed)
  // branch B from genesis: three blocks paying carol, imported as side blocks
  const events: { added: number; removed: number }[] = []
  chain.onHead((e) => events.push({ added: e.added.length, removed: e.removed.length }))
  let parent = genesis
  const bBlocks = []
  for (let i = 0; i < 3; i++) {
    const x = build(only, [{ tx: transfer(1, BigInt(i), carol, 10n), from: 1 }], { parentHash: parent, timestamp: BigInt(100 + i) })
    only.insertExecuted(x.executed)
    bBlocks.push(x.executed.block)
    chain.importBlock(x.executed.block, { setHead: false })
    parent = x.executed.hash
  }
  expect(chain.head().number).toBe(2n)
  // the state of a side block is readable before it is canonical
  expect(chain.stateAt(parent)!.getAccount(carol)!.balance).toBe(30n)
  expect(chain.stateAt(parent)!.getAccount(bob)).toBeUndefined()
  chain.setHead(parent)
  expect(events).toEqual([{ added: 3, removed: 2 }])
  expect(flatDump(chain.db)).toEqual(flatDump(only.db))
  expect(chain.latestState().getAccount(bob)).toBeUndefined()
  expect(chain.transactionLocation(transactionHash(a1.executed.block.transactions[0]!))).toBeUndefined()
  // and back to A: the contract's storage returns
  chain.setHead(a2.executed.hash)
  expect(chain.latestState().getAccount(bob)!.balance).toBe(200n)
  expect(chain.latestState().getAccount(carol)).toBeUndefined()
  expect(chain.canonicalHash(3n)).toBeUndefined()
  const onlyA = Blockchain.open(openMemoryStore(), dev)
  onlyA.importBlock(a1.executed.block)
  onlyA.importBlock(a2.executed.block)
  expect(flatDump(chain.db)).toEqual(flatDump(onlyA.db))
  expect(a1.results[1]!.execution.status).toBe('success')
  const contract = createAddress(alice, 1n)
  expect(chain.latestState().getStorage(contract, 0n)).toBe(42n)
  expect(chain.latestState().getStorage(contract, 1n)).toBe(1n)
})

test('state at recent blocks: balances at each height, proofs against each root, and nothing past the history depth', () => {
  const chain = Blockchain.open(openMemoryStore(), dev, { stateHistory: 4 })
  const hashes = [chain.headBlockHash()]
  for (let i = 0; i < 6; i++) {
    const x = build(chain, [{ tx: transfer(0, BigInt(i), bob, 1n), from: 0 }])
    chain.insertExecuted(x.executed)
    hashes.push(x.executed.hash)
  }
  for (let n = 2; n <= 6; n++) {
    const view = chain.stateAt(hashes[n]!)!
    expect(view.getAccount(bob)!.balance).toBe(BigInt(n))
    const p = view.proof(bob, [0n])
    expect(p.balance).toBe(BigInt(n))
    expect(bytesToHex(view.stateRoot)).toBe(bytesToHex(chain.headerByNumber(BigInt(n))!.stateRoot))
  }
  expect(chain.stateAt(hashes[1]!)).toBeUndefined()
  expect(chain.stateAt(hashes[0]!)).toBeUndefined()
  expect(chain.stateAt(hashes[6]!)!.getAccount(alice)!.balance).toBeLessThan(DEV_BALANCE)
})

test('a past state asked again is the view built before, until the head moves: then it is built on the new head', () => {
  const chain = Blockchain.open(openMemoryStore(), dev)
  const hashes = [chain.headBlockHash()]
  for (let i = 0; i < 3; i++) {
    const x = build(chain, [{ tx: transfer(0, BigInt(i), bob, 1n), from: 0 }])
    chain.insertExecuted(x.executed)
    hashes.push(x.executed.hash)
  }
  const first = chain.stateAt(hashes[1]!)!
  expect(chain.stateAt(hashes[1]!)).toBe(first)
  expect(chain.stateAt(hashes[2]!)!.getAccount(bob)!.balance).toBe(2n)
  // carol first gets ETH in the new head block: a view kept from before would read her from the new flat state
  chain.insertExecuted(build(chain, [{ tx: transfer(0, 3n, carol, 1n), from: 0 }]).executed)
  const again = chain.stateAt(hashes[1]!)!
  expect(again).not.toBe(first)
  expect(again.getAccount(bob)!.balance).toBe(1n)
  expect(again.getAccount(carol)).toBeUndefined()
  expect(chain.stateAt(hashes[3]!)!.getAccount(carol)).toBeUndefined()
})

test('RocksDB: the chain reopens at its head; another chain spec or a foreign layout is refused', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mosaic-chain-'))
  dirs.push(dir)
  let db = await openRocksStore(join(dir, 'db'))
  let chain = Blockchain.open(db, dev)
  for (let i = 0; i < 3; i++) chain.insertExecuted(build(chain, [{ tx: transfer(0, BigInt(i), bob, 5n), from: 0 }]).executed)
  const head = bytesToHex(chain.headBlockHash())
  await db.close()
  db = await openRocksStore(join(dir, 'db'))
  chain = Blockchain.open(db, dev)
  expect(bytesToHex(chain.headBlockHash())).toBe(head)
  expect(chain.latestState().getAccount(bob)!.balance).toBe(15n)
  expect(() => Blockchain.open(db, mainnet)).toThrow(ChainError)
  await db.close()

  const other = await openRocksStore(join(dir, 'other'))
  other.put(new Uint8Array([1, 2, 3]), new Uint8Array([4]))
  expect(() => Blockchain.open(other, dev)).toThrow(/not a Mosaic chain/)
  await other.close()
})
