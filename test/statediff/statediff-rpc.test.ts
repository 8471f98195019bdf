/**
 * The state-diff stream over JSON-RPC, against the dev node as a child process (`bin/mosaic
 * --profile execution`): a WebSocket subscriber of `eth_subscribe("mosaic_stateDiffs")` gets a
 * `committed` notification per mined block whose diff is `mosaic_getStateDiff`'s for that block
 * over HTTP, and whose before/after values are what eth_getBalance, eth_getStorageAt and
 * eth_getCode answer at the block and its parent; `evm_revert` delivers the reverted blocks newest
 * first, each the inverse of its commit; a subscriber given its head resumes from there. Bad
 * parameters are -32602, unknown blocks null, and `--http.api`/`--ws.api` without `mosaic` hide it.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { join } from 'node:path'
import { DEV_ACCOUNTS } from '../../src/chainspec/index.ts'
import { rpc, rpcRaw, startMosaic, type Child } from '../e2e/processes.ts'
import { until, within } from '../e2e/wait.ts'

setDefaultTimeout(60_000)

const FROM = DEV_ACCOUNTS[0]!.toLowerCase()
const TO = '0x00000000000000000000000000000000000b0b01'
// init: SSTORE(0, 42), then return the runtime SSTORE(1, 1); STOP
const INIT = '0x602a60005560066011600039600660' + '00f3' + '600160015500'

let node: Child

/** A WebSocket client that collects the notifications of its subscriptions. */
class WsClient {
  readonly ws: WebSocket
  private next = 0
  private readonly pending = new Map<number, { resolve: (v: any) => void; reject: (e: any) => void }>()
  readonly notes = new Map<string, any[]>()
  readonly opened: Promise<void>
  constructor(url: string) {
    this.ws = new WebSocket(url)
    this.opened = new Promise((resolve, reject) => {
      this.ws.onopen = () => resolve()
      this.ws.onerror = (e) => reject(e)
    })
    this.ws.onmessage = (m) => {
      const msg = JSON.parse(String(m.data))
      if (msg.method === 'eth_subscription') {
        const list = this.notes.get(msg.params.subscription) ?? []
        list.push(msg.params.result)
        this.notes.set(msg.params.subscription, list)
        return
      }
      const p = this.pending.get(msg.id)
      this.pending.delete(msg.id)
      if (msg.error) p?.reject(msg.error)
      else p?.resolve(msg.result)
    }
  }
  call(method: string, params: unknown[] = []): Promise<any> {
    const id = ++this.next
    this.ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }))
    return within(new Promise((resolve, reject) => this.pending.set(id, { resolve, reject })), method)
  }
  of(id: string): any[] {
    return this.notes.get(id) ?? []
  }
}

let ws: WsClient
let sub: string
let genesisHash: string

beforeAll(async () => {
  node = await startMosaic()
  ws = new WsClient(node.wsUrl)
  await ws.opened
  genesisHash = (await rpc(node.url, 'eth_getBlockByNumber', ['0x0', false])).hash
})
afterAll(async () => {
  ws?.ws.close()
  await node?.stop()
})

const send = async (tx: Record<string, unknown>) => {
  const hash = await rpc(node.url, 'eth_sendTransaction', [{ from: FROM, ...tx }])
  await until(async () => (await rpcRaw(node.url, 'eth_getTransactionReceipt', [hash])).result != null, `the receipt of ${hash}`)
  return rpc(node.url, 'eth_getTransactionReceipt', [hash])
}
const head = async () => Number(await rpc(node.url, 'eth_blockNumber'))
const q = (n: number) => `0x${n.toString(16)}`
const accountOf = (diff: any, address: string) => diff.accounts.find((a: any) => a.address === address)

