import { describe, expect, test } from 'bun:test'
import { keccak256 } from '../crypto/index.ts'
import { buildBlock } from '../payload/index.ts'
import { utf8ToBytes, type Hash } from '../primitives/index.ts'
import { openMemoryStore } from '../storage/index.ts'
import { signTransaction } from '../types/index.ts'
import { Blockchain } from '../blockchain/index.ts'
import { chainDiffSource, createStateDiffStream, openMemoryStateStore, StateDiffError, type BlockDiff, type Notification, type StateStore } from './index.ts'
import { compareAll } from './testbed/verify.ts'
import { generateWorkload, parseWorkloadSpec, workloadChainSpec, workloadSenders } from './workload/index.ts'

const spec = parseWorkloadSpec('generate:blocks=6,accounts=80,slots=300,seed=5')
const sender = workloadSenders(spec)[0]!

function newChain(stateHistory?: number) {
  const chain = Blockchain.open(openMemoryStore(), workloadChainSpec(spec), { stateHistory })
  return chain
}

/** A block on `parentHash` with one transfer (to an address named by `label`), stored off the head. */
function sideBlock(chain: Blockchain, parentHash: Hash, label: string): Hash {
  const nonce = chain.stateReaderAt(parentHash)!.getAccount(sender.address)!.nonce
  const to = keccak256(utf8ToBytes(label)).subarray(12)
  const tx = signTransaction({ type: 2, chainId: chain.spec.chainId, nonce, maxPriorityFeePerGas: 1n, maxFeePerGas: 10n ** 11n, gasLimit: 21_000n, to, value: 5n, data: new Uint8Array(0), accessList: [] }, sender.key)
  const parent = chain.headerByHash(parentHash)!
  const built = buildBlock(chain, [{ tx, sender: sender.address }], { parentHash, timestamp: parent.timestamp + 7n, coinbase: new Uint8Array(20) })
  chain.insertExecuted(built.executed, { setHead: false })
  return built.executed.hash
}

/** A consumer that applies to a memory store and records what it was given. */
function recorder(store: StateStore = openMemoryStateStore()) {
  const seen: Notification[] = []
  const log: string[] = []
  return {
    store,
    seen,
    log,
    consumer: {
      onNotification: (n: Notification) => void seen.push(n),
      onCommit: (d: BlockDiff) => {
        log.push(`+${d.number}`)
        return store.apply(d)
      },
      onRevert: (d: BlockDiff) => {
        log.push(`-${d.number}`)
        return store.revert(d)
      },
    },
  }
}

