/**
 * The nodes the end-to-end tests talk to, each a child process on a free port: Mosaic's
 * execution profile (`bin/mosaic --profile execution --dev.memory --http.port 0`, the URL read
 * from its "HTTP server started" log line) and anvil (the peer, "Listening on" line). Both are
 * waited for until they answer eth_chainId; `stop()` kills the child and waits for its exit.
 */
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { startChild, type Proc } from '../child-process.ts'

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
export const FORGE = foundryBinary('forge')
export const MNEMONIC = 'test test test test test test test test test test test junk'
export const CHAIN_ID = 31337

export interface Child {
  readonly url: string
  readonly wsUrl: string
  /** Everything the child printed so far (for failure messages). */
  output(): string
  /** SIGTERM (SIGKILL 10 s later); the exit code. */
  stop(): Promise<number>
}

async function rpcReady(url: string, what: string, proc: Proc): Promise<void> {
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

/**
 * Starts `cmd`, reads `stream` until `pattern` matches (the rest keeps being collected, up to
 * 1 MB), and waits for eth_chainId at the URL `urls` makes of the match; SIGKILLed if that fails.
 */
async function start(cmd: string[], stream: 'stdout' | 'stderr', pattern: RegExp, urls: (m: RegExpMatchArray) => [string, string], what: string): Promise<Child> {
  const child = await startChild(cmd, { ready: { pattern }, read: stream, name: what, maxLog: 1_000_000 })
  const [url, wsUrl] = urls(child.match.pattern)
  try {
    await rpcReady(url, what, child.proc)
  } catch (e) {
    child.proc.kill('SIGKILL')
    throw e
  }
  return { url, wsUrl, output: child.log, stop: () => child.stop() }
}

const MOSAIC_READY = /HTTP server started.*endpoint=(http:\/\/\S+)\s+ws=(ws:\/\/\S+)/

/** Starts Mosaic's execution profile in memory on a free port. */
export async function startMosaic(extra: string[] = []): Promise<Child> {
  const cmd = [MOSAIC, '--profile', 'execution', '--dev.memory', '--http.port', '0', ...extra]
  return start(cmd, 'stderr', MOSAIC_READY, (m) => [m[1]!, m[2]!], 'mosaic')
}

/** Starts Mosaic's execution profile on the chain stored in `datadir`, on a free port. */
export async function startMosaicAt(datadir: string, extra: string[] = []): Promise<Child> {
  const cmd = [MOSAIC, '--profile', 'execution', '--datadir', datadir, '--http.port', '0', ...extra]
  return start(cmd, 'stderr', MOSAIC_READY, (m) => [m[1]!, m[2]!], 'mosaic')
}

/**
 * Base fee of block 1 under EIP-1559 from Mosaic's genesis (1 gwei, no gas used): 7/8 gwei.
 * anvil gives its first block the configured base fee instead of deriving it from the genesis,
 * so it starts with this value to agree from block 1 on.
 */
export const BLOCK1_BASE_FEE = 875_000_000n

/**
 * anvil flags that make its chain match Mosaic's dev chain block for block: genesis time 0,
 * block 1's base fee under EIP-1559 from Mosaic's 1 gwei genesis (7/8 gwei: anvil gives its
 * first block the configured fee instead of deriving it), the gas limit, no CREATE2 deployer.
 */
export const ANVIL_AS_MOSAIC = ['--timestamp', '0', '--block-base-fee-per-gas', String(BLOCK1_BASE_FEE), '--gas-limit', '30000000', '--disable-default-create2-deployer']

/** Whether anvil is installed; the differential test `what` is skipped, with a warning, when not. */
export function anvilAvailable(what: string): boolean {
  const ok = existsSync(ANVIL)
  if (!ok) console.warn(`anvil not found at ${ANVIL}: ${what} skipped`)
  return ok
}

/** Mosaic's dev node and an anvil matching it (ANVIL_AS_MOSAIC), for the differential tests. */
export const startMosaicAndAnvil = (): Promise<[Child, Child]> => Promise.all([startMosaic(['--timestamp', '0']), startAnvil(ANVIL_AS_MOSAIC)])

/** Starts anvil on a free port with the dev chain's id, mnemonic and fork (Prague). */
export async function startAnvil(extra: string[] = []): Promise<Child> {
  const cmd = [ANVIL, '--port', '0', '--chain-id', String(CHAIN_ID), '--mnemonic', MNEMONIC, '--hardfork', 'prague', ...extra]
  return start(cmd, 'stdout', /Listening on ([\d.]+):(\d+)/, (m) => [`http://127.0.0.1:${m[2]}`, `ws://127.0.0.1:${m[2]}`], 'anvil')
}

let nextId = 0
/** One raw JSON-RPC call; returns the whole response object ({result} or {error}). */
export async function rpcRaw(url: string, method: string, params: unknown[] = []): Promise<{ result?: any; error?: { code: number; message: string; data?: unknown } }> {
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: ++nextId, method, params }) })
  return r.json() as Promise<any>
}

/** One batch of calls that must all succeed; the results in order. */
export async function rpcBatch(url: string, calls: [method: string, params: unknown[]][]): Promise<any[]> {
  const body = calls.map(([method, params]) => ({ jsonrpc: '2.0', id: ++nextId, method, params }))
  const r = (await (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json()) as { id: number; result?: unknown; error?: { code: number; message: string } }[]
  const byId = new Map(r.map((x) => [x.id, x]))
  return body.map(({ id, method }) => {
    const x = byId.get(id)
    if (!x || x.error) throw new Error(`${method} failed: ${x ? `${x.error!.code} ${x.error!.message}` : 'no answer'}`)
    return x.result
  })
}

/** A JSON-RPC call that must succeed. */
export async function rpc(url: string, method: string, params: unknown[] = []): Promise<any> {
  const r = await rpcRaw(url, method, params)
  if (r.error) throw new Error(`${method} failed: ${r.error.code} ${r.error.message}`)
  return r.result
}
