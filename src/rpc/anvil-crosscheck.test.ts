/**
 * The same transactions on anvil (the peer) and on this RPC over the fake chain, compared where
 * anvil follows geth: struct logs (anvil adds `refund: 0` and empty `memory`, which geth omits,
 * and prefixes memory and storage words with 0x, which geth's %x does not),
 * callTracer frames (anvil reports the top frame's gas after intrinsic gas, geth the gas limit),
 * prestateTracer (geth adds `codeHash`), revert errors, access lists, receipts.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { bytesToHex } from '../primitives/index.ts'
import { forwarder, reverter, STORE_LOG } from './testing/contracts.ts'
import { C, testNode } from './testing/harness.ts'

const h = bytesToHex
const ANVIL = join(import.meta.dir, '../../node_modules/.bin/anvil')
const available = existsSync(ANVIL)
let proc: ReturnType<typeof Bun.spawn> | undefined
let url = ''

beforeAll(async () => {
  if (!available) return
  proc = Bun.spawn([ANVIL, '--port', '0', '--hardfork', 'prague', '--steps-tracing'], { stdout: 'pipe', stderr: 'ignore' })
  const reader = (proc.stdout as ReadableStream<Uint8Array>).getReader()
  let text = ''
  for (;;) {
    const { value, done } = await reader.read()
    if (done) throw new Error(`anvil exited: ${text}`)
    text += new TextDecoder().decode(value)
    const m = text.match(/Listening on [\d.]+:(\d+)/)
    if (m) {
      url = `http://127.0.0.1:${m[1]}`
      break
    }
  }
  reader.releaseLock()
})
afterAll(() => proc?.kill())

let id = 0
async function anvil(method: string, params: unknown[] = []): Promise<any> {
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params }) })
  return r.json()
}

/** geth's shape of an anvil struct log entry. */
function gethStep(s: Record<string, unknown>): Record<string, unknown> {
  const out = { ...s }
  if (out.refund === 0) delete out.refund
  if (Array.isArray(out.memory) && out.memory.length === 0) delete out.memory
  if (Array.isArray(out.memory)) out.memory = out.memory.map((w: string) => w.replace(/^0x/, ''))
  // geth prints memory and storage words with %x (no 0x), anvil with 0x
  if (out.storage) out.storage = Object.fromEntries(Object.entries(out.storage as Record<string, string>).map(([k, v]) => [k.replace(/^0x/, ''), v.replace(/^0x/, '')]))
  return out
}

function withoutCodeHash(o: Record<string, any>): Record<string, any> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, Object.fromEntries(Object.entries(v).filter(([f]) => f !== 'codeHash'))]))
}

describe.skipIf(!available)('cross-check with anvil', () => {
  test('traces, errors, access lists and receipts agree', async () => {
    const n = testNode()
    const from = h(n.accounts[0]!)
    await anvil('anvil_setBalance', [from, '0x' + (10n ** 22n).toString(16)])
    await anvil('anvil_impersonateAccount', [from])
    for (const [addr, code] of [[C.storeLog, STORE_LOG], [C.reverter, reverter('nope')], [C.forwarder, forwarder(C.storeLog)]] as const) await anvil('anvil_setCode', [h(addr), h(code)])
    const word = '0x' + '2a'.padStart(64, '0')
    const tx = { from, to: h(C.forwarder), input: word, gas: '0x30000', maxFeePerGas: '0x' + (10n ** 10n).toString(16), maxPriorityFeePerGas: '0x3b9aca00' }
    const ah = (await anvil('eth_sendTransaction', [tx])).result
    // anvil answers before its block is mined when it is busy: wait for the receipt
    for (let i = 0; i < 500 && !(await anvil('eth_getTransactionReceipt', [ah])).result; i++) await Bun.sleep(10)
    const mh = await n.call('eth_sendTransaction', [tx])

    for (const cfg of [{}, { enableMemory: true }, { disableStack: true }]) {
      const a = (await anvil('debug_traceTransaction', [ah, cfg])).result
      const m = await n.call('debug_traceTransaction', [mh, cfg])
      expect(m.structLogs.length).toBeGreaterThan(20)
      expect(m).toEqual({ ...a, structLogs: a.structLogs.map(gethStep) })
    }
    const ac = (await anvil('debug_traceTransaction', [ah, { tracer: 'callTracer', tracerConfig: { withLog: true } }])).result
    const mc = await n.call('debug_traceTransaction', [mh, { tracer: 'callTracer', tracerConfig: { withLog: true } }])
    ac.calls[0].logs.forEach((l: any) => delete l.index)
    expect({ ...mc, gas: ac.gas }).toEqual(ac)
    for (const cfg of [{}, { diffMode: true }]) {
      const ap = (await anvil('debug_traceTransaction', [ah, { tracer: 'prestateTracer', tracerConfig: cfg }])).result
      const mp = await n.call('debug_traceTransaction', [mh, { tracer: 'prestateTracer', tracerConfig: cfg }])
      if ('pre' in mp) {
        expect(withoutCodeHash(mp.pre)).toEqual(ap.pre)
        expect(Object.keys(mp.post).sort()).toEqual(Object.keys(ap.post).sort())
        expect(mp.post[h(C.storeLog)]).toEqual(ap.post[h(C.storeLog)])
      } else expect(withoutCodeHash(mp)).toEqual(ap)
    }
    expect(await n.fails('eth_call', [{ to: h(C.reverter) }])).toEqual((await anvil('eth_call', [{ to: h(C.reverter) }])).error)
    const al = { from, to: h(C.forwarder), input: word }
    expect(await n.call('eth_createAccessList', [al])).toEqual((await anvil('eth_createAccessList', [al])).result)
    const ar = (await anvil('eth_getTransactionReceipt', [ah])).result
    const mr = await n.call('eth_getTransactionReceipt', [mh])
    for (const k of ['status', 'cumulativeGasUsed', 'gasUsed', 'logsBloom', 'type', 'from', 'to', 'contractAddress', 'transactionIndex']) expect(mr[k]).toEqual(ar[k])
    expect(mr.logs.map((l: any) => [l.address, l.topics, l.data, l.logIndex])).toEqual(ar.logs.map((l: any) => [l.address, l.topics, l.data, l.logIndex]))
  }, 30_000)
})
