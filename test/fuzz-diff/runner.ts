/**
 * Runs fuzz cases on anvil (revm) and on Mosaic from the same pre-state and compares them.
 * anvil: its genesis plus the case's accounts (anvil_set*), the transactions sent raw with mining
 * off and then mined as one block (`--order fifo` keeps them in order), evm_revert afterwards.
 * Mosaic: anvil's genesis (read once through anvil_dumpState) plus the same accounts in a
 * MemoryState, the block anvil mined run through `executeBlock`. Compared: which transactions
 * are rejected, each receipt's status, gas used and logs, return data (anvil's callTracer
 * output), the block's gas used, receipts root, logs bloom and state root, and every account
 * Mosaic touched (balance, nonce, code, the slots it wrote). Then the t8n round trip: `mosaic
 * t8n` on the same pre-state, env and transactions must give Mosaic's state root, receipts root,
 * logs hash and gas used.
 */
import { gunzipSync } from 'node:zlib'
import type { Anvil } from '../../bench/anvil.ts'
import { startAnvil, AnvilRpcError } from '../../bench/anvil.ts'
import { blobParamsAt, dev, singleForkSpec } from '../../src/chainspec/index.ts'
import { privateKeyToAddress } from '../../src/crypto/index.ts'
import { executeBlock, executeTransaction, InvalidTransactionError, blockEnvOf, type BlockResult } from '../../src/executor/index.ts'
import type { Tracer } from '../../src/evm/index.ts'
import { bigintToHex, bytesToHex, equalBytes, hexToBigint, hexToBytes, type Address } from '../../src/primitives/index.ts'
import { JournaledState, MemoryState } from '../../src/state/index.ts'
import { encodeTransaction, intrinsicGas, recoverSender, signTransaction, txRules, type Block, type Header, type Transaction, type UnsignedTransaction } from '../../src/types/index.ts'
import { blobHashes, blobSidecar } from './blobs.ts'
import { CHAIN_ID, GWEI, SENDER_KEYS, type CaseTx, type FuzzCase, type FuzzFork } from './generate.ts'
import { t8nRoundTrip } from './t8n-round-trip.ts'

/** anvil does not make the EIP-4788 system call (the ring buffer stays empty), Mosaic does: its
 *  slots are not compared (the t8n round trip checks Mosaic's against block execution). */
const BEACON_ROOTS = hexToBytes('0x000f3df6d732807ef1319fb7b8bb8522d0beac02')
const MNEMONIC = 'test test test test test test test test test test test junk'
type J = Record<string, any>

export interface CaseOutcome {
  /** The first difference, or undefined when both sides agree. */
  difference?: string
  /** Transactions included in the block. */
  included: number
}

/** Opcodes executed and precompiles entered, over all cases. */
export class Coverage {
  readonly ops = new Set<number>()
  readonly precompiles = new Set<number>()
  readonly tracer: Tracer = {
    onStep: (_pc, op) => void this.ops.add(op),
    onEnter: (msg) => {
      const a = msg.codeAddress ?? msg.to
      if (a.subarray(0, 18).every((b) => b === 0)) this.precompiles.add((a[18]! << 8) | a[19]!)
    },
  }
}

export class Differ {
  private genesis = new MemoryState()
  private snapshot = '0x0'
  private lastCase: FuzzCase | undefined

  private constructor(
    readonly anvil: Anvil,
    readonly fork: FuzzFork,
  ) {}

  static async start(fork: FuzzFork): Promise<Differ> {
    // anvil applies EIP-7825's cap in Osaka only when asked (--enable-tx-gas-limit)
    const cap = fork === 'osaka' ? ['--enable-tx-gas-limit'] : []
    const anvil = await startAnvil(['--hardfork', fork, '--chain-id', String(CHAIN_ID), '--mnemonic', MNEMONIC, '--no-mining', '--order', 'fifo', '--gas-limit', '30000000', ...cap])
    const d = new Differ(anvil, fork)
    await d.loadGenesis()
    await d.deploySystemContracts()
    d.snapshot = await anvil.rpc<string>('evm_snapshot')
    return d
  }

  stop(): Promise<void> {
    return this.anvil.stop()
  }

