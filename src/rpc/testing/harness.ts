/**
 * A test node: FakeChain on the dev spec with funded test accounts and a few contracts, a real
 * pool, FakeDev, a signer, and the hono app; `call(method, params)` goes through app.request.
 */
import { dev as devSpec } from '../../chainspec/index.ts'
import { nextBaseFee } from '../../executor/index.ts'
import { hexToBytes, type Address } from '../../primitives/index.ts'
import { MemoryState } from '../../state/index.ts'
import { createTxPool, specRules } from '../../txpool/index.ts'
import { headerHash, type Header } from '../../types/index.ts'
import { createRpcApp } from '../app.ts'
import { DEFAULT_LIMITS, type RpcLimits } from '../context.ts'
import { createDispatcher } from '../dispatch.ts'
import { allMethods } from '../methods/index.ts'
import { createContext } from '../server.ts'
import { forwarder, LOOP, NEEDS_50K, reverter, STORE_LOG } from './contracts.ts'
import { FakeChain } from './fake-chain.ts'
import { FakeDev, fakeSigner, TEST_ACCOUNTS } from './fake-dev.ts'

export const ETH = 10n ** 18n
export const GWEI = 10n ** 9n
const a = (n: number): Address => hexToBytes('0xc0' + n.toString(16).padStart(38, '0'))
export const C = { storeLog: a(1), reverter: a(2), forwarder: a(3), needs50k: a(4), loop: a(5) }

export class RpcCallError extends Error {
  constructor(readonly code: number, message: string, readonly data?: unknown) {
    super(message)
  }
}

/** `devControls: false` leaves the dev controls out of the RPC context (a non-dev node); `dev` still mines. */
export function testNode(opts: { limits?: Partial<RpcLimits>; devControls?: boolean } = {}) {
  const state = new MemoryState()
  for (const acct of TEST_ACCOUNTS) state.setAccount(acct, { balance: 10_000n * ETH })
  state.setAccount(C.storeLog, { code: STORE_LOG })
  state.setAccount(C.reverter, { code: reverter('nope') })
  state.setAccount(C.forwarder, { code: forwarder(C.storeLog) })
  state.setAccount(C.needs50k, { code: NEEDS_50K })
  state.setAccount(C.loop, { code: LOOP })
  const chain = new FakeChain(devSpec, state)
  const pool = createTxPool({ head: () => ({ header: chain.head(), state: chain.headState() }), rules: specRules(devSpec) })
  const dev = new FakeDev(chain, pool)
  const signer = fakeSigner()
  const pending = {
    nextHeader(): Header {
      const h = chain.head()
      return { ...h, parentHash: headerHash(h), number: h.number + 1n, timestamp: h.timestamp + 12n, gasUsed: 0n, baseFeePerGas: nextBaseFee(h) }
    },
  }
  const ctx = createContext({ chain, pool, dev: opts.devControls === false ? undefined : dev, signer, pending }, { ...DEFAULT_LIMITS, ...opts.limits })
  const app = createRpcApp(createDispatcher(allMethods()), ctx)
  let id = 0
  const post = async (body: string, headers: Record<string, string> = { 'content-type': 'application/json' }): Promise<Response> =>
    app.request('/', { method: 'POST', headers, body })
  /** The parsed response to a raw body. */
  const postJson = async (body: string): Promise<any> => (await post(body)).json()
  const raw = async (method: string, params: unknown[] = []) => {
    const res = await post(JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params }))
    return (await res.json()) as { result?: unknown; error?: { code: number; message: string; data?: unknown } }
  }
  const call = async <T = any>(method: string, params: unknown[] = []): Promise<T> => {
    const r = await raw(method, params)
    if (r.error) throw new RpcCallError(r.error.code, r.error.message, r.error.data)
    return r.result as T
  }
  /** The error of a call that must fail. */
  const fails = async (method: string, params: unknown[] = []) => {
    const r = await raw(method, params)
    // a test assertion, not a runtime error
    if (!r.error) throw new Error(`${method} succeeded: ${JSON.stringify(r.result)}`)
    return r.error
  }
  return { chain, pool, dev, signer, ctx, app, post, postJson, raw, call, fails, accounts: TEST_ACCOUNTS }
}
