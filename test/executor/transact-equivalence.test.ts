/**
 * eth_call and block execution run one state transition: the same 200 transactions, generated
 * here deterministically and signed, go through the RPC's call execution (runCall with the state
 * changes, applied to an overlay as simulate does) and through executeTransaction in blocks, from
 * the same pre-state. Per transaction the outcome, gas, logs and state diff must be identical.
 * Covered: every type (0-4), EIP-7702 delegations (valid, invalid, self-sponsored, cleared) and
 * calls into delegated accounts, creation (and failed creation), reverts, out of gas, SSTORE
 * clearing refunds, the EIP-7623 floor, and gas above 2^53 (Prague, before EIP-7825's cap).
 */
import { describe, expect, test } from 'bun:test'
import { keccak256, privateKeyToAddress } from '../../src/crypto/index.ts'
import { executeTransaction, type BlockEnv, type TransactResult } from '../../src/executor/index.ts'
import { hexToBytes, type Address, type Hash } from '../../src/primitives/index.ts'
import type { RpcContext } from '../../src/rpc/context.ts'
import type { CallArgs } from '../../src/rpc/exec/call-args.ts'
import { DiffOverlay } from '../../src/rpc/exec/diff-overlay.ts'
import type { ExecEnv } from '../../src/rpc/exec/env.ts'
import { runCall, type CallBase } from '../../src/rpc/exec/run-call.ts'
import { JournaledState, MemoryState } from '../../src/state/index.ts'
import { signAuthorization, signTransaction, type Authorization, type Transaction, type UnsignedTransaction } from '../../src/types/index.ts'
import { sampleHeaders } from '../../src/types/testing/samples.ts'

const FORK = 'prague'
const CHAIN_ID = 1n
const BASE_FEE = 7n
const COUNT = 200
const PER_BLOCK = 10
const WIDE = 1n << 53n

const key = (tag: string): Uint8Array => keccak256(new TextEncoder().encode(tag))
const SENDER_KEYS = Array.from({ length: 6 }, (_, i) => key(`sender ${i}`))
const AUTHORITY_KEYS = Array.from({ length: 5 }, (_, i) => key(`authority ${i}`))
const SENDERS = SENDER_KEYS.map(privateKeyToAddress)
const AUTHORITIES = AUTHORITY_KEYS.map(privateKeyToAddress)
const at = (n: number): Address => hexToBytes(`0x${n.toString(16).padStart(40, '0')}`)
const COINBASE = at(0xc0ffee)
const word = (n: bigint): Uint8Array => hexToBytes(`0x${n.toString(16).padStart(64, '0')}`)
const cat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let o = 0
  for (const p of parts) (out.set(p, o), (o += p.length))
  return out
}

// contracts (hand-assembled)
const code = (hex: string): Uint8Array => hexToBytes(`0x${hex.replace(/ /g, '')}`)
/** SSTORE(calldata[0..32], calldata[32..64]) */
const STORE_CODE = code('6020 35 6000 35 55 00')
/** LOG2(data = calldata, topics = calldata words 0 and 1), returns the calldata */
const LOG_CODE = code('36 6000 6000 37 6020 35 6000 35 36 6000 a2 36 6000 f3')
/** REVERT with the calldata */
const REVERT_CODE = code('36 6000 6000 37 36 6000 fd')
/** an endless loop: out of gas */
const LOOP_CODE = code('5b 6000 56')
/** returns GAS (exact above 2^53) */
const GAS_CODE = code('5a 6000 52 6020 6000 f3')
/** CALL(all gas, STORE, 0, calldata) then returns GAS */
const STORE = at(0x5701e)
const LOGGER = at(0x1066e)
const REVERTER = at(0x7e7e7)
const LOOP = at(0x100b)
const GAS = at(0x6a5)
const CALLER_CODE = cat(code('36 6000 6000 37 6000 6000 36 6000 6000 73'), STORE, code('5a f1 50 5a 6000 52 6020 6000 f3'))
const CALLER = at(0xca11e7)
const CONTRACTS: [Address, Uint8Array][] = [[STORE, STORE_CODE], [LOGGER, LOG_CODE], [REVERTER, REVERT_CODE], [LOOP, LOOP_CODE], [GAS, GAS_CODE], [CALLER, CALLER_CODE]]

