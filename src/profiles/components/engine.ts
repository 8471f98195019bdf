/**
 * The `engine` component: the Engine API (src/engine) on its own JWT-authenticated port, over
 * the chain, building payloads from the pool when there is one, answering getBlobs from a blob
 * source when there is one, and serving the spec's eth_ subset from the public RPC's handlers
 * (its context when the rpc component runs, so both see the same chain and pool). With the
 * sync component, a head it cannot reach (SYNCING) becomes sync's target, and a target whose
 * chain sync finds invalid is remembered as invalid (the consensus client then hears INVALID).
 *
 * Flags are geth's: --authrpc.addr, --authrpc.port, --authrpc.jwtsecret, --authrpc.vhosts. Request
 * limits mirror the public RPC's flags under the authrpc prefix (--authrpc.max-request-size,
 * --authrpc.batch-request-limit, --authrpc.batch-response-max-size): geth has none of these (its
 * auth port shares --rpc.batch-* and fixes the body at 128 MiB), but the Engine API's answers
 * (getBlobs, payload bodies) outgrow the public RPC's defaults, so the two are set apart. The
 * secret is read while configuring, so a bad file stops start-up before anything opens, with
 * one line naming the flag; without the flag `<datadir>/jwt.hex` is used, created when absent.
 */
import { bundleTop } from './bundles.ts'
import {
  createEngine,
  DEFAULT_AUTH_ADDR,
  DEFAULT_AUTH_PORT,
  DEFAULT_VHOSTS,
  ENGINE_LIMITS,
  loadJwtSecret,
  startEngineServer,
  type BlobReader,
  type Engine,
  type EngineLimits,
  type SidecarReader,
} from '../../engine/index.ts'
import { defineComponent, VERSION, type Logger, type OptionSpec } from '../../node/index.ts'
import { bytesToHex } from '../../primitives/index.ts'
import { createContext, serviceMethods, type CallListener } from '../../rpc/index.ts'

/** A pool's blobs by versioned hash, and their sidecars by transaction hash when kept apart. */
export type BlobSource = BlobReader & Partial<SidecarReader>

export interface EngineService {
  /** The in-process Engine API (the same handlers the port serves). */
  engine: Engine
  readonly url: string
  readonly port: number
  /** The JWT secret file the consensus client must be given. */
  readonly jwtSecretPath: string
  /** Called after each Engine API call (metrics); returns the unsubscribe function. */
  onCall(listener: CallListener): () => void
}

declare module '../../node/component.ts' {
  interface Services {
    engine: EngineService
    blobSource: BlobSource
  }
}

export interface EngineConfig {
  addr: string
  port: number
  vhosts: string[]
  secret: Uint8Array
  secretPath: string
  /** The secret file was created now. */
  generated: boolean
  limits: Partial<EngineLimits>
  log?: Logger
}

export const engineOptions: OptionSpec[] = [
  { flag: 'authrpc.addr', type: 'string', section: 'engine', key: 'addr', help: `Engine API listening interface (default ${DEFAULT_AUTH_ADDR})` },
  { flag: 'authrpc.port', type: 'int', section: 'engine', key: 'port', min: 0, max: 65535, help: `Engine API port (default ${DEFAULT_AUTH_PORT}; 0: any free port)` },
  { flag: 'authrpc.jwtsecret', type: 'string', section: 'engine', key: 'jwtSecret', help: 'file with the 32-byte hex JWT secret shared with the consensus client (default: <datadir>/jwt.hex, created when absent)' },
  { flag: 'authrpc.vhosts', type: 'list', section: 'engine', key: 'vhosts', help: `Host names the Engine API accepts (* for any; default ${DEFAULT_VHOSTS.join(',')})` },
  { flag: 'authrpc.max-request-size', type: 'int', section: 'engine.limits', key: 'maxBodyBytes', min: 1, help: `bytes of an Engine API request body (default ${ENGINE_LIMITS.maxBodyBytes}; larger: HTTP 413)` },
  { flag: 'authrpc.batch-request-limit', type: 'int', section: 'engine.limits', key: 'maxBatch', min: 1, help: `calls per Engine API batch (default ${ENGINE_LIMITS.maxBatch}; more: -32600)` },
  {
    flag: 'authrpc.batch-response-max-size',
    type: 'int',
    section: 'engine.limits',
    key: 'maxBatchResponseBytes',
    min: 1,
    help: `bytes of an Engine API batch response (default ${ENGINE_LIMITS.maxBatchResponseBytes}; later calls: response too large)`,
  },
]