describe('eth_subscribe("mosaic_stateDiffs") and mosaic_getStateDiff on the dev node', () => {
  let contract: string
  const commits: any[] = []

  test('each mined block reaches the subscriber as a committed diff equal to mosaic_getStateDiff, with the state RPC reads as its before and after', async () => {
    sub = await ws.call('eth_subscribe', ['mosaic_stateDiffs'])
    expect(sub).toMatch(/^0x[0-9a-f]+$/)
    await send({ to: TO, value: '0x1234' })
    await send({ to: TO, value: '0x10' })
    const deploy = await send({ data: INIT, gas: '0x30000' })
    contract = deploy.contractAddress
    await send({ to: contract, gas: '0x20000' })
    const n = await head()
    expect(n).toBe(4)
    await until(() => ws.of(sub).length >= 4, 'four notifications')
    const notes = ws.of(sub)
    expect(notes.map((x) => x.kind)).toEqual(['committed', 'committed', 'committed', 'committed'])
    for (const [i, note] of notes.entries()) {
      expect(note.old).toEqual([])
      expect(note.new).toHaveLength(1)
      const d = note.new[0]
      expect(d.number).toBe(q(i + 1))
      const block = await rpc(node.url, 'eth_getBlockByNumber', [d.number, false])
      expect([d.hash, d.parentHash]).toEqual([block.hash, block.parentHash])
      // the same diff over HTTP, by number and by hash
      expect(await rpc(node.url, 'mosaic_getStateDiff', [d.number])).toEqual(d)
      expect(await rpc(node.url, 'mosaic_getStateDiff', [d.hash])).toEqual(d)
      // every account's before/after is what the state reads say at the parent and at the block
      for (const a of d.accounts) {
        const at = async (tag: string) => ({
          balance: await rpc(node.url, 'eth_getBalance', [a.address, tag]),
          nonce: await rpc(node.url, 'eth_getTransactionCount', [a.address, tag]),
        })
        const [before, after] = [await at(q(i)), await at(d.number)]
        expect(a.after ? { balance: a.after.balance, nonce: a.after.nonce } : { balance: '0x0', nonce: '0x0' }).toEqual(after)
        expect(a.before ? { balance: a.before.balance, nonce: a.before.nonce } : { balance: '0x0', nonce: '0x0' }).toEqual(before)
        for (const [slot, b, x] of a.slots) {
          expect(BigInt(await rpc(node.url, 'eth_getStorageAt', [a.address, slot, d.number]))).toBe(BigInt(x))
          expect(BigInt(await rpc(node.url, 'eth_getStorageAt', [a.address, slot, q(i)]))).toBe(BigInt(b))
        }
      }
      commits.push(d)
    }
    // the transfers: the recipient's balance went 0 → 0x1234 → 0x1244
    expect(accountOf(commits[0], TO)).toMatchObject({ before: null, after: { balance: '0x1234', nonce: '0x0' }, wiped: false, slots: [] })
    expect(accountOf(commits[1], TO)).toMatchObject({ before: { balance: '0x1234' }, after: { balance: '0x1244' } })
    // the creation: slot 0 set, the runtime code by hash; the call: slot 1 set
    const created = accountOf(commits[2], contract)
    expect(created.before).toBeNull()
    expect(created.slots).toEqual([['0x0', '0x0', '0x2a']])
    expect(commits[2].codes).toEqual([{ hash: created.after.codeHash, code: await rpc(node.url, 'eth_getCode', [contract, '0x3']) }])
    expect(commits[2].codes[0].code).toBe('0x600160015500')
    expect(accountOf(commits[3], contract).slots).toEqual([['0x1', '0x0', '0x1']])
  })

  test('evm_revert reaches the subscriber as a reverted notification, newest block first, each the inverse of its commit; the new branch follows', async () => {
    const snap = await rpc(node.url, 'evm_snapshot')
    await send({ to: TO, value: '0x1' })
    await send({ to: contract, gas: '0x20000', value: '0x0', data: '0x' })
    await until(() => ws.of(sub).length >= 6, 'the two new commits')
    const [c5, c6] = ws.of(sub).slice(4, 6).map((x) => x.new[0])
    expect([c5.number, c6.number]).toEqual(['0x5', '0x6'])
    expect(await rpc(node.url, 'evm_revert', [snap])).toBe(true)
    expect(await head()).toBe(4)
    await until(() => ws.of(sub).length >= 7, 'the revert')
    const r = ws.of(sub)[6]
    expect(r.kind).toBe('reverted')
    expect(r.new).toEqual([])
    expect(r.old.map((d: any) => d.number)).toEqual(['0x6', '0x5'])
    const inverse = (d: any) => ({ ...d, codes: [], accounts: d.accounts.map((a: any) => ({ ...a, before: a.after, after: a.before, slots: a.slots.map(([s, b, x]: string[]) => [s, x, b]) })) })
    expect(r.old).toEqual([inverse(c6), inverse(c5)])
    // the reverted blocks are no longer canonical: by number, block 5 is gone; by hash it is still stored
    expect(await rpc(node.url, 'mosaic_getStateDiff', ['0x5'])).toBeNull()
    expect(await rpc(node.url, 'mosaic_getStateDiff', [c5.hash])).toEqual(c5)
    // a new block 5 on the old branch point
    await send({ to: TO, value: '0x2' })
    await until(() => ws.of(sub).length >= 8, 'the new branch')
    const next = ws.of(sub)[7]
    expect(next.kind).toBe('committed')
    expect(next.new[0].number).toBe('0x5')
    expect(next.new[0].parentHash).toBe(commits[3].hash)
    expect(next.new[0].hash).not.toBe(c5.hash)
    expect(accountOf(next.new[0], TO).after.balance).toBe(await rpc(node.url, 'eth_getBalance', [TO, 'latest']))
  })

  test('a subscriber that gives its head resumes from there; one that unsubscribes gets nothing more', async () => {
    const from = { number: '0x2', hash: commits[1].hash }
    const resumed = await ws.call('eth_subscribe', ['mosaic_stateDiffs', from])
    await until(() => ws.of(resumed).flatMap((x) => x.new).length >= 3, 'blocks 3 to 5')
    const got = ws.of(resumed).flatMap((x) => x.new)
    expect(got.map((d: any) => d.number)).toEqual(['0x3', '0x4', '0x5'])
    expect(got.slice(0, 2)).toEqual(commits.slice(2, 4))
    // from a block of the abandoned branch: its way back comes first, then the canonical block
    const c6 = ws.of(sub)[5].new[0]
    const orphan = await ws.call('eth_subscribe', ['mosaic_stateDiffs', { number: c6.number, hash: c6.hash }])
    await until(() => ws.of(orphan).length >= 1, 'the way back from the abandoned branch')
    const back = ws.of(orphan)[0]
    expect(back.kind).toBe('reorged')
    expect(back.old.map((d: any) => d.number)).toEqual(['0x6', '0x5'])
    expect(back.new.map((d: any) => d.number)).toEqual(['0x5'])
    expect(await ws.call('eth_unsubscribe', [resumed])).toBe(true)
    expect(await ws.call('eth_unsubscribe', [orphan])).toBe(true)
    const before = ws.of(resumed).length
    await send({ to: TO, value: '0x3' })
    await until(() => ws.of(sub).length >= 9, 'the next commit on the first subscription')
    expect(ws.of(resumed).length).toBe(before)
  })

  test('genesis, tags, unknown blocks and bad parameters', async () => {
    const g = await rpc(node.url, 'mosaic_getStateDiff', ['earliest'])
    expect(g.hash).toBe(genesisHash)
    expect(g.accounts.length).toBeGreaterThan(9) // the funded dev accounts (and system contracts)
    expect(accountOf(g, FROM).before).toBeNull()
    expect((await rpc(node.url, 'mosaic_getStateDiff', ['latest'])).number).toBe(q(await head()))
    expect(await rpc(node.url, 'mosaic_getStateDiff', ['0x100'])).toBeNull()
    expect(await rpc(node.url, 'mosaic_getStateDiff', [`0x${'ab'.repeat(32)}`])).toBeNull()
    for (const bad of [[], ['0xzz'], ['0x01'], [{ blockHash: '0x12' }], ['0x1', '0x2']]) expect((await rpcRaw(node.url, 'mosaic_getStateDiff', bad)).error?.code).toBe(-32602)
    await expect(ws.call('eth_subscribe', ['mosaic_stateDiffs', { number: 'x' }])).rejects.toMatchObject({ code: -32602 })
    await expect(ws.call('eth_subscribe', ['mosaic_stateDiffs', { number: '0x1', hash: `0x${'cd'.repeat(32)}` }])).rejects.toMatchObject({ code: -32000, message: expect.stringContaining('is not known') })
    // over HTTP a subscription is refused as every one is
    expect((await rpcRaw(node.url, 'eth_subscribe', ['mosaic_stateDiffs'])).error?.code).toBe(-32601)
    expect(Object.keys(await rpc(node.url, 'rpc_modules'))).toContain('mosaic')
  })
})