/** initcode that deploys `runtime` */
const deploy = (runtime: Uint8Array): Uint8Array => cat(Uint8Array.of(0x60, runtime.length, 0x80, 0x60, 11, 0x60, 0, 0x39, 0x60, 0, 0xf3), runtime)

function preState(): MemoryState {
  const m = new MemoryState()
  for (const a of [...SENDERS, ...AUTHORITIES.slice(0, 3)]) m.setAccount(a, { balance: 10n ** 24n })
  for (const [a, c] of CONTRACTS) m.setAccount(a, { code: c, balance: 1n })
  // slots already set, so that clearing them earns the EIP-3529 refund
  m.setAccount(STORE, { code: STORE_CODE, storage: new Map(Array.from({ length: 16 }, (_, i) => [BigInt(i), BigInt(i + 100)])) })
  return m
}

const env: BlockEnv = { coinbase: COINBASE, number: 100n, timestamp: 1_800_000_000n, gasLimit: 1n << 62n, baseFee: BASE_FEE, prevRandao: 42n, blobBaseFee: 1n, chainId: CHAIN_ID }

type Kind = 'transfer' | 'store' | 'clear' | 'log' | 'revert' | 'oog' | 'create' | 'create-fail' | 'wide' | 'floor' | 'delegated' | 'nested'
const KINDS: Kind[] = ['transfer', 'store', 'clear', 'log', 'revert', 'oog', 'create', 'delegated', 'create-fail', 'wide', 'floor', 'delegated', 'nested', 'store', 'wide', 'delegated']

/** What transaction `i` does, from `nonceOf` (the current state) alone: deterministic. */
function build(i: number, nonceOf: (a: Address) => bigint): { tx: Transaction; sender: Address } {
  const s = i % SENDERS.length
  const sender = SENDERS[s]!
  const kind = KINDS[i % KINDS.length]!
  let type = i % 5
  const creates = kind === 'create' || kind === 'create-fail'
  if (creates && type >= 3) type = i % 3
  let to: Address | null = null
  let data: Uint8Array = new Uint8Array(0)
  let gasLimit = 200_000n
  let value = 0n
  const slot = BigInt(i % 16)
  switch (kind) {
    case 'transfer': to = at(0xf000 + (i % 7)); value = BigInt(i) * 1000n + 1n; gasLimit = type === 0 ? 21_000n : type === 4 ? 120_000n : 29_600n; break
    case 'store': to = STORE; data = cat(word(slot + 16n), word(BigInt(i + 1))); break
    case 'clear': to = STORE; data = cat(word(slot), word(0n)); break
    case 'log': to = LOGGER; data = cat(word(BigInt(i)), word(BigInt(i * 3)), Uint8Array.of(i & 0xff, 0, 7)); break
    case 'revert': to = REVERTER; data = Uint8Array.of(0xde, 0xad, i & 0xff); break
    case 'oog': to = LOOP; gasLimit = 120_000n + BigInt(i); break
    case 'create': data = deploy(i % 2 ? LOG_CODE : STORE_CODE); value = BigInt(i); break
    case 'create-fail': data = code('6000 6000 fd'); break
    case 'wide': to = i % 3 ? GAS : STORE; data = i % 3 ? new Uint8Array(0) : cat(word(slot + 32n), word(BigInt(i))); gasLimit = WIDE + BigInt(i) * 977n + (i % 4 === 0 ? 1n << 58n : 0n); break
    case 'floor': to = at(0xf100 + (i % 3)); data = new Uint8Array(600 + i).fill(0x11 + (i % 200)); gasLimit = type === 4 ? 160_000n : 60_000n; break
    case 'delegated': to = AUTHORITIES[i % AUTHORITIES.length]!; data = cat(word(slot), word(BigInt(i))); break
    case 'nested': to = CALLER; data = cat(word(slot + 48n), word(BigInt(i))); gasLimit = i % 4 === 1 ? WIDE * 3n : 300_000n; break
  }
  const nonce = nonceOf(sender)
  const common = { nonce, gasLimit, to, value, data }
  const tip = BigInt(i % 4)
  const fees = { maxPriorityFeePerGas: tip, maxFeePerGas: BASE_FEE + 3n + BigInt(i % 3) }
  const accessList = i % 3 === 0 ? [] : [{ address: STORE, storageKeys: [word(slot), word(slot + 1n)] }, { address: at(0xabc) , storageKeys: [] }]
  let u: UnsignedTransaction
  if (type === 0) u = { type: 0, ...common, gasPrice: BASE_FEE + BigInt(i % 5), chainId: i % 2 ? CHAIN_ID : undefined }
  else if (type === 1) u = { type: 1, chainId: CHAIN_ID, ...common, gasPrice: BASE_FEE + BigInt(i % 5), accessList }
  else if (type === 2) u = { type: 2, chainId: CHAIN_ID, ...common, ...fees, accessList }
  else if (type === 3) {
    const blobs = 1 + (i % 2)
    const blobVersionedHashes: Hash[] = Array.from({ length: blobs }, (_, b) => cat(Uint8Array.of(1), keccak256(word(BigInt(i * 8 + b))).subarray(1)))
    u = { type: 3, chainId: CHAIN_ID, ...common, to: to!, ...fees, accessList, maxFeePerBlobGas: 1n + BigInt(i % 3), blobVersionedHashes }
  } else u = { type: 4, chainId: CHAIN_ID, ...common, to: to!, ...fees, accessList, authorizationList: authorizations(i, sender, nonce, nonceOf) }
  return { tx: signTransaction(u, SENDER_KEYS[s]!), sender }
}

