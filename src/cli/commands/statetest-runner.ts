/**
 * Runs state-test fixtures (ethereum/tests GeneralStateTests and EEST `state_tests`): per test
 * and post entry, build the transaction from `transaction` and `indexes`, execute it on the
 * pre-state, and compare the state root (`hash`) and keccak(rlp(logs)) (`logs`).
 *
 * Consumers: `mosaic statetest`, test/conformance/state.test.ts.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { keccak256, privateKeyToAddress } from '../../crypto/index.ts'
import { bytesToHex, hexToBigint, hexToBytes, parseAddress, utf8ToBytes, type Address } from '../../primitives/index.ts'
import { MemoryState, JournaledState } from '../../state/index.ts'
import { blobBaseFeeAt, executeTransaction, InvalidTransactionError, logsHash, type BlockEnv } from '../../executor/index.ts'
import { isForkAtLeast, parseForkName, type AccessList, type Authorization, type ForkName, type Transaction } from '../../types/index.ts'
import { fillerRuleOrder } from '../fixture-command.ts'

export interface StateTestResult {
  name: string
  fork: string
  /** Position of the post entry within its fork. */
  index: number
  pass: boolean
  stateRoot: string
  error?: string
  /** The exception the executor raised, when the transaction was invalid. */
  exception?: string
  expectException?: string
}

export interface RunOptions {
  /** Only this fork (default: Cancun, Prague, Osaka). */
  fork?: ForkName
  /** Only tests whose name matches. */
  run?: RegExp
}

export interface FileRun {
  results: StateTestResult[]
  /** Post entries of forks not run. */
  skipped: number
}

const DEFAULT_FORKS: readonly ForkName[] = ['cancun', 'prague', 'osaka']
const EMPTY_LOGS_HASH = bytesToHex(logsHash([]))

/** Every .json file under `path` (or the file itself), sorted. */
export function collectStateTestFiles(path: string): string[] {
  if (statSync(path).isFile()) return [path]
  const out: string[] = []
  for (const name of readdirSync(path).sort()) {
    const p = join(path, name)
    if (statSync(p).isDirectory()) out.push(...collectStateTestFiles(p))
    else if (name.endsWith('.json')) out.push(p)
  }
  return out
}

type J = Record<string, any>

export function runStateTestFile(file: string, opts: RunOptions = {}): FileRun {
  const doc = JSON.parse(readFileSync(file, 'utf8')) as Record<string, J>
  const out: FileRun = { results: [], skipped: 0 }
  for (const [name, t] of Object.entries(doc)) {
    if (opts.run && !opts.run.test(name)) continue
    runStateTest(name, t, opts, out)
  }
  return out
}

function wantFork(fork: ForkName | undefined, opts: RunOptions): boolean {
  if (!fork) return false
  if (opts.fork) return fork === opts.fork
  return DEFAULT_FORKS.includes(fork)
}

/**
 * Whether the raised exception is one of the expected ones (`A|B`, `TransactionException.` prefix
 * optional). A transaction the fixture cannot express in our types (a field over 2^256, say) fails
 * while being built; that counts for the fixture's RLP_* (encoding) expectations.
 */
export function exceptionMatches(expected: string, got: string): boolean {
  const names = expected.split('|').map((e) => e.trim().replace(/^TransactionException\./, ''))
  if (got.startsWith('build:')) return names.some((n) => n.startsWith('RLP_'))
  return names.includes(got.replace(/^TransactionException\./, ''))
}

export function runStateTest(name: string, t: J, opts: RunOptions, out: FileRun): void {
  let pre: MemoryState | undefined
  let preRoot: string | undefined
  for (const [forkKey, entries] of Object.entries(t.post as Record<string, J[]>)) {
    const fork = parseForkName(forkKey)
    if (!wantFork(fork, opts) || !isForkAtLeast(fork!, 'paris')) {
      out.skipped += entries.length
      continue
    }
    pre ??= buildPre(t.pre)
    entries.forEach((entry, index) => {
      const r: StateTestResult = { name, fork: forkKey, index, pass: false, stateRoot: '' }
      if (entry.expectException) r.expectException = entry.expectException
      try {
        const got = runCase(t, entry, fork!, pre!, () => (preRoot ??= bytesToHex(pre!.stateRoot())))
        r.stateRoot = got.root
        if (got.exception) r.exception = got.exception
        if (got.root !== entry.hash) r.error = `state root ${got.root}, expected ${entry.hash}`
        else if (got.logs !== entry.logs) r.error = `logs hash ${got.logs}, expected ${entry.logs}`
        else if (entry.expectException && !got.exception) r.error = `expected exception ${entry.expectException}, transaction was valid`
        else if (!entry.expectException && got.exception) r.error = `unexpected exception ${got.exception}`
        else if (entry.expectException && !exceptionMatches(entry.expectException, got.exception!))
          r.error = `exception ${got.exception}, expected ${entry.expectException}`
        else r.pass = true
      } catch (e) {
        r.error = `crash: ${e instanceof Error ? e.stack ?? e.message : String(e)}`
      }
      out.results.push(r)
    })
  }
}