describe('--http.api / --ws.api without mosaic', () => {
  test('hide mosaic_getStateDiff over HTTP and the mosaic_stateDiffs subscription over WebSocket; --http.api eth,mosaic serves it', async () => {
    const other = await startMosaic(['--http.api', 'eth,net,web3', '--ws.api', 'eth'])
    const only = await startMosaic(['--http.api', 'eth,mosaic'])
    try {
      expect((await rpcRaw(other.url, 'mosaic_getStateDiff', ['0x0'])).error?.code).toBe(-32601)
      expect(Object.keys(await rpc(other.url, 'rpc_modules'))).not.toContain('mosaic')
      const c = new WsClient(other.wsUrl)
      await c.opened
      await expect(c.call('eth_subscribe', ['mosaic_stateDiffs'])).rejects.toMatchObject({ code: -32601, message: expect.stringContaining('mosaic namespace is not served') })
      expect(await c.call('eth_subscribe', ['newHeads'])).toMatch(/^0x/)
      c.ws.close()
      expect((await rpc(only.url, 'mosaic_getStateDiff', ['0x0'])).number).toBe('0x0')
      expect(Object.keys(await rpc(only.url, 'rpc_modules'))).toEqual(['eth', 'mosaic'])
    } finally {
      await other.stop()
      await only.stop()
    }
  })
})