/** EIP-7702 tuples for transaction `i`: delegations to the contracts, some cleared, some invalid, one self-sponsored. */
function authorizations(i: number, sender: Address, senderNonce: bigint, nonceOf: (a: Address) => bigint): Authorization[] {
  const a = i % AUTHORITIES.length
  const targets = [STORE, LOGGER, GAS, at(0)]
  const target = targets[(i / 5) % targets.length | 0]!
  const list = [signAuthorization({ chainId: i % 3 === 0 ? 0n : CHAIN_ID, address: target, nonce: nonceOf(AUTHORITIES[a]!) }, AUTHORITY_KEYS[a]!)]
  if (i % 15 === 4) list.push(signAuthorization({ chainId: 2n, address: STORE, nonce: nonceOf(AUTHORITIES[(a + 1) % 5]!) }, AUTHORITY_KEYS[(a + 1) % 5]!))
  if (i % 10 === 9) list.push(signAuthorization({ chainId: CHAIN_ID, address: LOGGER, nonce: nonceOf(AUTHORITIES[(a + 2) % 5]!) + 1n }, AUTHORITY_KEYS[(a + 2) % 5]!))
  // self-sponsored: the sender's nonce is bumped before authorizations run
  if (i % 20 === 14) list.push(signAuthorization({ chainId: CHAIN_ID, address: STORE, nonce: senderNonce + 1n }, SENDER_KEYS[SENDERS.indexOf(sender)]!))
  return list
}

/** The call arguments an RPC client would send for `tx`. */
function callArgs(tx: Transaction, from: Address): CallArgs {
  const a: CallArgs = { from, to: tx.to, gas: tx.gasLimit, value: tx.value, input: tx.data, nonce: tx.nonce }
  if (tx.type === 0 || tx.type === 1) a.gasPrice = tx.gasPrice
  else (a.maxFeePerGas = tx.maxFeePerGas), (a.maxPriorityFeePerGas = tx.maxPriorityFeePerGas)
  if (tx.type !== 0) a.accessList = tx.accessList
  if (tx.type === 3) (a.blobVersionedHashes = tx.blobVersionedHashes), (a.maxFeePerBlobGas = tx.maxFeePerBlobGas)
  if (tx.type === 4) a.authorizationList = tx.authorizationList
  return a
}

