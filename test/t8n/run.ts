/**
 * Runs `mosaic t8n` through its public entry (`runT8n`) in stdin/stdout mode, in process: the
 * input object goes in as stdin, stdout and stderr are captured.
 */
import { runT8n } from '../../src/cli/commands/t8n.ts'

export interface T8nInput {
  alloc?: unknown
  env: unknown
  txs?: unknown[]
  txsRlp?: string
}

export interface T8nOutput {
  code: number
  /** Parsed stdout ({alloc, result, body}), when there was any. */
  out?: { alloc: Record<string, any>; result: Record<string, any>; body: string }
  err: string
}

export const STDIO_FLAGS = [
  '--input.alloc=stdin',
  '--input.env=stdin',
  '--input.txs=stdin',
  '--output.result=stdout',
  '--output.alloc=stdout',
  '--output.body=stdout',
]

export async function t8n(input: T8nInput, fork: string, extra: string[] = []): Promise<T8nOutput> {
  let out = ''
  let err = ''
  const code = await runT8n([...STDIO_FLAGS, `--state.fork=${fork}`, ...extra], {
    out: (t) => (out += t),
    err: (t) => (err += t),
    readStdin: async () => JSON.stringify(input),
  })
  return { code, out: out ? JSON.parse(out) : undefined, err }
}

export const ZERO32 = `0x${'00'.repeat(32)}`

/** A Cancun block environment at block 1 with an empty withdrawal list (the CLI tests' default). */
export const CANCUN_ENV = {
  currentCoinbase: '0x' + 'cb'.repeat(20),
  currentGasLimit: '0x1c9c380',
  currentNumber: '0x1',
  currentTimestamp: '0x3e8',
  currentRandom: '0x0',
  currentBaseFee: '0x7',
  currentExcessBlobGas: '0x0',
  parentBeaconBlockRoot: ZERO32,
  withdrawals: [],
}
