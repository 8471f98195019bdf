/**
 * Sends fuzzed calls (rpc-params.ts) to a node's HTTP JSON-RPC one at a time and checks each
 * answer: HTTP 200, a JSON-RPC 2.0 response with the request's id and either a result or an
 * error with an integer code, never -32603 (an internal error is an exception no parser
 * caught), and within ANSWER_MS. Shared by the bounded run in `make test` (rpc.test.ts) and
 * the timed one of `make fuzz` (run.ts).
 */
import { allMethods } from '../../src/rpc/methods/index.ts'
import type { Rng } from './decoder-targets.ts'
import { paramsFor } from './rpc-params.ts'

/** An answer slower than this is a finding: the node's own limits (evm timeout 5 s) come first. */
export const ANSWER_MS = 15_000

export interface RpcFinding {
  method: string
  body: string
  problem: string
}

export interface RpcFuzzStats {
  sent: number
  /** Answers by error code ('result' for a result). */
  codes: Map<string, number>
  findings: RpcFinding[]
}

export const emptyRpcStats = (): RpcFuzzStats => ({ sent: 0, codes: new Map(), findings: [] })

/** Every method of the RPC module, with the dev controls. */
export const FUZZ_METHODS = Object.keys(allMethods()).sort()

const clip = (s: string) => (s.length > 400 ? `${s.slice(0, 400)}… (${s.length} chars)` : s)

/** One fuzzed call of `method`; a problem goes into `stats.findings`. */
export async function fuzzCall(url: string, r: Rng, method: string, stats: RpcFuzzStats): Promise<void> {
  const id = stats.sent++
  const body = JSON.stringify({ jsonrpc: '2.0', id, method, params: paramsFor(r, method) })
  const found = (problem: string) => void stats.findings.push({ method, body: clip(body), problem })
  const began = performance.now()
  let status: number
  let text: string
  try {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(ANSWER_MS) })
    status = res.status
    text = await res.text()
  } catch (e) {
    return found(`no answer: ${String(e)}`)
  }
  const ms = performance.now() - began
  if (ms > ANSWER_MS) return found(`answered after ${ms.toFixed(0)} ms`)
  if (status !== 200) return found(`HTTP ${status}: ${clip(text)}`)
  let msg: { jsonrpc?: unknown; id?: unknown; result?: unknown; error?: { code?: unknown; message?: unknown } }
  try {
    msg = JSON.parse(text)
  } catch {
    return found(`not JSON: ${clip(text)}`)
  }
  if (msg.jsonrpc !== '2.0' || msg.id !== id) return found(`not a response to id ${id}: ${clip(text)}`)
  if (msg.error) {
    const code = msg.error.code
    if (!Number.isInteger(code)) return found(`error without an integer code: ${clip(text)}`)
    stats.codes.set(String(code), (stats.codes.get(String(code)) ?? 0) + 1)
    if (code === -32603) return found(`internal error: ${clip(String(msg.error.message))}`)
    return
  }
  if (!('result' in msg)) return found(`neither result nor error: ${clip(text)}`)
  stats.codes.set('result', (stats.codes.get('result') ?? 0) + 1)
}
