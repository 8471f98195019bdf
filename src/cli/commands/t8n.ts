/**
 * `mosaic t8n`: the state-transition tool with geth's `evm t8n` interface, so that test fillers
 * (execution-spec-tests' `fill`) and differential fuzzers can drive Mosaic. It reads a pre-state
 * (`alloc`), a block environment (`env`) and transactions, applies them (t8n-apply.ts), and
 * writes the result, the post-state alloc and the block body, each to a file, stdout or stderr.
 * With `stdin` as an input name, stdin holds one JSON object {alloc, env, txs | txsRlp}.
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from '../args.ts'
import { UsageError, type Command } from '../command.ts'
import { applyTransition } from './t8n-apply.ts'
import { T8nError } from './t8n-errors.ts'
import { parseT8nFork, T8N_FORK_NAMES } from './t8n-fork.ts'
import { parseAlloc, parseEnv } from './t8n-input.ts'
import { bytes, object, parseJson, type Obj } from './t8n-json.ts'
import { allocJson, bodyJson, resultJson } from './t8n-output.ts'
import { decodeRlpTxs, parseJsonTxs, type TxInput } from './t8n-txs.ts'

/** Largest input (a file or stdin) read, in bytes. */
export const MAX_INPUT_BYTES = 512 * 1024 * 1024

const USAGE = `Usage: mosaic t8n [flags]

Applies transactions to a pre-state as geth's \`evm t8n\` does, and writes the post-state root,
receipts, rejected transactions, the post-state alloc and the block body.

Inputs (a file name, or stdin; with stdin, stdin holds {"alloc", "env", "txs"} or "txsRlp"):
  --input.alloc FILE     pre-state accounts (default alloc.json)
  --input.env FILE       block environment (default env.json)
  --input.txs FILE       transactions as JSON (default txs.json); a .rlp file holds the RLP
                         list of signed transactions as a JSON hex string
Outputs (a file name under --output.basedir, stdout, stderr, or "" for none):
  --output.basedir DIR   where output files go (created if missing)
  --output.result FILE   roots, receipts, rejected transactions (default result.json)
  --output.alloc FILE    post-state accounts (default alloc.json)
  --output.body FILE     RLP of the included transactions (default: not written)
State:
  --state.fork NAME      rules to apply (required): ${T8N_FORK_NAMES.join(', ')}
  --state.chainid N      chain id (default 1)
  --state.reward N       block reward in wei, -1 for none (default 0)

Exit code: 0 done (invalid transactions are listed in the result's "rejected"), 2 EVM error
(a system contract failed), 3 bad configuration or env, 4 BLOCKHASH of a block not in
env.blockHashes, 10 bad JSON, 11 file error, 12 bad RLP; 2 also for a flag error.`

const VALUE_FLAGS = [
  'input.alloc', 'input.env', 'input.txs', 'output.basedir', 'output.result', 'output.alloc', 'output.body',
  'state.fork', 'state.chainid', 'state.reward',
] as const

export interface T8nDeps {
  out: (text: string) => void
  err: (text: string) => void
  /** The whole of stdin (called at most once). */
  readStdin: () => Promise<string>
}

async function readProcessStdin(): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of process.stdin) {
    size += (chunk as Buffer).length
    if (size > MAX_INPUT_BYTES) throw new T8nError('io', `stdin is larger than ${MAX_INPUT_BYTES} bytes`)
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks).toString('utf8')
}

export const processT8nDeps: T8nDeps = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  readStdin: readProcessStdin,
}

const STDIN = 'stdin'

function readText(path: string, what: string): string {
  if (!existsSync(path)) throw new T8nError('io', `failed reading ${what} file: ${path}: no such file`)
  try {
    const size = statSync(path).size
    if (size > MAX_INPUT_BYTES) throw new T8nError('io', `${what} file ${path} is larger than ${MAX_INPUT_BYTES} bytes`)
    return readFileSync(path, 'utf8')
  } catch (e) {
    if (e instanceof T8nError) throw e
    throw new T8nError('io', `failed reading ${what} file ${path}: ${e instanceof Error ? e.message : String(e)}`, e)
  }
}

function integerFlag(v: string | undefined, name: string, fallback: bigint, min: bigint): bigint {
  if (v === undefined) return fallback
  if (!/^-?[0-9]+$/.test(v) && !/^0x[0-9a-fA-F]+$/.test(v)) throw new UsageError(`--${name} must be an integer, got ${JSON.stringify(v)}`)
  const n = BigInt(v)
  if (n < min || n >= 1n << 63n) throw new UsageError(`--${name} must be between ${min} and 2^63-1, got ${v}`)
  return n
}

