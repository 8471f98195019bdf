/**
 * The nodes the end-to-end tests talk to, each a child process on a free port: Mosaic's
 * execution profile (`bin/mosaic --profile execution --dev.memory --http.port 0`, the URL read
 * from its "HTTP server started" log line) and anvil (the peer, "Listening on" line). Both are
 * waited for until they answer eth_chainId; `stop()` kills the child and waits for its exit.
 */
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'

export const ROOT = join(import.meta.dir, '../..')
export const MOSAIC = join(ROOT, 'bin/mosaic')

/**
 * A Foundry tool's own binary (`@foundry-rs/<tool>-<platform>/bin/<tool>`): the npm wrapper in
 * node_modules/.bin does not pass the tool's exit status on, and killing it leaves the tool
 * running until it forwards the signal.
 */
function foundryBinary(tool: string): string {
  const dir = join(ROOT, 'node_modules/@foundry-rs')
  const pkg = existsSync(dir) ? readdirSync(dir).find((d) => d.startsWith(`${tool}-`) && existsSync(join(dir, d, 'bin', tool))) : undefined
  return pkg ? join(dir, pkg, 'bin', tool) : join(ROOT, 'node_modules/.bin', tool)
}

export const ANVIL = foundryBinary('anvil')
export const CAST = foundryBinary('cast')
export const MNEMONIC = 'test test test test test test test test test test test junk'
export const CHAIN_ID = 31337

export interface Child {
  readonly url: string
  readonly wsUrl: string
  /** Everything the child printed so far (for failure messages). */
  output(): string
  stop(): Promise<void>
}

/** Reads `stream` until `pattern` matches the text so far; the rest keeps being collected. */
async function waitFor(stream: ReadableStream<Uint8Array>, pattern: RegExp, log: { text: string }, what: string): Promise<RegExpMatchArray> {
  const reader = stream.getReader()
  const decoder = new TextDecoder()
  for (;;) {
    const { value, done } = await reader.read()
    if (done) throw new Error(`${what} exited before it was ready:\n${log.text}`)
    log.text += decoder.decode(value, { stream: true })
    const m = log.text.match(pattern)
    if (m) {
      // keep draining so a chatty child never blocks on a full pipe
      void (async () => {
        for (;;) {
          const r = await reader.read().catch(() => ({ done: true, value: undefined }))
          if (r.done) return
          if (log.text.length < 1_000_000) log.text += decoder.decode(r.value, { stream: true })
        }
      })()
      return m
    }
  }
}

async function rpcReady(url: string, what: string, proc: ReturnType<typeof Bun.spawn>): Promise<void> {
  for (let i = 0; ; i++) {
    if (proc.exitCode !== null) throw new Error(`${what} exited with ${proc.exitCode}`)
    try {
      const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}' })
      if (((await r.json()) as { result?: unknown }).result) return
    } catch {}
    if (i > 600) throw new Error(`${what} did not answer eth_chainId at ${url}`)
    await Bun.sleep(50)
  }
}

/** Children still running: killed when this process exits, whatever a test's afterAll did. */
const live = new Set<ReturnType<typeof Bun.spawn>>()
process.once('exit', () => {
  for (const p of live) p.kill('SIGKILL')
})

function spawn(cmd: string[], stdout: 'pipe' | 'ignore', stderr: 'pipe' | 'ignore'): ReturnType<typeof Bun.spawn> {
  const proc = Bun.spawn(cmd, { stdout, stderr, stdin: 'ignore' })
  live.add(proc)
  void proc.exited.then(() => live.delete(proc))
  return proc
}

function child(proc: ReturnType<typeof Bun.spawn>, url: string, wsUrl: string, log: { text: string }): Child {
  return {
    url,
    wsUrl,
    output: () => log.text,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM')
      const t = setTimeout(() => proc.kill('SIGKILL'), 10_000)
      await proc.exited
      clearTimeout(t)
    },
  }
}

/** Starts Mosaic's execution profile in memory on a free port. */
export async function startMosaic(extra: string[] = []): Promise<Child> {
  const proc = spawn([MOSAIC, '--profile', 'execution', '--dev.memory', '--http.port', '0', ...extra], 'ignore', 'pipe')
  const log = { text: '' }
  try {
    const m = await waitFor(proc.stderr as ReadableStream<Uint8Array>, /HTTP server started.*endpoint=(http:\/\/\S+)\s+ws=(ws:\/\/\S+)/, log, 'mosaic')
    await rpcReady(m[1]!, 'mosaic', proc)
    return child(proc, m[1]!, m[2]!, log)
  } catch (e) {
    proc.kill('SIGKILL')
    throw e
  }
}

/** Starts anvil on a free port with the dev chain's id, mnemonic and fork (Prague). */
export async function startAnvil(extra: string[] = []): Promise<Child> {
  const proc = spawn([ANVIL, '--port', '0', '--chain-id', String(CHAIN_ID), '--mnemonic', MNEMONIC, '--hardfork', 'prague', ...extra], 'pipe', 'ignore')
  const log = { text: '' }
  try {
    const m = await waitFor(proc.stdout as ReadableStream<Uint8Array>, /Listening on ([\d.]+):(\d+)/, log, 'anvil')
    const url = `http://127.0.0.1:${m[2]}`
    await rpcReady(url, 'anvil', proc)
    return child(proc, url, `ws://127.0.0.1:${m[2]}`, log)
  } catch (e) {
    proc.kill('SIGKILL')
    throw e
  }
}

let nextId = 0
/** One raw JSON-RPC call; returns the whole response object ({result} or {error}). */
export async function rpcRaw(url: string, method: string, params: unknown[] = []): Promise<{ result?: any; error?: { code: number; message: string; data?: unknown } }> {
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: ++nextId, method, params }) })
  return r.json() as Promise<any>
}

/** A JSON-RPC call that must succeed. */
export async function rpc(url: string, method: string, params: unknown[] = []): Promise<any> {
  const r = await rpcRaw(url, method, params)
  if (r.error) throw new Error(`${method} failed: ${r.error.code} ${r.error.message}`)
  return r.result
}