  /** anvil's genesis accounts (anvil_dumpState: gzipped JSON) into Mosaic's pre-state. */
  private async loadGenesis(): Promise<void> {
    const dump = hexToBytes(await this.anvil.rpc<string>('anvil_dumpState'))
    const json = JSON.parse(new TextDecoder().decode(gunzipSync(dump))) as J
    for (const [addr, a] of Object.entries(json.accounts as Record<string, J>)) {
      const storage = new Map<bigint, bigint>()
      for (const [k, v] of Object.entries((a.storage ?? {}) as Record<string, string>)) if (hexToBigint(v) !== 0n) storage.set(hexToBigint(k), hexToBigint(v))
      this.genesis.setAccount(hexToBytes(addr), { balance: hexToBigint(a.balance), nonce: BigInt(a.nonce), code: hexToBytes(a.code ?? '0x'), storage })
    }
  }

  /**
   * anvil's genesis lacks the EIP-7002 and EIP-7251 contracts, which a Prague block must call
   * (an empty one makes the block invalid, execution-specs process_checked_system_transaction):
   * they go on both sides, as on public networks (the dev chain spec's code).
   */
  private async deploySystemContracts(): Promise<void> {
    for (const [addr, a] of dev.alloc()) {
      if (a.code.length === 0 || (this.genesis.getAccount(hexToBytes(addr))?.code.length ?? 0) > 0) continue
      await this.batch([['anvil_setCode', [addr, bytesToHex(a.code)]], ['anvil_setNonce', [addr, bigintToHex(a.nonce)]]])
      this.genesis.setAccount(hexToBytes(addr), { balance: this.genesis.getAccount(hexToBytes(addr))?.balance ?? 0n, nonce: a.nonce, code: a.code })
    }
  }

  /** Runs `c` on both sides; `coverage` observes Mosaic's execution. */
  async run(c: FuzzCase, coverage?: Coverage): Promise<CaseOutcome> {
    try {
      return await this.runOnce(c, coverage)
    } finally {
      await this.anvil.rpc('evm_revert', [this.snapshot])
      this.snapshot = await this.anvil.rpc<string>('evm_snapshot')
    }
  }

  private async runOnce(c: FuzzCase, coverage?: Coverage): Promise<CaseOutcome> {
    this.lastCase = c
    const pre = this.genesis.clone()
    const batch: [string, unknown[]][] = []
    for (const a of c.accounts) {
      pre.setAccount(a.address, { balance: a.balance, nonce: a.nonce, code: a.code, storage: new Map(a.storage.filter(([, v]) => v !== 0n)) })
      const hex = bytesToHex(a.address)
      batch.push(['anvil_setBalance', [hex, bigintToHex(a.balance)]], ['anvil_setNonce', [hex, bigintToHex(a.nonce)]], ['anvil_setCode', [hex, bytesToHex(a.code)]])
      for (const [k, v] of a.storage) batch.push(['anvil_setStorageAt', [hex, bigintToHex(k), bytesToHex(word(v))]])
    }
    await this.batch(batch)
    const pending = await this.anvil.rpc<J>('eth_getBlockByNumber', ['pending', false])
    const baseFee = hexToBigint(pending.baseFeePerGas)

    // sign in order, nonces per sender counting the transactions anvil accepted
    const nonces = new Map<number, bigint>()
    const sent = new Map<string, Transaction>()
    for (const [i, t] of c.txs.entries()) {
      const key = SENDER_KEYS[t.sender]!
      const nonce = nonces.get(t.sender) ?? pre.getAccount(privateKeyToAddress(key))?.nonce ?? 0n
      const tx = signTransaction(this.unsigned(t, nonce, await this.gasOf(t, nonce, pre, pending)), key)
      const raw = t.type === 3 ? blobSidecar(tx, this.fork) : encodeTransaction(tx)
      try {
        const hash = await this.anvil.rpc<string>('eth_sendRawTransaction', [bytesToHex(raw)])
        sent.set(hash.toLowerCase(), tx)
        nonces.set(t.sender, nonce + 1n)
      } catch (e) {
        if (!(e instanceof AnvilRpcError)) throw e
        // anvil refused it: Mosaic must refuse it too, on the same pre-state
        const why = mosaicRejects(pre, tx, privateKeyToAddress(key), this.fork, pending, baseFee)
        if (!why) return { difference: `tx ${i}: anvil rejected it (${e.message}), Mosaic accepts it`, included: 0 }
      }
    }
    await this.anvil.rpc('evm_mine')
    const rpcBlock = await this.anvil.rpc<J>('eth_getBlockByNumber', ['latest', false])
    const receipts = await this.anvil.rpc<J[]>('eth_getBlockReceipts', ['latest'])
    const order = (rpcBlock.transactions as string[]).map((h) => h.toLowerCase())
    // anvil's pool took them but its miner dropped them (invalid in the block): Mosaic must refuse them
    for (const [hash, tx] of sent) {
      if (order.includes(hash)) continue
      const why = mosaicRejects(pre, tx, senderOf(tx)!, this.fork, pending, baseFee)
      if (!why) return { difference: `tx ${hash}: anvil dropped it from the block, Mosaic accepts it`, included: order.length }
    }

    const header = headerOf(rpcBlock)
    const block: Block = { header, transactions: order.map((h) => sent.get(h)!), ommers: [], withdrawals: [] }
    const spec = singleForkSpec(this.fork, new Map(), CHAIN_ID)
    const blob = blobParamsAt(spec, header.timestamp)
    const parentHash = (await this.anvil.rpc<J>('eth_getBlockByNumber', ['0x0', false])).hash as string
    const state = new JournaledState(pre, { block: blockEnvOf(header, CHAIN_ID, blob), blockHash: (n) => (n === 0n ? hexToBytes(parentHash) : undefined) })
    let result: BlockResult
    try {
      result = executeBlock(state, block, block.transactions.map((tx) => senderOf(tx)), { spec, fork: this.fork, blob }, { tracer: coverage?.tracer })
    } catch (e) {
      return { difference: `Mosaic rejects the block anvil mined: ${e instanceof Error ? e.message : e}`, included: order.length }
    }
    const diff = state.blockDiff()
    const difference =
      compareReceipts(result, receipts) ??
      (await this.compareOutputs(result, order)) ??
      compareHeader(result, header) ??
      (await this.compareAccounts(state, diff, block, [...c.accounts.map((a) => a.address), ...SENDER_KEYS.map(privateKeyToAddress), header.coinbase])) ??
      (await t8nRoundTrip({ pre, header, parentHash, block, fork: this.fork, result, stateRoot: pre.rootAfter(diff) }))
    return { difference, included: order.length }
  }