function loadTxs(path: string, stdin: Obj | undefined, chainId: bigint): TxInput[] {
  if (path === STDIN) {
    const rlp = stdin!.txsRlp
    if (typeof rlp === 'string' && rlp.length > 0) return decodeRlpTxs(bytes(rlp, 'txsRlp'))
    return parseJsonTxs(stdin!.txs, chainId)
  }
  const text = readText(path, 'txs')
  if (path.endsWith('.rlp')) {
    const v = text.trim().startsWith('"') ? parseJson(text, 'txs file') : text.trim()
    return decodeRlpTxs(bytes(v, 'txs file'))
  }
  return parseJsonTxs(parseJson(text, 'txs file'), chainId)
}

export async function runT8n(args: string[], deps: T8nDeps = processT8nDeps): Promise<number> {
  const { flags, positional } = parseArgs(args, { values: VALUE_FLAGS })
  if (positional.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positional[0])}`)
  const flag = (name: (typeof VALUE_FLAGS)[number]) => flags.get(name) as string | undefined
  const chainId = integerFlag(flag('state.chainid'), 'state.chainid', 1n, 0n)
  const reward = integerFlag(flag('state.reward'), 'state.reward', 0n, -1n)
  try {
    const forkName = flag('state.fork')
    if (!forkName) throw new T8nError('config', `missing --state.fork; available: ${T8N_FORK_NAMES.join(', ')}`)
    const fork = parseT8nFork(forkName)
    const inputs = { alloc: flag('input.alloc') ?? 'alloc.json', env: flag('input.env') ?? 'env.json', txs: flag('input.txs') ?? 'txs.json' }
    let stdin: Obj | undefined
    if (Object.values(inputs).includes(STDIN)) stdin = object(parseJson(await deps.readStdin(), 'stdin'), 'stdin')
    const pre = parseAlloc(inputs.alloc === STDIN ? stdin!.alloc : parseJson(readText(inputs.alloc, 'alloc'), 'alloc file'))
    const envJson = inputs.env === STDIN ? stdin!.env : parseJson(readText(inputs.env, 'env'), 'env file')
    if (envJson === undefined) throw new T8nError('json', 'stdin has no "env"')
    const env = parseEnv(envJson)
    const txs = loadTxs(inputs.txs, stdin, chainId)

    const r = applyTransition(pre, env, txs, { fork, chainId, reward })
    writeOutputs(flag, { alloc: () => allocJson(r.post), result: () => resultJson(r), body: () => bodyJson(r) }, deps)
    return 0
  } catch (e) {
    if (!(e instanceof T8nError)) throw e
    deps.err(`${e.report()}\n`)
    return e.exitCode
  }
}

type OutputName = 'alloc' | 'result' | 'body'

/** Each output to its file (under the base directory), stdout or stderr, in geth's order. */
function writeOutputs(flag: (name: (typeof VALUE_FLAGS)[number]) => string | undefined, make: Record<OutputName, () => unknown>, deps: T8nDeps): void {
  const targets: Record<OutputName, string> = {
    alloc: flag('output.alloc') ?? 'alloc.json',
    result: flag('output.result') ?? 'result.json',
    body: flag('output.body') ?? '',
  }
  const baseDir = flag('output.basedir') ?? ''
  const toStdout: Record<string, unknown> = {}
  const toStderr: Record<string, unknown> = {}
  for (const name of ['alloc', 'result', 'body'] as const) {
    const target = targets[name]
    if (target === '') continue
    if (target === 'stdout') toStdout[name] = make[name]()
    else if (target === 'stderr') toStderr[name] = make[name]()
    else {
      const path = join(baseDir, target)
      try {
        if (baseDir) mkdirSync(baseDir, { recursive: true })
        writeFileSync(path, JSON.stringify(make[name](), null, 1))
      } catch (e) {
        throw new T8nError('io', `failed writing output ${path}: ${e instanceof Error ? e.message : String(e)}`, e)
      }
    }
  }
  if (Object.keys(toStdout).length > 0) deps.out(`${JSON.stringify(toStdout, null, 2)}\n`)
  if (Object.keys(toStderr).length > 0) deps.err(`${JSON.stringify(toStderr, null, 2)}\n`)
}

export const t8n: Command = {
  name: 't8n',
  summary: "state transition tool with geth's evm t8n interface: alloc, env, txs to result, post alloc, body",
  usage: USAGE,
  run: (args) => runT8n(args),
}