/** Whether the engine section names an Engine API port or secret (the execution profile then serves it). */
export function engineRequested(section: Record<string, unknown> | undefined): boolean {
  return section?.port !== undefined || section?.jwtSecret !== undefined
}

export const engineComponent = defineComponent({
  provides: 'engine',
  requires: ['chain'],
  optional: ['txpool', 'blobSource', 'rpc', 'sync', 'bundles'],
  description: 'the Engine API on its own JWT-authenticated port: newPayload, forkchoiceUpdated, getPayload (built from the pool), blobs, the eth_ subset',
  options: engineOptions,
  configure(s, ctx): EngineConfig {
    const e = s.engine ?? {}
    const jwt = loadJwtSecret({ file: e.jwtSecret as string | undefined, datadir: ctx.datadir() })
    return {
      addr: (e.addr as string | undefined) ?? DEFAULT_AUTH_ADDR,
      port: (e.port as number | undefined) ?? DEFAULT_AUTH_PORT,
      vhosts: (e.vhosts as string[] | undefined) ?? [...DEFAULT_VHOSTS],
      secret: jwt.secret,
      secretPath: jwt.path,
      generated: jwt.generated,
      limits: (s['engine.limits'] ?? {}) as Partial<EngineLimits>,
      log: ctx.log.with({ component: 'engine' }),
    }
  },
  create({ chain, txpool, blobSource, rpc, sync, bundles }, c) {
    const log = c.log
    // the blobpool component's source, else the pool's own blob lookups
    const blobs: BlobSource | undefined = blobSource ?? txpool
    const engine = createEngine({
      chain,
      pool: txpool,
      blobs,
      sidecars: blobs?.sidecarOf ? (blobs as SidecarReader) : undefined,
      version: VERSION,
      build: { top: bundleTop(bundles, log) },
      onPayload: (block, hash, s) =>
        s.status === 'VALID'
          ? log?.info('New payload', { number: block.header.number, txs: block.transactions.length, gas: block.header.gasUsed, hash: bytesToHex(hash) })
          : log?.warn('New payload not valid', { number: block.header.number, hash: bytesToHex(hash), status: s.status, error: s.validationError ?? undefined }),
      onHead: (head, hash) => log?.info('Chain head was updated', { number: head.number, hash: bytesToHex(hash) }),
      onBuildError: (err) => log?.warn('Payload rebuild failed', { error: err instanceof Error ? err.message : String(err) }),
      // a head the chain cannot reach becomes the sync target when the node syncs from peers
      onSyncTarget: sync && ((t) => sync.setTarget(t)),
    })
    // a synced chain that fails import: its bad block and descendants answer INVALID from now on
    const offInvalid = sync?.onInvalid((bad) => engine.markInvalid(bad))
    // the eth_ subset with the public RPC's context, or one of its own over the same services
    const own = rpc ? undefined : createContext({ chain, pool: txpool })
    const eth = { methods: serviceMethods({ dev: false, pool: !!txpool }), context: rpc?.ctx ?? own! }
    let server
    try {
      server = startEngineServer({ addr: c.addr, port: c.port, vhosts: c.vhosts, limits: c.limits, secret: c.secret, methods: engine.methods, eth, ordered: () => false })
    } catch (err) {
      offInvalid?.()
      engine.stop()
      own?.filters.close()
      throw err
    }
    log?.info(c.generated ? 'Generated JWT secret' : 'Loaded JWT secret file', { path: c.secretPath })
    log?.info('Engine API started', { endpoint: server.url, vhosts: c.vhosts.join(',') })
    const service: EngineService = { engine, url: server.url, port: server.port, jwtSecretPath: c.secretPath, onCall: server.onCall }
    return {
      service,
      async stop() {
        offInvalid?.()
        engine.stop()
        own?.filters.close()
        await server.stop()
      },
    }
  },
})
