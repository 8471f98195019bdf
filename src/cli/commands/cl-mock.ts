/**
 * `mosaic cl-mock`: a stand-in consensus client for one machine. It drives any Engine API
 * client (Mosaic, geth, reth, besu...) the way a beacon node does, using only the Engine API
 * and the eth_ subset its port serves, so it is also a test of it:
 *
 * - by default its own slots (cl-mock/slots.ts): forkchoiceUpdated with attributes,
 *   getPayload, newPayload, forkchoiceUpdated to the new head, safe and finalized trailing by
 *   one and two epochs;
 * - with `--follow URL`, another node's head mirrored into the target (cl-mock/follow.ts).
 *
 * Versions by fork: from `--chain` when given, else learned from the target's -38005 answers
 * (cl-mock/forks.ts). It stops after `--blocks N` or on SIGINT/SIGTERM (after the current
 * slot), and a failure is one line naming its fix (cl-mock/errors.ts).
 */
import { readFileSync } from 'node:fs'
import { createEngineClient, parseJwtSecret } from '../../engine/index.ts'
import { createLogger, resolveChainSpec } from '../../node/index.ts'
import { parseAddress, type Hex } from '../../primitives/index.ts'
import { parseArgs } from '../args.ts'
import { UsageError, type Command } from '../command.ts'
import type { Peer } from './cl-mock/chain-view.ts'
import { ClMockError } from './cl-mock/errors.ts'
import { runFollow } from './cl-mock/follow.ts'
import { knownSchedule, probedSchedule } from './cl-mock/forks.ts'
import { runSlots, type RunControl } from './cl-mock/slots.ts'
import { processChainDeps, stringFlag, type ChainCommandDeps } from './import-export.ts'

const USAGE = `Usage: mosaic cl-mock --engine URL --jwtsecret FILE [OPTIONS]

A stand-in consensus client: drives an execution client's Engine API as a beacon node does.
Each slot: engine_forkchoiceUpdated with payload attributes, engine_getPayload,
engine_newPayload, engine_forkchoiceUpdated to the new head (safe and finalized 32 and 64
blocks behind). Starts from the engine's current head; logs one line per slot.

Options:
  --engine URL          the Engine API endpoint (e.g. http://127.0.0.1:8551)
  --jwtsecret FILE      the 32-byte hex secret the execution client was given
  --slot-time SECONDS   seconds per slot (default 12; 0: as fast as possible; below 1,
                        timestamps step by one second)
  --blocks N            stop after N blocks (default: run until SIGINT/SIGTERM)
  --withdrawals         from Shanghai, four synthetic withdrawals per block (default none)
  --blobs               check each payload's blobs bundle against its blob transactions
  --fee-recipient ADDR  suggestedFeeRecipient (default the zero address)
  --chain NAME|GENESIS  the chain's fork schedule (default: learned from the engine's
                        -38005 Unsupported fork answers)
  --follow URL          instead of building, mirror the head of the node whose public
                        JSON-RPC is at URL (it must serve debug_getRawBlock); --blocks counts
                        blocks fed, --slot-time (at most 1 s) is the poll interval

Exit code: 0 done or stopped by a signal, 1 error (the engine unreachable, a refused JWT, a
payload it did not accept), 2 usage error.`

const POLL_MAX_MS = 1000
const POLL_MIN_MS = 20

function numberFlag(flags: Map<string, string | true>, name: string, opts: { integer?: boolean; min: number }): number | undefined {
  const v = stringFlag(flags, name)
  if (v === undefined) return undefined
  const n = Number(v)
  if (v.trim() === '' || !Number.isFinite(n) || n < opts.min || (opts.integer && !Number.isInteger(n))) throw new UsageError(`--${name} must be ${opts.integer ? 'a whole number' : 'a number'} of at least ${opts.min}, not ${JSON.stringify(v)}`)
  return n
}