describe('the stream in process, for plugins', () => {
  test('examples/statediff-plugin.ts subscribes to the stateDiffs service and counts each block, reverts included', async () => {
    const p = await startMosaic(['--plugin', join(import.meta.dir, '../../examples/statediff-plugin.ts')])
    try {
      const sendOn = async (tx: Record<string, unknown>) => {
        const hash = await rpc(p.url, 'eth_sendTransaction', [{ from: FROM, ...tx }])
        await until(async () => (await rpcRaw(p.url, 'eth_getTransactionReceipt', [hash])).result != null, `the receipt of ${hash}`)
      }
      await sendOn({ to: TO, value: '0x5' })
      const snap = await rpc(p.url, 'evm_snapshot')
      await sendOn({ data: INIT, gas: '0x30000' })
      const reverted = (await rpc(p.url, 'eth_getBlockByNumber', ['0x2', false])).hash
      expect(await rpc(p.url, 'evm_revert', [snap])).toBe(true)
      await until(async () => (await rpc(p.url, 'diffstats_summary')).reverts === 1, 'the revert counted')
      const t = await rpc(p.url, 'diffstats_summary')
      expect(t).toMatchObject({ blocks: 2, reverts: 1, head: '0x2' })
      // what the diffs say: block 1, block 2 committed and reverted
      const diffs = [await rpc(p.url, 'mosaic_getStateDiff', ['0x1']), ...Array(2).fill(await rpc(p.url, 'mosaic_getStateDiff', [reverted]))]
      expect(t.accounts).toBe(diffs.reduce((n, d) => n + d.accounts.length, 0))
      expect(t.slots).toBe(diffs.reduce((n, d) => n + d.accounts.reduce((m: number, a: any) => m + a.slots.length, 0), 0))
      expect(diffs[1].accounts.some((a: any) => a.slots.some((x: string[]) => x[2] === '0x2a'))).toBe(true)
    } finally {
      await p.stop()
    }
  })
})