  private unsigned(t: CaseTx, nonce: bigint, gasLimit: bigint): UnsignedTransaction {
    const common = { nonce, gasLimit, to: t.to, value: t.value, data: t.data }
    const fees = { chainId: CHAIN_ID, maxFeePerGas: 3n * GWEI, maxPriorityFeePerGas: (BigInt(t.data.length + t.sender) % 3n) * (GWEI / 2n), accessList: t.accessList }
    switch (t.type) {
      case 0: return { type: 0, ...common, gasPrice: 2n * GWEI, chainId: CHAIN_ID }
      case 1: return { type: 1, ...common, gasPrice: 2n * GWEI, chainId: CHAIN_ID, accessList: t.accessList }
      case 2: return { type: 2, ...common, ...fees }
      case 3: return { type: 3, ...common, to: t.to!, ...fees, maxFeePerBlobGas: 10n, blobVersionedHashes: blobHashes(t.blobs ?? 1) }
      case 4: return { type: 4, ...common, to: t.to!, ...fees, authorizationList: t.authorizations ?? [] }
    }
  }

  /**
   * The gas limit: the case's, or at a boundary — the calldata floor or intrinsic gas (when the
   * case gives 0), else the gas Mosaic needs (a run with plenty) — plus `boundary`.
   */
  private async gasOf(t: CaseTx, nonce: bigint, pre: MemoryState, pending: J): Promise<bigint> {
    if (t.boundary === undefined) return t.gas
    const probe = signTransaction(this.unsigned(t, nonce, 10_000_000n), SENDER_KEYS[t.sender]!)
    let need: bigint
    if (t.gas === 0n) {
      const ig = intrinsicGas(probe, txRules(this.fork))
      need = ig.floor > ig.gas ? ig.floor : ig.gas
    } else {
      const env = blockEnvOf(headerOf(pending), CHAIN_ID, blobParamsAt(singleForkSpec(this.fork, new Map(), CHAIN_ID), hexToBigint(pending.timestamp)))
      try {
        const r = executeTransaction(new JournaledState(pre.clone(), { block: env }), probe, privateKeyToAddress(SENDER_KEYS[t.sender]!), env, this.fork)
        const beforeRefund = 10_000_000n - BigInt(r.execution.gasLeft)
        need = beforeRefund > r.gasUsed ? beforeRefund : r.gasUsed
      } catch {
        return t.gas
      }
    }
    const g = need + BigInt(t.boundary)
    return g < 21_000n ? 21_000n : g > 16_000_000n ? 16_000_000n : g
  }

