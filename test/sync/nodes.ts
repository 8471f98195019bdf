/**
 * Helpers for the sync tests: node-profile processes on the dev chain or a genesis file
 * (`bin/mosaic --profile node --chain dev`, every port picked by the OS, p2p on loopback, no
 * discovery; stderr piped, or a pseudo-terminal from util-linux `script`), their endpoints read
 * from the start-up log, an Engine API client with the node's generated JWT secret, and a dev chain of
 * transfer blocks exported as an RLP file and imported into a data directory by `mosaic import`.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createEngineClient, type EngineClient } from '../../src/engine/index.ts'
import { hexToBytes } from '../../src/primitives/index.ts'
import { devChain, mosaic, writeBlocks, MOSAIC, type DevChain } from '../chain/block-files.ts'
import { startChild, type Proc, type Spawned } from '../child-process.ts'
import { ENDPOINTS } from '../engine/helpers.ts'

export interface NodeProc {
  datadir: string
  rpcUrl: string
  engineUrl: string
  enode: string
  proc: Proc
  /** Everything it logged so far. */
  log(): string
  engine(): EngineClient
  /** `signal` (SIGTERM), SIGKILL 10 s later if it still runs; the exit code. */
  kill(signal?: 'SIGKILL' | 'SIGTERM'): Promise<number>
}

const dirs: string[] = []
export function tmpDir(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), prefix))
  dirs.push(d)
  return d
}
export const removeDirs = () => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true }))

export interface StartOptions {
  /** A chain name or a genesis file (default dev). */
  chain?: string
  /** Environment over the test's own (a key set to undefined is removed); NO_COLOR=1 unless given. */
  env?: Record<string, string | undefined>
  /** Run on a pseudo-terminal (`script -qfec`): stderr is a TTY, the log is what the terminal shows. */
  tty?: boolean
}

/** Nodes under `script`, signalled by pid (script does not pass signals on): killed when the tests exit. */
const ttyNodes = new Set<(signal: 'SIGKILL' | 'SIGTERM') => void>()
process.once('exit', () => ttyNodes.forEach((kill) => kill('SIGKILL')))

/** Starts the node profile on `datadir`; resolves once RPC, the Engine API and p2p are up. */
export async function startNode(datadir: string, extra: string[] = [], opts: StartOptions = {}): Promise<NodeProc> {
  const argv = [MOSAIC, '--profile', 'node', '--chain', opts.chain ?? 'dev', '--datadir', datadir, '--http.port', '0', '--authrpc.port', '0', '--port', '0', '--addr', '127.0.0.1', '--nodiscover', ...extra]
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries({ ...process.env, NO_COLOR: '1', ...opts.env })) if (v !== undefined) env[k] = v
  // on a terminal the node runs under `script`, which does not pass signals on: the node's pid is written first
  const pidFile = opts.tty ? join(tmpDir('mosaic-tty-'), 'pid') : undefined
  const command = pidFile ? ['script', '-qfec', `echo $$ > '${pidFile}'; exec ${argv.map((a) => `'${a}'`).join(' ')}`, '/dev/null'] : argv
  const child = await startChild(command, {
    ready: { ...ENDPOINTS, enode: /enode="?(enode:\/\/[0-9a-f]+@[\d.]+:\d+)/ },
    read: pidFile ? 'stdout' : 'stderr',
    timeoutMs: 20_000,
    env,
    name: 'node',
  })
  const secret = hexToBytes(readFileSync(join(datadir, 'jwt.hex'), 'utf8').trim() as `0x${string}`)
  const node = { datadir, ...clientProc(child, { rpcUrl: child.match.rpc[1]!, engineUrl: child.match.engine[1]!, enode: child.match.enode[1]! }, secret) }
  if (pidFile) {
    const signal = (sig: 'SIGKILL' | 'SIGTERM') => {
      try {
        process.kill(Number(readFileSync(pidFile, 'utf8').trim()), sig)
      } catch {} // gone already
    }
    ttyNodes.add(signal)
    void child.proc.exited.then(() => ttyNodes.delete(signal))
    node.kill = async (sig = 'SIGTERM') => {
      if (child.proc.exitCode === null && child.proc.signalCode === null) signal(sig)
      const t = setTimeout(() => signal('SIGKILL'), 10_000)
      const code = await child.proc.exited
      clearTimeout(t)
      return code
    }
  }
  return node
}

/** A started execution client (Mosaic or another) as the tests handle it: its endpoints, log, an Engine API client with `secret`, stop. */
export function clientProc(child: Pick<Spawned<string>, 'proc' | 'log' | 'stop'>, at: { rpcUrl: string; engineUrl: string; enode: string }, secret: Uint8Array): Omit<NodeProc, 'datadir'> {
  return { ...at, proc: child.proc, log: child.log, engine: () => createEngineClient({ url: at.engineUrl, secret }), kill: (signal = 'SIGTERM') => child.stop(signal) }
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