describe('transact: eth_call and block execution', () => {
  test('the same 200 transactions give the same outcome, gas, logs and state changes', () => {
    const pre = preState()
    // block execution: one journaled state across blocks of PER_BLOCK transactions
    const block = new JournaledState(pre, { block: { ...env } })
    // the RPC: each call on the state the earlier calls left (an overlay of their diffs)
    const overlay = new DiffOverlay(pre)
    const x: ExecEnv = { fork: FORK, env, blockHash: () => undefined }
    const base: CallBase = { header: sampleHeaders()[4]!, view: overlay, x }
    const ctx = { limits: { gasCap: 0n, evmTimeoutMs: 0 } } as unknown as RpcContext

    const seen = { types: new Set<number>(), statuses: new Set<string>(), creates: 0, refunds: 0, wide: 0, delegatedCalls: 0, floors: 0, logs: 0 }
    let gasUsed = 0n
    let blobGasUsed = 0n
    for (let i = 0; i < COUNT; i++) {
      if (i % PER_BLOCK === 0) gasUsed = blobGasUsed = 0n
      const { tx, sender } = build(i, (a) => block.getNonce(a))
      if (tx.to && AUTHORITIES.some((a) => a.every((b, k) => b === tx.to![k])) && block.getCode(tx.to).length > 0) seen.delegatedCalls++
      const mined = executeTransaction(block, tx, sender, env, FORK, { blockGasUsed: gasUsed, blockBlobGasUsed: blobGasUsed })
      gasUsed += mined.gasUsed
      blobGasUsed += mined.blobGasUsed
      const { result: called } = runCall(ctx, base, callArgs(tx, sender))
      overlay.apply(called.diff)

      const what = `transaction ${i} (type ${tx.type}, ${KINDS[i % KINDS.length]})`
      expect({ what, ...outcome(called) }).toEqual({ what, ...outcome(mined) })
      expect(called.diff).toEqual(mined.diff)
      expect(mined.receipt.cumulativeGasUsed).toBe(gasUsed)

      seen.types.add(tx.type)
      seen.statuses.add(called.execution.status)
      if (called.execution.createdAddress) seen.creates++
      if (called.refund > 0n) seen.refunds++
      if (tx.gasLimit > WIDE) seen.wide++
      if (called.gasUsed > called.gasUsedBeforeRefund - called.refund) seen.floors++
      seen.logs += called.execution.logs.length
    }
    expect([...seen.types].sort()).toEqual([0, 1, 2, 3, 4])
    expect([...seen.statuses].sort()).toEqual(['outOfGas', 'revert', 'success'])
    for (const n of [seen.creates, seen.refunds, seen.wide, seen.delegatedCalls, seen.floors, seen.logs]) expect(n).toBeGreaterThan(3)
    // the pre-state plus the block's changes is the overlay's view
    for (const a of [...SENDERS, ...AUTHORITIES, COINBASE, STORE]) {
      const o = overlay.getAccount(a)
      expect(o && { nonce: o.nonce, balance: o.balance, code: o.code }).toEqual(block.exists(a) ? { nonce: block.getNonce(a), balance: block.getBalance(a), code: block.getCode(a) } : undefined)
    }
    for (let k = 0n; k < 64n; k++) expect(overlay.getStorage(STORE, k)).toBe(block.getStorage(STORE, k))
  })
})

function outcome(r: Pick<TransactResult, 'execution' | 'gasUsed' | 'blobGasUsed'>) {
  const e = r.execution
  return {
    status: e.status,
    output: e.output,
    createdAddress: e.createdAddress,
    logs: e.logs,
    gasUsed: r.gasUsed,
    blobGasUsed: r.blobGasUsed,
    gasLeft: e.gasLeftWide ?? BigInt(e.gasLeft),
  }
}