function buildPre(pre: J): MemoryState {
  const s = new MemoryState()
  for (const [addr, a] of Object.entries(pre as Record<string, J>)) {
    const storage = new Map<bigint, bigint>()
    for (const [k, v] of Object.entries(a.storage ?? {})) {
      const val = hexToBigint(v as string)
      if (val !== 0n) storage.set(hexToBigint(k), val)
    }
    s.setAccount(parseAddress(addr), {
      nonce: hexToBigint(a.nonce ?? '0x0'),
      balance: hexToBigint(a.balance ?? '0x0'),
      code: hexToBytes(a.code ?? '0x'),
      storage,
    })
  }
  return s
}

const big = (x: string | undefined, d = 0n): bigint => (x === undefined || x === '' ? d : hexToBigint(x))

function blockEnv(env: J, fork: ForkName, chainId: bigint): BlockEnv {
  return {
    coinbase: parseAddress(env.currentCoinbase),
    number: big(env.currentNumber),
    timestamp: big(env.currentTimestamp),
    gasLimit: big(env.currentGasLimit),
    baseFee: big(env.currentBaseFee, 10n),
    prevRandao: big(env.currentRandom ?? env.currentDifficulty),
    blobBaseFee: blobBaseFeeAt(big(env.currentExcessBlobGas), fork),
    chainId,
  }
}

interface CaseOutcome {
  root: string
  logs: string
  exception?: string
}

/** Dummy signature values: the sender comes from the fixture, so no signing or recovery. */
const SIG = { r: 1n, s: 1n }

function buildTx(tx: J, idx: J, chainId: bigint): Transaction {
  const data = hexToBytes(tx.data[idx.data])
  const gasLimit = hexToBigint(tx.gasLimit[idx.gas])
  const value = hexToBigint(tx.value[idx.value])
  const to: Address | null = tx.to ? parseAddress(tx.to) : null
  const nonce = hexToBigint(tx.nonce)
  const al = tx.accessLists?.[idx.data] as J[] | null | undefined
  const accessList: AccessList = (al ?? []).map((i) => ({ address: parseAddress(i.address), storageKeys: i.storageKeys.map((h: string) => hexToBytes(h)) }))
  const common = { nonce, gasLimit, to, value, data, ...SIG }
  if (tx.authorizationList) {
    const authorizationList: Authorization[] = (tx.authorizationList as J[]).map((a) => ({
      chainId: hexToBigint(a.chainId),
      address: parseAddress(a.address),
      nonce: hexToBigint(a.nonce),
      yParity: Number(hexToBigint(a.yParity ?? a.v)),
      r: hexToBigint(a.r),
      s: hexToBigint(a.s),
    }))
    return { type: 4, chainId, ...common, to: to!, maxFeePerGas: big(tx.maxFeePerGas), maxPriorityFeePerGas: big(tx.maxPriorityFeePerGas), accessList, authorizationList, yParity: 0 }
  }
  if (tx.blobVersionedHashes) {
    return {
      type: 3, chainId, ...common, to: to!, maxFeePerGas: big(tx.maxFeePerGas), maxPriorityFeePerGas: big(tx.maxPriorityFeePerGas), accessList,
      maxFeePerBlobGas: big(tx.maxFeePerBlobGas), blobVersionedHashes: (tx.blobVersionedHashes as string[]).map((h: string) => hexToBytes(h)), yParity: 0,
    }
  }
  if (tx.maxFeePerGas !== undefined) {
    return { type: 2, chainId, ...common, maxFeePerGas: big(tx.maxFeePerGas), maxPriorityFeePerGas: big(tx.maxPriorityFeePerGas), accessList, yParity: 0 }
  }
  if (al) return { type: 1, chainId, ...common, gasPrice: big(tx.gasPrice), accessList, yParity: 0 }
  return { type: 0, ...common, gasPrice: big(tx.gasPrice), v: 27n }
}

const senderCache = new Map<string, Address>()
function senderOf(tx: J): Address {
  if (tx.sender) return parseAddress(tx.sender)
  const key = tx.secretKey as string
  let a = senderCache.get(key)
  if (!a) senderCache.set(key, (a = privateKeyToAddress(hexToBytes(key))))
  return a
}

function testBlockHash(n: bigint): Uint8Array {
  return keccak256(utf8ToBytes(n.toString()))
}

function runCase(t: J, entry: J, fork: ForkName, pre: MemoryState, preRoot: () => string): CaseOutcome {
  const chainId = big(t.config?.chainid, 1n)
  const env = blockEnv(t.env, fork, chainId)
  const state = new JournaledState(pre, {
    block: { ...env, blobBaseFee: env.blobBaseFee },
    blockHash: testBlockHash,
  })
  let tx: Transaction
  try {
    tx = buildTx(t.transaction, entry.indexes, chainId)
  } catch (e) {
    return { root: preRoot(), logs: EMPTY_LOGS_HASH, exception: `build: ${e instanceof Error ? e.message : e}` }
  }
  try {
    const res = executeTransaction(state, tx, senderOf(t.transaction), env, fork, { order: fillerRuleOrder(t) })
    const diff = state.blockDiff()
    return { root: bytesToHex(pre.rootAfter(diff)), logs: bytesToHex(logsHash(res.receipt.logs)) }
  } catch (e) {
    if (e instanceof InvalidTransactionError) return { root: preRoot(), logs: EMPTY_LOGS_HASH, exception: e.exception }
    throw e
  }
}