  private async batch(calls: [string, unknown[]][]): Promise<unknown[]> {
    if (calls.length === 0) return []
    const res = await fetch(this.anvil.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(calls.map(([method, params], id) => ({ jsonrpc: '2.0', id, method, params }))),
    })
    const body = (await res.json()) as { id: number; result?: unknown; error?: { message: string } }[]
    const out: unknown[] = []
    for (const r of body) {
      if (r.error) throw new Error(`${calls[r.id]![0]}: ${r.error.message}`)
      out[r.id] = r.result
    }
    return out
  }

  private async compareOutputs(result: BlockResult, order: string[]): Promise<string | undefined> {
    const traces = (await this.batch(order.map((h) => ['debug_traceTransaction', [h, { tracer: 'callTracer' }]]))) as J[]
    for (const [i, t] of traces.entries()) {
      const mine = bytesToHex(result.transactions[i]!.execution.output)
      const theirs = (t.output ?? '0x').toLowerCase()
      if (mine !== theirs) return `tx ${i}: return data ${mine.slice(0, 140)}, anvil ${theirs.slice(0, 140)}`
    }
    return undefined
  }

  /** Every account Mosaic's block changed, the case's, the senders, the coinbase, the
   *  transactions' targets and delegates; their slots Mosaic wrote or the case set. */
  private async compareAccounts(state: JournaledState, diff: ReturnType<JournaledState['blockDiff']>, block: Block, extra: Address[]): Promise<string | undefined> {
    const addresses = new Map<string, Address>()
    for (const a of extra) addresses.set(bytesToHex(a), a)
    for (const d of diff.values()) addresses.set(bytesToHex(d.address), d.address)
    for (const tx of block.transactions) {
      if (tx.to) addresses.set(bytesToHex(tx.to), tx.to)
      if (tx.type === 4) for (const a of tx.authorizationList) addresses.set(bytesToHex(a.address), a.address)
    }
    const list = [...addresses.values()]
    const calls: [string, unknown[]][] = []
    for (const a of list) for (const m of ['eth_getBalance', 'eth_getTransactionCount', 'eth_getCode']) calls.push([m, [bytesToHex(a), 'latest']])
    const slots: [Address, bigint][] = []
    for (const d of diff.values()) for (const k of d.storage.keys()) slots.push([d.address, k])
    for (const a of this.lastCase?.accounts ?? []) for (const [k] of a.storage) slots.push([a.address, k])
    for (const [a, k] of slots) calls.push(['eth_getStorageAt', [bytesToHex(a), bigintToHex(k), 'latest']])
    const res = (await this.batch(calls)) as string[]
    for (const [i, a] of list.entries()) {
      const hex = bytesToHex(a)
      const balance = state.getBalance(a), nonce = state.getNonce(a), code = bytesToHex(state.getCode(a))
      if (balance !== hexToBigint(res[3 * i]!)) return `${hex}: balance ${balance}, anvil ${hexToBigint(res[3 * i]!)}`
      if (nonce !== hexToBigint(res[3 * i + 1]!)) return `${hex}: nonce ${nonce}, anvil ${hexToBigint(res[3 * i + 1]!)}`
      if (code !== res[3 * i + 2]!.toLowerCase()) return `${hex}: code ${code.slice(0, 80)}, anvil ${res[3 * i + 2]!.slice(0, 80)}`
    }
    for (const [j, [a, k]] of slots.entries()) {
      if (equalBytes(a, BEACON_ROOTS)) continue
      const mine = state.getStorage(a, k)
      const theirs = hexToBigint(res[3 * list.length + j]!)
      if (mine !== theirs) return `${bytesToHex(a)} slot ${k}: ${mine}, anvil ${theirs}`
    }
    return undefined
  }
}