describe('state-diff stream', () => {
  test('a consumer from genesis ends equal to the chain: block 0 creates the genesis state, one notification per head move', async () => {
    const chain = newChain()
    const stream = createStateDiffStream(chainDiffSource(chain))
    const r = recorder()
    const sub = stream.subscribe(r.consumer, { name: 'memory' })
    await sub.caughtUp()
    expect(r.log).toEqual(['+0'])
    for (const _ of generateWorkload(chain, spec)) await sub.caughtUp()
    expect(r.log).toEqual(['+0', '+1', '+2', '+3', '+4', '+5', '+6'])
    expect(r.seen.every((n) => n.kind === 'committed')).toBe(true)
    expect(sub.position).toEqual({ number: 6n, hash: chain.headBlockHash() })
    expect((await compareAll(chain.db, r.store)).mismatch).toBeUndefined()
    const d = r.seen[3]!.new[0]!
    expect(d.parentHash).toEqual(chain.canonicalHash(2n)!)
    expect(d.accounts.length).toBeGreaterThan(0)
    stream.close()
  })

  test('a reorg onto a side branch is one ChainReorged: reverts newest first, then the new blocks; a move back is ChainReverted', async () => {
    const chain = newChain()
    for (const _ of generateWorkload(chain, spec));
    const stream = createStateDiffStream(chainDiffSource(chain))
    const r = recorder()
    const sub = stream.subscribe(r.consumer, { name: 'memory' })
    await sub.caughtUp()
    r.seen.length = 0
    r.log.length = 0
    const s4 = sideBlock(chain, chain.canonicalHash(3n)!, 'x4')
    const s5 = sideBlock(chain, s4, 'x5')
    const s6 = sideBlock(chain, s5, 'x6')
    const s7 = sideBlock(chain, s6, 'x7')
    await sub.caughtUp()
    expect(r.seen).toEqual([]) // stored off the head: nothing yet
    chain.setHead(s7)
    await sub.caughtUp()
    expect(r.seen.map((n) => n.kind)).toEqual(['reorged'])
    const reorg = r.seen[0]!
    expect(reorg.old.map((d) => d.number)).toEqual([6n, 5n, 4n])
    expect(reorg.old.every((d) => d.direction === 'revert')).toBe(true)
    expect(reorg.new.map((d) => d.hash)).toEqual([s4, s5, s6, s7])
    expect(r.log).toEqual(['-6', '-5', '-4', '+4', '+5', '+6', '+7'])
    expect((await compareAll(chain.db, r.store)).mismatch).toBeUndefined()

    chain.setHead(s5)
    await sub.caughtUp()
    expect(r.seen[1]!.kind).toBe('reverted')
    expect(r.seen[1]!.old.map((d) => d.hash)).toEqual([s7, s6])
    expect((await compareAll(chain.db, r.store)).mismatch).toBeUndefined()
    expect(sub.position).toEqual({ number: 5n, hash: s5 })
    stream.close()
  })

  test('a consumer resumes after its own head: behind on the canonical chain, or on a branch that left it', async () => {
    const chain = newChain()
    const stream = createStateDiffStream(chainDiffSource(chain))
    const r = recorder()
    const sub = stream.subscribe(r.consumer, { name: 'first' })
    for (const _ of generateWorkload(chain, spec)) await sub.caughtUp()
    const at6 = chain.headBlockHash()
    sub.close()
    // the store stopped at block 6; meanwhile the chain moved to a branch from block 4
    const s5 = sideBlock(chain, chain.canonicalHash(4n)!, 'y5')
    const s6 = sideBlock(chain, s5, 'y6')
    const s7 = sideBlock(chain, s6, 'y7')
    chain.setHead(s7)
    const again = recorder(r.store)
    const resumed = stream.subscribe(again.consumer, { name: 'second', from: { number: 6n, hash: at6 } })
    await resumed.caughtUp()
    expect(again.log).toEqual(['-6', '-5', '+5', '+6', '+7'])
    expect(again.seen.map((n) => n.kind)).toEqual(['reorged'])
    expect((await compareAll(chain.db, r.store)).mismatch).toBeUndefined()
    stream.close()
  })

  test('a consumer ahead of the chain waits for it; one on an unknown block at or below the head is told', async () => {
    const chain = newChain()
    const stream = createStateDiffStream(chainDiffSource(chain))
    const r = recorder()
    const ahead = stream.subscribe(r.consumer, { name: 'ahead', from: { number: 3n, hash: new Uint8Array(32).fill(7) } })
    await ahead.caughtUp()
    expect(r.log).toEqual([])
    const gen = generateWorkload(chain, spec)
    gen.next()
    gen.next()
    await ahead.caughtUp()
    expect(r.log).toEqual([])
    gen.next()
    await expect(ahead.caughtUp()).rejects.toMatchObject({ code: 'UNKNOWN_HEAD' })
    await expect(ahead.done).rejects.toBeInstanceOf(StateDiffError)
    stream.close()
  })

  test('a consumer far behind (beyond stateHistory) is served from the stored change sets', async () => {
    const chain = newChain(2)
    for (const _ of generateWorkload(chain, spec));
    const stream = createStateDiffStream(chainDiffSource(chain), { cacheBlocks: 1 })
    const r = recorder()
    const sub = stream.subscribe(r.consumer, { name: 'late', maxBlocks: 4 })
    await sub.caughtUp()
    expect(r.seen.map((n) => n.new.length)).toEqual([4, 3])
    expect((await compareAll(chain.db, r.store)).mismatch).toBeUndefined()
    stream.close()
  })

  test('a missing change set ends the subscription with HISTORY_UNAVAILABLE naming the block', async () => {
    const chain = newChain()
    for (const _ of generateWorkload(chain, spec));
    const source = chainDiffSource(chain)
    const stream = createStateDiffStream({ ...source, changeSet: (n, h) => (n === 2n ? undefined : source.changeSet(n, h)) })
    const r = recorder()
    const sub = stream.subscribe(r.consumer, { name: 'pruned' })
    const e = await sub.caughtUp().catch((x) => x)
    expect(e).toMatchObject({ code: 'HISTORY_UNAVAILABLE' })
    expect(String(e.message)).toContain('block 2')
    expect(r.log).toEqual(['+0', '+1'])
  })

  test('acknowledgements: retainedFrom is the lowest unacknowledged block; an ack above the position is refused', async () => {
    const chain = newChain()
    for (const _ of generateWorkload(chain, spec));
    const stream = createStateDiffStream(chainDiffSource(chain))
    const a = stream.subscribe({}, { name: 'a' })
    const b = stream.subscribe({}, { name: 'b', from: { number: 4n, hash: chain.canonicalHash(4n)! } })
    await Promise.all([a.caughtUp(), b.caughtUp()])
    expect(stream.retainedFrom()).toBe(0n)
    a.acknowledge(5n)
    b.acknowledge(3n)
    expect(stream.retainedFrom()).toBe(4n)
    expect(() => a.acknowledge(7n)).toThrow('acknowledged block 7')
    b.close()
    expect(stream.retainedFrom()).toBe(6n)
    stream.close()
    expect(stream.retainedFrom()).toBeUndefined()
  })

  test('retention: the diffs a slow consumer has not acknowledged stay in memory up to the bound; its acknowledgement lets them go', async () => {
    const chain = newChain()
    const stream = createStateDiffStream(chainDiffSource(chain), { cacheBlocks: 2, retainBlocks: 3 })
    const fast = stream.subscribe({}, { name: 'fast' })
    let open!: () => void
    const gate = new Promise<void>((resolve) => (open = resolve))
    const slow = recorder()
    const s = stream.subscribe({ ...slow.consumer, onCommit: async (d) => (d.number === 1n ? gate : undefined)?.then(() => slow.consumer.onCommit(d)) ?? slow.consumer.onCommit(d) }, { name: 'slow' })
    const sizes: number[] = []
    for (const _ of generateWorkload(chain, spec)) {
      await fast.caughtUp()
      fast.acknowledge(fast.position!.number)
      sizes.push(stream.retained())
    }
    // blocks 0.. are needed by the slow consumer (stuck at block 1): kept beyond the 2 newest, at most 2 + 3
    expect(sizes).toEqual([2, 3, 4, 5, 5, 5])
    open()
    await s.caughtUp()
    expect(slow.log).toEqual(['+0', '+1', '+2', '+3', '+4', '+5', '+6'])
    expect((await compareAll(chain.db, slow.store)).mismatch).toBeUndefined()
    s.acknowledge(6n)
    expect(stream.retained()).toBe(2)
    stream.close()
  })

  test('a consumer that throws is failed with its name and the block; others go on', async () => {
    const chain = newChain()
    const stream = createStateDiffStream(chainDiffSource(chain))
    const good = recorder()
    const g = stream.subscribe(good.consumer, { name: 'good' })
    const bad = stream.subscribe({ onCommit: (d) => { if (d.number === 2n) throw new Error('disk full') } }, { name: 'bad' })
    for (const _ of generateWorkload(chain, spec)) await g.caughtUp()
    const e = await bad.caughtUp().catch((x) => x)
    expect(e).toMatchObject({ code: 'CONSUMER_FAILED' })
    expect(e.message).toContain('bad: commit failed at block 2')
    expect(e.message).toContain('disk full')
    expect(good.log.length).toBe(7)
    stream.close()
  })
})