function urlFlag(flags: Map<string, string | true>, name: string): string | undefined {
  const v = stringFlag(flags, name)
  if (v === undefined) return undefined
  let u: URL
  try {
    u = new URL(v)
  } catch {
    throw new UsageError(`--${name} must be an http(s) URL, not ${JSON.stringify(v)}`)
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new UsageError(`--${name} must be an http(s) URL, not ${JSON.stringify(v)}`)
  return v
}

function readSecret(file: string): Uint8Array {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (err) {
    throw new ClMockError(`cannot read the JWT secret ${file} (--jwtsecret): ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`)
  }
  const secret = parseJwtSecret(text)
  if (!secret) throw new ClMockError(`the JWT secret ${file} (--jwtsecret) is not 32 bytes of hex`)
  return secret
}

/** Stops on SIGINT/SIGTERM: the current slot ends, sleeps end at once. */
function runControl(deps: ChainCommandDeps, log: RunControl['log']): RunControl & { dispose(): void } {
  let stopped = false
  const wakers = new Set<() => void>()
  const off = deps.onInterrupt(() => {
    if (!stopped) log.info('Stopping after the current slot')
    stopped = true
    for (const w of wakers) w()
  })
  return {
    stopped: () => stopped,
    now: () => Date.now(),
    log,
    sleep: (ms) =>
      new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(t)
          wakers.delete(done)
          resolve()
        }
        const t = setTimeout(done, ms)
        wakers.add(done)
      }),
    dispose: off,
  }
}

export async function runClMock(args: string[], deps: ChainCommandDeps = processChainDeps): Promise<number> {
  const { flags, positional } = parseArgs(args, {
    values: ['engine', 'jwtsecret', 'slot-time', 'blocks', 'fee-recipient', 'follow', 'chain'],
    booleans: ['withdrawals', 'blobs'],
  })
  if (positional.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positional[0])}`)
  const url = urlFlag(flags, 'engine')
  if (!url) throw new UsageError('give the Engine API endpoint with --engine URL')
  const secretFile = stringFlag(flags, 'jwtsecret')
  if (!secretFile) throw new UsageError('give the JWT secret file with --jwtsecret FILE')
  const slotTime = numberFlag(flags, 'slot-time', { min: 0 }) ?? 12
  const blocks = numberFlag(flags, 'blocks', { integer: true, min: 1 })
  const follow = urlFlag(flags, 'follow')
  const feeFlag = stringFlag(flags, 'fee-recipient')
  let feeRecipient = `0x${'00'.repeat(20)}` as Hex
  if (feeFlag !== undefined) {
    try {
      feeRecipient = `0x${parseAddress(feeFlag).toHex()}` as Hex
    } catch {
      throw new UsageError(`--fee-recipient must be a 20-byte hex address, not ${JSON.stringify(feeFlag)}`)
    }
  }
  const chainFlag = stringFlag(flags, 'chain')
  if (follow && (flags.has('withdrawals') || flags.has('blobs') || feeFlag !== undefined || chainFlag)) throw new UsageError('--follow feeds the followed node\'s blocks as they are: --withdrawals, --blobs, --fee-recipient and --chain do not apply')
  const schedule = chainFlag ? knownSchedule(resolveChainSpec(chainFlag, undefined)) : probedSchedule()

  const engine: Peer = { client: createEngineClient({ url, secret: readSecret(secretFile) }), endpoint: { role: 'engine', url } }
  const log = createLogger({}, { component: 'cl-mock' })
  const ctl = runControl(deps, log)
  try {
    if (follow) {
      const source: Peer = { client: createEngineClient({ url: follow }), endpoint: { role: 'followed node', url: follow } }
      const pollMs = Math.min(POLL_MAX_MS, Math.max(POLL_MIN_MS, slotTime * 1000))
      const fed = await runFollow(engine, source, { pollMs, blocks }, ctl)
      log.info(ctl.stopped() ? 'Stopped' : 'Done', { blocks: fed })
    } else {
      const made = await runSlots(engine, schedule, { slotTime, blocks, withdrawals: flags.has('withdrawals'), blobs: flags.has('blobs'), feeRecipient }, ctl)
      log.info(ctl.stopped() ? 'Stopped' : 'Done', { blocks: made })
    }
    return 0
  } finally {
    ctl.dispose()
  }
}

export const clMock: Command = {
  name: 'cl-mock',
  summary: 'a stand-in consensus client: drive an Engine API (build blocks each slot, or follow another node)',
  usage: USAGE,
  run: (args) => runClMock(args),
}
