/**
 * The t8n round trip of a fuzz case: `mosaic t8n` (through its public entry, stdin/stdout) on
 * the case's pre-state, the block's env and its transactions must give what Mosaic's block
 * execution gave: the state root, receipts root, logs hash, logs bloom and gas used, and no
 * rejected transaction.
 */
import { bigintToHex, bigintToWord, bytesToHex, decodeRlp, encodeRlp } from '../../src/primitives/index.ts'
import { logsHash, type BlockResult } from '../../src/executor/index.ts'
import { keyToAddress, type MemoryState } from '../../src/state/index.ts'
import { encodeTransaction, type Block, type Header } from '../../src/types/index.ts'
import { t8n } from '../t8n/run.ts'
import type { FuzzFork } from './generate.ts'

export interface RoundTrip {
  pre: MemoryState
  header: Header
  parentHash: string
  block: Block
  fork: FuzzFork
  result: BlockResult
  stateRoot: Uint8Array
}

/** The first disagreement between t8n and block execution, or undefined. */
export async function t8nRoundTrip(x: RoundTrip): Promise<string | undefined> {
  const alloc: Record<string, unknown> = {}
  for (const [k, a] of x.pre.accounts) {
    const storage: Record<string, string> = {}
    for (const [slot, v] of a.storage) storage[bytesToHex(bigintToWord(slot))] = bytesToHex(bigintToWord(v))
    alloc[bytesToHex(keyToAddress(k))] = { balance: bigintToHex(a.balance), nonce: bigintToHex(a.nonce), code: bytesToHex(a.code), storage }
  }
  const h = x.header
  const env = {
    currentCoinbase: bytesToHex(h.coinbase),
    currentGasLimit: bigintToHex(h.gasLimit),
    currentNumber: bigintToHex(h.number),
    currentTimestamp: bigintToHex(h.timestamp),
    currentRandom: bytesToHex(h.mixHash),
    currentDifficulty: '0x0',
    currentBaseFee: bigintToHex(h.baseFeePerGas ?? 0n),
    currentExcessBlobGas: bigintToHex(h.excessBlobGas ?? 0n),
    parentBeaconBlockRoot: h.parentBeaconBlockRoot ? bytesToHex(h.parentBeaconBlockRoot) : undefined,
    blockHashes: { [bigintToHex(h.number - 1n)]: x.parentHash },
    withdrawals: [],
  }
  const items = x.block.transactions.map((tx) => (tx.type === 0 ? decodeRlp(encodeTransaction(tx)) : encodeTransaction(tx)))
  const fork = x.fork === 'osaka' ? 'Osaka' : 'Prague'
  const out = await t8n({ alloc, env, txsRlp: bytesToHex(encodeRlp(items)) }, fork, ['--state.chainid=31337'])
  if (out.code !== 0 || !out.out) return `t8n exited ${out.code}: ${out.err.slice(0, 300)}`
  const r = out.out.result
  const logs = x.result.receipts.flatMap((rc) => rc.logs)
  const want: [string, string, string][] = [
    ['stateRoot', r.stateRoot, bytesToHex(x.stateRoot)],
    ['receiptsRoot', r.receiptsRoot, bytesToHex(x.result.receiptsRoot)],
    ['logsHash', r.logsHash, bytesToHex(logsHash(logs))],
    ['logsBloom', r.logsBloom, bytesToHex(x.result.logsBloom)],
    ['gasUsed', r.gasUsed, bigintToHex(x.result.gasUsed)],
  ]
  for (const [what, got, expected] of want) if (got !== expected) return `t8n ${what} ${got}, block execution ${expected}`
  if (r.rejected) return `t8n rejected ${JSON.stringify(r.rejected).slice(0, 200)}`
  return undefined
}
