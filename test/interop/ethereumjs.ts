/**
 * @ethereumjs/client 0.10.5 as a second execution client for the interop tests: where it is
 * installed (test/interop/ethereumjs-client, by `make deps`), a genesis both clients take, and
 * its processes — run with Node directly (`npx ethereumjs` would wrap it in a second process that
 * a kill leaves running), every socket held on loopback by the `--import` preload beside this
 * file (its RLPx and discovery sockets bind 0.0.0.0 whatever the flags say), its ports picked
 * free, its enode read from its log (the node key changes on every start), started and stopped
 * (SIGTERM, SIGKILL 10 s later) by test/child-process.ts.
 *
 * What its sync needs to know (facts of 0.10.5, see shared/notes/ethereumjs-client.md):
 * - it dials only peers it found through discv4 (`--bootnodes` and `admin_addPeer` both go
 *   through a discovery ping, to the bootnode's TCP port as UDP port): either Mosaic runs
 *   discovery (`bootnodes` here) or a Mosaic node with `--nodiscover` dials it (admin_addPeer);
 * - its sync starts on a newPayload of a block whose parent it lacks, not on forkchoiceUpdated;
 * - it guesses a peer's head from the last header it saw plus one block per 12 s of wall clock
 *   since that header's timestamp, and asks the peer for that number: a chain whose head is
 *   behind the clock makes it ask for blocks nobody has, and it waits 5 s and tries again. The
 *   chains it syncs here have timestamps ahead of the clock (`interopGenesis(now + …)`).
 */
import { existsSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { privateKeyToAccount } from 'viem/accounts'
import { DEV_PRIVATE_KEYS } from '../../src/chainspec/index.ts'
import { hexToBytes, type Hex } from '../../src/primitives/index.ts'
import { cancunGenesis } from '../engine/helpers.ts'
import { startChild } from '../child-process.ts'
import { clientProc, type NodeProc } from '../sync/nodes.ts'

export const ETHEREUMJS_DIR = join(import.meta.dir, 'ethereumjs-client')
export const ETHEREUMJS_CLI = join(ETHEREUMJS_DIR, 'node_modules/@ethereumjs/client/dist/esm/bin/cli.js')
export const LOOPBACK_PRELOAD = join(import.meta.dir, 'loopback-preload.mjs')

/** Whether `make deps` installed the client (and Node is there to run it). */
export const ethereumjsInstalled = (): boolean => existsSync(ETHEREUMJS_CLI) && Bun.which('node') !== null

/**
 * Cancun at genesis (the newest fork 0.10.5 has), the merge at genesis, the funded account of
 * test/engine and dev accounts 0–3, `timestamp` in seconds; with the fields that ethereumjs's
 * geth-genesis parser requires (nonce, terminalTotalDifficultyPassed, Cancun's blobSchedule).
 */
export function interopGenesis(timestamp: number): Record<string, unknown> {
  const g = cancunGenesis() as { config: Record<string, unknown>; alloc: Record<string, unknown> } & Record<string, unknown>
  for (const key of DEV_PRIVATE_KEYS.slice(0, 4)) g.alloc[privateKeyToAccount(key as Hex).address.toLowerCase()] = { balance: '0x3635c9adc5dea00000' }
  g.config.terminalTotalDifficultyPassed = true
  g.config.blobSchedule = { cancun: { target: 3, max: 6, baseFeeUpdateFraction: 3338477 } }
  g.timestamp = `0x${timestamp.toString(16)}`
  g.nonce = '0x0'
  g.extraData = '0x'
  g.mixHash = `0x${'00'.repeat(32)}`
  g.coinbase = `0x${'00'.repeat(20)}`
  return g
}

/** A TCP port free on loopback right now (ethereumjs takes no port 0). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number }
      s.close(() => resolve(port))
    })
  })
}

/** A running ethereumjs, with what a Mosaic node process offers the tests (its `log()`: what it printed on stdout). */
export type EthereumjsNode = Omit<NodeProc, 'datadir'>

export interface EthereumjsOptions {
  /** The genesis file; its name (without .json) is the network's, and so the data subfolder's. */
  genesisFile: string
  dataDir: string
  /** The JWT secret file (hex) of its Engine API. */
  secretFile: string
  /** `--isSingleNode`: a producer with no peers (else eth_sendRawTransaction wants a peer). */
  singleNode?: boolean
  /** Nodes to find through discv4 (`--bootnodes`, discv4 on; else no discovery at all). */
  bootnodes?: string[]
  /** Milliseconds to wait for start-up. */
  timeoutMs?: number
}

/** Starts the client; resolves once its RPC, Engine API and RLPx listener are up. */
export async function startEthereumjs(opts: EthereumjsOptions): Promise<EthereumjsNode> {
  const [p2p, rpcPort, enginePort] = [await freePort(), await freePort(), await freePort()]
  const args = [
    ...['--gethGenesis', opts.genesisFile, '--dataDir', opts.dataDir],
    ...['--rpc', '--rpcAddr', '127.0.0.1', '--rpcPort', String(rpcPort)],
    ...['--rpcEngine', '--rpcEngineAddr', '127.0.0.1', '--rpcEnginePort', String(enginePort), '--jwtSecret', opts.secretFile, '--rpcEngineAuth', 'true'],
    ...['--port', String(p2p), '--extIP', '127.0.0.1', '--discDns', 'false', '--logLevel', process.env.ETHEREUMJS_LOG_LEVEL ?? 'info'],
    ...(opts.bootnodes?.length ? ['--discV4', 'true', '--bootnodes', opts.bootnodes.join(',')] : ['--discV4', 'false']),
    ...(opts.singleNode ? ['--isSingleNode'] : []),
  ]
  // it logs on stdout (a start-up failure twice: logged there and thrown)
  const child = await startChild(['node', '--import', LOOPBACK_PRELOAD, ETHEREUMJS_CLI, ...args], {
    ready: { enode: /Server listener up transport=rlpx url=(enode:\/\/[0-9a-f]+@127\.0\.0\.1:\d+)/, started: /Client started successfully/ },
    read: 'stdout',
    timeoutMs: opts.timeoutMs ?? 30_000,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    name: 'ethereumjs',
  })
  const secret = hexToBytes(`0x${(await Bun.file(opts.secretFile).text()).trim().replace(/^0x/, '')}`)
  // kill(): a clean stop takes it about 8 s
  return clientProc(child, { rpcUrl: `http://127.0.0.1:${rpcPort}`, engineUrl: `http://127.0.0.1:${enginePort}`, enode: child.match.enode[1]! }, secret)
}

/** Writes `genesis` as `<dir>/<network>.json` (ethereumjs names the network after the file). */
export function writeGenesis(dir: string, network: string, genesis: unknown): string {
  const file = join(dir, `${network}.json`)
  writeFileSync(file, JSON.stringify(genesis))
  return file
}
