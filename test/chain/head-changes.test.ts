/**
 * Head events carry each block's change set (what a state-diff stream subscribes to instead of
 * executing again): for a block mined in dev mode, for the same block imported into another
 * chain, and for the blocks a head move back removes.
 */
import { expect, test } from 'bun:test'
import { Blockchain, type HeadEvent } from '../../src/blockchain/index.ts'
import { dev } from '../../src/chainspec/index.ts'
import { DevMiner } from '../../src/payload/index.ts'
import { bytesToHex, parseAddress } from '../../src/primitives/index.ts'
import { openMemoryStore } from '../../src/storage/index.ts'
import type { ChangeSet } from '../../src/state/index.ts'
import { devAddress, transfer } from './dev-chain.ts'

const bob = parseAddress('0x0000000000000000000000000000000000000b0b')
const changeOf = (cs: ChangeSet | undefined, address: Uint8Array) => cs?.find((c) => bytesToHex(c.address) === bytesToHex(address))

test('a mined dev block and the same block imported elsewhere emit their change set on onHead', async () => {
  const chain = Blockchain.open(openMemoryStore(), dev)
  const tx = transfer(0, 0n, bob, 5n)
  const pool = {
    best: () => [{ tx, sender: devAddress(0), hash: new Uint8Array(32) }],
    promote() {},
    onPending: () => () => {},
  }
  const miner = new DevMiner(chain, pool, { now: () => 1_000n })
  const mined: HeadEvent[] = []
  chain.onHead((e) => mined.push(e))
  await miner.mine()
  expect(mined).toHaveLength(1)
  const added = mined[0]!.added
  expect(added).toHaveLength(1)
  expect(changeOf(added[0]!.changes, bob)?.after?.balance).toBe(5n)
  expect(changeOf(added[0]!.changes, devAddress(0))?.after?.nonce).toBe(1n)

  const other = Blockchain.open(openMemoryStore(), dev)
  const imported: HeadEvent[] = []
  other.onHead((e) => imported.push(e))
  other.importBlock(mined[0]!.block)
  expect(imported).toHaveLength(1)
  expect(imported[0]!.added[0]!.changes).toEqual(added[0]!.changes)

  // moving the head back removes the block, with the change set that was undone
  const moved: HeadEvent[] = []
  other.onHead((e) => moved.push(e))
  other.setHead(other.canonicalHash(0n)!)
  expect(moved[0]!.removed).toHaveLength(1)
  expect(changeOf(moved[0]!.removed[0]!.changes, bob)?.after?.balance).toBe(5n)
})
