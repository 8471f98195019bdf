/**
 * Processes for the cl-mock tests: `bin/mosaic` nodes in Engine API mode on a genesis file
 * (public RPC and Engine API on free loopback ports, read from the log), `bin/mosaic cl-mock`
 * runs with their output, genesis files for Cancun, Prague and Osaka with funded dev accounts,
 * and viem clients on a node's public RPC.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createPublicClient, createWalletClient, defineChain, http, type PublicClient } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { dev, DEV_PRIVATE_KEYS } from '../../src/chainspec/index.ts'
import { bytesToHex, type Hex } from '../../src/primitives/index.ts'
import type { Proc } from '../child-process.ts'
import { cancunGenesis, CHAIN_ID, startEngineMosaic } from '../engine/helpers.ts'

export const MOSAIC = join(import.meta.dir, '../../bin/mosaic')
export const SECRET_HEX = '42'.repeat(32)

/** A temporary directory with the JWT secret in it; `cleanup()` removes every one made. */
const dirs: string[] = []
export function workdir(): { dir: string; secretFile: string } {
  const dir = mkdtempSync(join(tmpdir(), 'mosaic-clmock-'))
  dirs.push(dir)
  const secretFile = join(dir, 'jwt.hex')
  writeFileSync(secretFile, SECRET_HEX)
  return { dir, secretFile }
}
export const cleanup = () => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true }))

const SYSTEM_CONTRACTS = ['0x000f3df6d732807ef1319fb7b8bb8522d0beac02', '0x0000f90827f1c53a10cb7a02335b175320002935', '0x00000961ef480eb55e80d19ad83579a64c007002', '0x0000bbddc7ce488642fb579f8b00f3a590007251']

/**
 * Cancun at genesis, Prague and Osaka at the times given; dev accounts 0–3 funded; from
 * Prague the system contracts (EIP-4788, 2935, 7002, 7251) predeployed as the dev chain has them.
 */
export function genesis(opts: { pragueTime?: number; osakaTime?: number } = {}): Record<string, unknown> {
  const g = cancunGenesis({ pragueTime: opts.pragueTime }) as { config: Record<string, unknown>; alloc: Record<string, unknown> }
  if (opts.osakaTime !== undefined) g.config.osakaTime = opts.osakaTime
  for (const key of DEV_PRIVATE_KEYS.slice(0, 4)) g.alloc[privateKeyToAccount(key as Hex).address.toLowerCase()] = { balance: '0x3635c9adc5dea00000' }
  if (opts.pragueTime !== undefined) {
    const alloc = dev.alloc()
    for (const a of SYSTEM_CONTRACTS) g.alloc[a] = { balance: '0x0', nonce: '0x1', code: bytesToHex(alloc.get(a)!.code) }
  }
  return g
}

export interface Node {
  proc: Proc
  rpcUrl: string
  engineUrl: string
  log: () => string
  stop(): Promise<number>
}

/** `bin/mosaic --chain genesis.json` in Engine API mode; resolves once both ports are logged. */
export async function startNode(genesisJson: unknown, name: string, work: { dir: string; secretFile: string }): Promise<Node> {
  const file = join(work.dir, `${name}-genesis.json`)
  writeFileSync(file, JSON.stringify(genesisJson))
  const { child, rpcUrl, engineUrl } = await startEngineMosaic({ genesisFile: file, secretFile: work.secretFile, datadir: join(work.dir, name) }, [], `mosaic ${name}`)
  return { proc: child.proc, rpcUrl, engineUrl, log: child.log, stop: child.stop }
}

export interface ClMockRun {
  proc: ReturnType<typeof Bun.spawn>
  /** The exit code and all of stderr once it ends. */
  done: Promise<{ code: number; log: string }>
}

/** `bin/mosaic cl-mock ARGS` (the secret and engine flags included by the caller). */
export function clMock(args: string[]): ClMockRun {
  const proc = Bun.spawn([MOSAIC, 'cl-mock', ...args], { stderr: 'pipe', stdout: 'pipe' })
  const done = (async () => {
    const [log, code] = await Promise.all([new Response(proc.stderr as ReadableStream).text(), proc.exited])
    return { code, log }
  })()
  return { proc, done }
}

/** The key=value fields of each log line with message `msg`. */
export function logLines(log: string, msg: string): Record<string, string>[] {
  return log
    .split('\n')
    .filter((l) => new RegExp(`\\] ${msg}\\s`).test(l))
    .map((l) => Object.fromEntries([...l.matchAll(/(\w+)=(\S+)/g)].map((m) => [m[1]!, m[2]!])))
}

export const chain = defineChain({ id: Number(CHAIN_ID), name: 'mosaic-test', nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [] } } })

export function viemClients(rpcUrl: string, keyIndex: number) {
  const account = privateKeyToAccount(DEV_PRIVATE_KEYS[keyIndex] as Hex)
  const transport = http(rpcUrl)
  return {
    account,
    wallet: createWalletClient({ account, chain, transport }),
    public: createPublicClient({ chain, transport, pollingInterval: 25 }) as PublicClient,
  }
}

export async function rpc<T = any>(url: string, method: string, params: unknown[] = []): Promise<T> {
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) })
  const body = (await r.json()) as { result?: T; error?: { message: string } }
  if (body.error) throw new Error(`${method}: ${body.error.message}`)
  return body.result as T
}

export const latest = (url: string) => rpc<{ hash: Hex; number: Hex; stateRoot: Hex }>(url, 'eth_getBlockByNumber', ['latest', false])

/** Polls until `url`'s head is `hash` (a follower catching up), or fails after `ms`. */
export async function waitForHead(url: string, hash: Hex, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms
  while ((await latest(url)).hash !== hash) {
    if (Date.now() > deadline) throw new Error(`${url} did not reach ${hash}`)
    await Bun.sleep(50)
  }
}
