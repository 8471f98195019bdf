/**
 * Dev mining over a real chain with a minimal pool: automine per transaction, evm_mine with a
 * count, state edits visible at once and carried into the next block, snapshots and revert,
 * timestamps.
 */
import { expect, test } from 'bun:test'
import { Blockchain } from '../../src/blockchain/index.ts'
import { dev } from '../../src/chainspec/index.ts'
import { DevMiner, type MinerPool } from '../../src/payload/index.ts'
import { parseAddress, type Address, type Hash } from '../../src/primitives/index.ts'
import { openMemoryStore } from '../../src/storage/index.ts'
import { transactionHash, type Transaction } from '../../src/types/index.ts'
import { devAddress, transfer } from './dev-chain.ts'

/** Holds added transactions until a block includes them. */
class ListPool implements MinerPool {
  txs: { tx: Transaction; sender: Address; hash: Hash }[] = []
  private listeners: ((txs: readonly unknown[]) => void)[] = []
  constructor(private readonly chain: Blockchain) {}
  add(tx: Transaction, sender: Address) {
    this.txs.push({ tx, sender, hash: transactionHash(tx) })
    for (const l of this.listeners) l([tx])
  }
  best() {
    return this.txs
  }
  promote() {
    this.txs = this.txs.filter((t) => !this.chain.transactionLocation(t.hash))
  }
  onPending(l: (txs: readonly unknown[]) => void) {
    this.listeners.push(l)
    return () => {}
  }
}

const bob = parseAddress('0x0000000000000000000000000000000000000b0b')

function setup(now = 1_000n) {
  const chain = Blockchain.open(openMemoryStore(), dev, { stateHistory: 100_000 })
  const pool = new ListPool(chain)
  let clock = now
  const miner = new DevMiner(chain, pool, { now: () => clock })
  miner.start()
  return { chain, pool, miner, tick: (s: bigint) => (clock += s) }
}

test('automine: each transaction gets its own block with a receipt', () => {
  const { chain, pool, miner } = setup()
  pool.add(transfer(0, 0n, bob, 5n), devAddress(0))
  expect(chain.head().number).toBe(1n)
  pool.add(transfer(0, 1n, bob, 5n), devAddress(0))
  expect(chain.head().number).toBe(2n)
  expect(chain.receipts(chain.headBlockHash())![0]!.status).toBe(1)
  expect(miner.latestState().getAccount(bob)!.balance).toBe(10n)
  miner.setAutomine(false)
  pool.add(transfer(0, 2n, bob, 5n), devAddress(0))
  expect(chain.head().number).toBe(2n)
  miner.stop()
})

test('evm_mine with a count and a timestamp; timestamps strictly increase', async () => {
  const { chain, miner } = setup()
  const h = await miner.mine({ count: 3, timestamp: 5_000n })
  expect(h.number).toBe(3n)
  expect(chain.headerByNumber(1n)!.timestamp).toBe(5_000n)
  expect(chain.headerByNumber(2n)!.timestamp).toBe(5_001n)
  miner.increaseTime(100n)
  miner.setNextBlockTimestamp(9_999n)
  expect((await miner.mine()).timestamp).toBe(9_999n)
  expect(() => miner.setNextBlockTimestamp(10n)).toThrow(RangeError)
  await expect(miner.mine({ count: 0 })).rejects.toThrow(RangeError)
})

test('edits show at latest at once and become part of the next block', async () => {
  const { chain, miner } = setup()
  miner.setBalance(bob, 123n)
  miner.setCode(bob, Uint8Array.of(0x60, 0x00))
  miner.setStorageAt(bob, 7n, 9n)
  miner.setNonce(bob, 4n)
  const s = miner.latestState()
  expect(s.getAccount(bob)).toEqual({ nonce: 4n, balance: 123n, code: Uint8Array.of(0x60, 0x00) })
  expect(s.getStorage(bob, 7n)).toBe(9n)
  expect(chain.latestState().getAccount(bob)).toBeUndefined()
  await miner.mine()
  expect(chain.latestState().getAccount(bob)).toEqual({ nonce: 4n, balance: 123n, code: Uint8Array.of(0x60, 0x00) })
  expect(chain.latestState().getStorage(bob, 7n)).toBe(9n)
  // the block's state root commits to the edits: a proof at the head shows them
  expect(chain.stateAt(chain.headBlockHash())!.proof(bob, [7n]).storageProof[0]!.value).toBe(9n)
})

test('snapshot and revert move the head back and restore edits', async () => {
  const { chain, pool, miner } = setup()
  pool.add(transfer(0, 0n, bob, 5n), devAddress(0))
  miner.setBalance(devAddress(3), 1n)
  const id = miner.snapshot()
  pool.add(transfer(0, 1n, bob, 5n), devAddress(0))
  await miner.mine({ count: 2 })
  expect(chain.head().number).toBe(4n)
  expect(miner.revert(id)).toBe(true)
  expect(chain.head().number).toBe(1n)
  expect(miner.latestState().getAccount(bob)!.balance).toBe(5n)
  expect(miner.latestState().getAccount(devAddress(3))!.balance).toBe(1n)
  expect(miner.revert(id)).toBe(false)
})
