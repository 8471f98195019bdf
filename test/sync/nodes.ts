/**
 * Helpers for the sync tests: node-profile processes on the dev chain or a genesis file
 * (`bin/mosaic --profile node --chain dev`, every port picked by the OS, p2p on loopback, no
 * discovery), their endpoints read from the
 * start-up log, an Engine API client with the node's generated JWT secret, and a dev chain of
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

/** Starts the node profile on `datadir` (`chain`: a name or a genesis file); resolves once RPC, the Engine API and p2p are up. */
export async function startNode(datadir: string, extra: string[] = [], chain = 'dev'): Promise<NodeProc> {
  const child = await startChild([MOSAIC, '--profile', 'node', '--chain', chain, '--datadir', datadir, '--http.port', '0', '--authrpc.port', '0', '--port', '0', '--addr', '127.0.0.1', '--nodiscover', ...extra], {
    ready: { ...ENDPOINTS, enode: /enode="?(enode:\/\/[0-9a-f]+@[\d.]+:\d+)/ },
    timeoutMs: 20_000,
    env: { ...process.env, NO_COLOR: '1' },
    name: 'node',
  })
  const secret = hexToBytes(readFileSync(join(datadir, 'jwt.hex'), 'utf8').trim() as `0x${string}`)
  return { datadir, ...clientProc(child, { rpcUrl: child.match.rpc[1]!, engineUrl: child.match.engine[1]!, enode: child.match.enode[1]! }, secret) }
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

/** engine_forkchoiceUpdatedV3 naming `head`; returns the payload status. */
export async function forkchoice(node: NodeProc, head: string): Promise<string> {
  const r = await node.engine().call<{ payloadStatus: { status: string } }>('engine_forkchoiceUpdatedV3', [{ headBlockHash: head, safeBlockHash: head, finalizedBlockHash: ZERO }, null])
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