function mosaicRejects(pre: MemoryState, tx: Transaction, sender: Address, fork: FuzzFork, pending: J, baseFee: bigint): string | undefined {
  const env = { ...blockEnvOf(headerOf(pending), CHAIN_ID, blobParamsAt(singleForkSpec(fork, new Map(), CHAIN_ID), hexToBigint(pending.timestamp))), baseFee }
  try {
    executeTransaction(new JournaledState(pre.clone(), { block: env }), tx, sender, env, fork)
    return undefined
  } catch (e) {
    if (e instanceof InvalidTransactionError) return e.exception
    throw e
  }
}

function compareReceipts(r: BlockResult, receipts: J[]): string | undefined {
  for (const [i, theirs] of receipts.entries()) {
    const mine = r.receipts[i]!
    if (mine.status !== Number(hexToBigint(theirs.status))) return `tx ${i}: status ${mine.status}, anvil ${theirs.status}`
    if (mine.cumulativeGasUsed !== hexToBigint(theirs.cumulativeGasUsed)) return `tx ${i}: cumulative gas ${mine.cumulativeGasUsed}, anvil ${hexToBigint(theirs.cumulativeGasUsed)}`
    const logs = (l: J[]) => JSON.stringify(l.map((x) => [String(x.address).toLowerCase(), x.topics, x.data]))
    const mineLogs = JSON.stringify(mine.logs.map((l) => [bytesToHex(l.address), l.topics.map((t) => bytesToHex(t)), bytesToHex(l.data)]))
    if (mineLogs !== logs(theirs.logs)) return `tx ${i}: logs ${mineLogs.slice(0, 200)}, anvil ${logs(theirs.logs).slice(0, 200)}`
  }
  return undefined
}

/** The block's totals. Not the state root: anvil's is not the trie root of its state (its genesis
 *  claims the empty root); the accounts are compared one by one instead. */
function compareHeader(r: BlockResult, h: Header): string | undefined {
  if (r.gasUsed !== h.gasUsed) return `block gas used ${r.gasUsed}, anvil ${h.gasUsed}`
  if (bytesToHex(r.receiptsRoot) !== bytesToHex(h.receiptsRoot)) return `receipts root ${bytesToHex(r.receiptsRoot)}, anvil ${bytesToHex(h.receiptsRoot)}`
  if (bytesToHex(r.logsBloom) !== bytesToHex(h.logsBloom)) return 'logs bloom differs'
  if (h.blobGasUsed !== undefined && r.blobGasUsed !== h.blobGasUsed) return `blob gas used ${r.blobGasUsed}, anvil ${h.blobGasUsed}`
  return undefined
}

/** A header from JSON-RPC's block object. */
export function headerOf(b: J): Header {
  const opt = (k: string) => (b[k] === undefined || b[k] === null ? undefined : hexToBigint(b[k]))
  const optHash = (k: string) => (b[k] ? hexToBytes(b[k]) : undefined)
  return {
    parentHash: hexToBytes(b.parentHash),
    ommersHash: hexToBytes(b.sha3Uncles),
    coinbase: hexToBytes(b.miner),
    stateRoot: hexToBytes(b.stateRoot ?? '0x' + '00'.repeat(32)),
    transactionsRoot: hexToBytes(b.transactionsRoot ?? '0x' + '00'.repeat(32)),
    receiptsRoot: hexToBytes(b.receiptsRoot ?? '0x' + '00'.repeat(32)),
    logsBloom: hexToBytes(b.logsBloom ?? '0x' + '00'.repeat(256)),
    difficulty: hexToBigint(b.difficulty ?? '0x0'),
    number: hexToBigint(b.number),
    gasLimit: hexToBigint(b.gasLimit),
    gasUsed: hexToBigint(b.gasUsed ?? '0x0'),
    timestamp: hexToBigint(b.timestamp),
    extraData: hexToBytes(b.extraData ?? '0x'),
    mixHash: hexToBytes(b.mixHash ?? '0x' + '00'.repeat(32)),
    nonce: hexToBytes(b.nonce ?? '0x0000000000000000'),
    baseFeePerGas: opt('baseFeePerGas'),
    withdrawalsRoot: optHash('withdrawalsRoot'),
    blobGasUsed: opt('blobGasUsed'),
    excessBlobGas: opt('excessBlobGas'),
    parentBeaconBlockRoot: optHash('parentBeaconBlockRoot'),
    requestsHash: optHash('requestsHash'),
  }
}

const senderOf = (tx: Transaction): Address | undefined => recoverSender(tx) ?? undefined
const word = (v: bigint): Uint8Array => hexToBytes('0x' + v.toString(16).padStart(64, '0'))
