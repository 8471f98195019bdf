/**
 * Helpers for the sync tests: node-profile processes on the dev chain (`bin/mosaic --profile
 * node --chain dev`, every port picked by the OS, no discovery; stderr piped, or a pseudo-terminal
 * from util-linux `script`), their endpoints read from the start-up log, an Engine API client with the node's generated JWT secret, and a dev chain of
 * transfer blocks exported as an RLP file and imported into a data directory by `mosaic import`.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createEngineClient, type EngineClient } from '../../src/engine/index.ts'
import { hexToBytes } from '../../src/primitives/index.ts'
import { devChain, mosaic, writeBlocks, MOSAIC, type DevChain } from '../chain/block-files.ts'

export interface NodeProc {
  datadir: string
  rpcUrl: string
  engineUrl: string
  enode: string
  proc: ReturnType<typeof Bun.spawn>
  /** Everything it logged so far. */
  log(): string
  engine(): EngineClient
  kill(signal?: 'SIGKILL' | 'SIGTERM'): Promise<void>
}

const dirs: string[] = []
export function tmpDir(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), prefix))
  dirs.push(d)
  return d
}
export const removeDirs = () => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true }))

const live = new Set<(signal: 'SIGKILL' | 'SIGTERM') => void>()
process.once('exit', () => live.forEach((kill) => kill('SIGKILL')))

export interface StartOptions {
  /** Environment over the test's own (a key set to undefined is removed); NO_COLOR=1 unless given. */
  env?: Record<string, string | undefined>
  /** Run on a pseudo-terminal (`script -qfec`): stderr is a TTY, the log is what the terminal shows. */
  tty?: boolean
}

/** Starts the node profile on `datadir`; resolves once RPC, the Engine API and p2p are up. */
export async function startNode(datadir: string, extra: string[] = [], opts: StartOptions = {}): Promise<NodeProc> {
  const argv = [MOSAIC, '--profile', 'node', '--chain', 'dev', '--datadir', datadir, '--http.port', '0', '--authrpc.port', '0', '--port', '0', '--nodiscover', ...extra]
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries({ ...process.env, NO_COLOR: '1', ...opts.env })) if (v !== undefined) env[k] = v
  // on a terminal the node runs under `script`, which does not pass signals on: the node's pid is written first
  const pidFile = opts.tty ? join(tmpDir('mosaic-tty-'), 'pid') : undefined
  const command = pidFile ? ['script', '-qfec', `echo $$ > '${pidFile}'; exec ${argv.map((a) => `'${a}'`).join(' ')}`, '/dev/null'] : argv
  const proc = Bun.spawn(command, { stdout: pidFile ? 'pipe' : 'ignore', stderr: pidFile ? 'ignore' : 'pipe', stdin: 'ignore', env })
  const signal = (sig: 'SIGKILL' | 'SIGTERM') => {
    if (!pidFile) return proc.kill(sig)
    try {
      process.kill(Number(readFileSync(pidFile, 'utf8').trim()), sig)
    } catch {} // not started yet, or gone already
  }
  live.add(signal)
  void proc.exited.then(() => live.delete(signal))
  const text = { v: '' }
  const reader = ((pidFile ? proc.stdout : proc.stderr) as ReadableStream<Uint8Array>).getReader()
  const decoder = new TextDecoder()
  void (async () => {
    for (;;) {
      const r = await reader.read().catch(() => ({ done: true as const, value: undefined }))
      if (r.done) return
      text.v += decoder.decode(r.value, { stream: true })
    }
  })()
  const deadline = Date.now() + 20_000
  let m: { rpc?: string; engine?: string; enode?: string } = {}
  while (Date.now() < deadline) {
    m = {
      rpc: text.v.match(/HTTP server started.*endpoint=(http:\/\/\S+)/)?.[1],
      engine: text.v.match(/Engine API started.*endpoint=(http:\/\/\S+)/)?.[1],
      enode: text.v.match(/enode="?(enode:\/\/[0-9a-f]+@[\d.]+:\d+)/)?.[1],
    }
    if (m.rpc && m.engine && m.enode) break
    if (proc.exitCode !== null) throw new Error(`node exited ${proc.exitCode}:\n${text.v}`)
    await Bun.sleep(20)
  }
  if (!m.rpc || !m.engine || !m.enode) {
    signal('SIGKILL')
    throw new Error(`node did not start:\n${text.v}`)
  }
  const secret = hexToBytes(readFileSync(join(datadir, 'jwt.hex'), 'utf8').trim() as `0x${string}`)
  return {
    datadir,
    rpcUrl: m.rpc,
    engineUrl: m.engine,
    enode: m.enode,
    proc,
    log: () => text.v,
    engine: () => createEngineClient({ url: m.engine!, secret }),
    async kill(sig = 'SIGTERM') {
      if (proc.exitCode === null && proc.signalCode === null) signal(sig)
      const t = setTimeout(() => signal('SIGKILL'), 10_000)
      await proc.exited
      clearTimeout(t)
    },
  }
}

let id = 0
export async function rpc(url: string, method: string, params: unknown[] = []): Promise<any> {
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params }) })
  const body = (await r.json()) as { result?: unknown; error?: { message: string } }
  if (body.error) throw new Error(`${method}: ${body.error.message}`)
  return body.result
}

/** A dev chain of `n` blocks with transfers, imported into a fresh data directory by `mosaic import`. */
export async function seededDatadir(n: number, txs = 4): Promise<{ datadir: string; dev: DevChain }> {
  const dev = devChain(n, txs)
  const dir = tmpDir('mosaic-sync-a-')
  const file = join(dir, 'chain.rlp')
  writeBlocks(file, dev.blocks)
  const datadir = join(dir, 'data')
  const r = await mosaic(['import', '--chain', 'dev', '--datadir', datadir, file])
  if (r.code !== 0) throw new Error(`mosaic import failed: ${r.stderr}`)
  return { datadir, dev }
}

export const ZERO = `0x${'00'.repeat(32)}`

/** engine_forkchoiceUpdatedV3 naming `head` (safe: the head, finalized: none, unless given); returns the payload status. */
export async function forkchoice(node: NodeProc, head: string, marks: { safe?: string; finalized?: string } = {}): Promise<string> {
  const state = { headBlockHash: head, safeBlockHash: marks.safe ?? head, finalizedBlockHash: marks.finalized ?? ZERO }
  const r = await node.engine().call<{ payloadStatus: { status: string } }>('engine_forkchoiceUpdatedV3', [state, null])
  return r.payloadStatus.status
}

/** Polls until `cond` holds (or throws after `ms`). */
export async function until(cond: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms
  while (Date.now() < deadline) {
    if (await cond()) return
    await Bun.sleep(25)
  }
  throw new Error(`timeout: ${what}`)
}
