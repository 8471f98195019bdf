/**
 * eth_simulateV1: a sequence of simulated blocks on top of a block, each with optional block
 * and state overrides and calls that see the effects of earlier ones. Per call: returnData,
 * logs, gasUsed, status, and an error (3 for reverts with data, -32015 for other VM errors); a
 * call that cannot run fails the request with geth's -380xx code. Blocks come back as block
 * objects with their calls. Supported: validation=false (no nonce, fee or base-fee checks; base
 * fee 0 unless overridden), traceTransfers=false. Not supported (clear errors): validation=true,
 * traceTransfers=true, movePrecompileToAddress, blockHash overrides. `stateRoot` of a simulated
 * block is zero (no trie is built for it).
 */
import { forkAt } from '../../chainspec/index.ts'
import { transactionsRoot } from '../../executor/index.ts'
import { bigintToWord, ZERO_HASH, type Address, type Hash } from '../../primitives/index.ts'
import { EMPTY_TRIE_ROOT, orderedTrieRoot } from '../../trie/index.ts'
import {
  bloomOr, createBloom, EMPTY_REQUESTS_HASH, encodeReceipt, headerHash, isForkAtLeast, logsBloom, transactionHash, type Block, type Header, type Log, type Receipt, type Transaction,
} from '../../types/index.ts'
import { requireState } from '../blocks.ts'
import type { Methods, RpcContext } from '../context.ts'
import { ExecutionRevertedError, LimitExceededError, RpcError, UnsupportedError } from '../errors.ts'
import type { TransactErrorKind } from '../../executor/index.ts'
import { applyMessage, CallValidationError, SIMULATE_POLICY } from '../exec/apply.ts'
import { parseCallArgs, type CallArgs } from '../exec/call-args.ts'
import { DiffOverlay } from '../exec/diff-overlay.ts'
import { execEnv, type BlockOverrides } from '../exec/env.ts'
import { toMessage, type CallMessage } from '../exec/message.ts'
import { vmError } from '../exec/outcome.ts'
import { parseBlockOverrides, parseStateOverrides } from '../exec/overrides.ts'
import { callState } from '../exec/run-call.ts'
import { withDeadline } from '../exec/timeout.ts'
import { formatBlock } from '../format/block.ts'
import { hex, qty } from '../format/hex.ts'
import { formatLog } from '../format/receipt.ts'
import { args, array, bool, field, knownFields, object, optionalBlock } from '../params.ts'

const CODES: Partial<Record<TransactErrorKind, number>> = {
  'nonce-too-low': -38010, 'nonce-too-high': -38011, 'intrinsic-gas': -38013, 'floor-gas': -38013, 'insufficient-funds': -38014,
  'block-gas-limit': -38015, 'sender-not-eoa': -38024, 'initcode-size': -38025, 'fee-cap-too-low': -32602, 'tip-above-fee-cap': -32602,
}
const VM_ERROR_CODE = -32015
const TIMESTAMP_INCREMENT = 12n

interface SimBlock {
  overrides?: BlockOverrides
  state?: ReturnType<typeof parseStateOverrides>
  calls: CallArgs[]
}

function parseOpts(ctx: RpcContext, v: unknown) {
  const o = object(v, 0)
  knownFields(o, 0, ['blockStateCalls', 'traceTransfers', 'validation', 'returnFullTransactions'])
  if (o.validation != null && bool(o.validation, '0.validation')) throw new UnsupportedError('eth_simulateV1 with validation=true is not supported here: use validation=false')
  if (o.traceTransfers != null && bool(o.traceTransfers, '0.traceTransfers')) throw new UnsupportedError('eth_simulateV1 with traceTransfers=true is not supported here')
  const list = array(o.blockStateCalls, field(0, 'blockStateCalls'), Number.MAX_SAFE_INTEGER)
  if (list.length > ctx.limits.simulateMaxBlocks) throw new RpcError('too many blocks', { code: -38026 })
  let calls = 0
  const blocks: SimBlock[] = list.map((b, i) => {
    const at = field(field(0, 'blockStateCalls'), i)
    const bo = object(b, at)
    knownFields(bo, at, ['blockOverrides', 'stateOverrides', 'calls'])
    const cs = bo.calls == null ? [] : array(bo.calls, field(at, 'calls'), ctx.limits.simulateMaxCalls)
    calls += cs.length
    if (calls > ctx.limits.simulateMaxCalls) throw new LimitExceededError(`too many calls (limit ${ctx.limits.simulateMaxCalls})`)
    return {
      overrides: parseBlockOverrides(bo.blockOverrides, field(at, 'blockOverrides')),
      state: parseStateOverrides(bo.stateOverrides, field(at, 'stateOverrides')),
      calls: cs.map((c, j) => parseCallArgs(c, field(field(at, 'calls'), j))),
    }
  })
  return { blocks, fullTx: o.returnFullTransactions == null ? false : bool(o.returnFullTransactions, '0.returnFullTransactions') }
}

/** The transaction a call stands for in the simulated block (unsigned: zero signature). */
function pseudoTx(m: CallMessage, nonce: bigint, chainId: bigint): Transaction {
  const common = { chainId, nonce, gasLimit: m.gas, value: m.value, data: m.data, accessList: m.accessList, yParity: 0, r: 0n, s: 0n }
  if (m.authorizationList && m.to) return { type: 4, ...common, to: m.to, maxPriorityFeePerGas: m.tipCap, maxFeePerGas: m.feeCap, authorizationList: m.authorizationList }
  if (m.blobHashes.length > 0 && m.to) return { type: 3, ...common, to: m.to, maxPriorityFeePerGas: m.tipCap, maxFeePerGas: m.feeCap, maxFeePerBlobGas: m.blobFeeCap, blobVersionedHashes: m.blobHashes }
  return { type: 2, ...common, to: m.to, maxPriorityFeePerGas: m.tipCap, maxFeePerGas: m.feeCap }
}

export const ethSimulateMethods: Methods = {
  eth_simulateV1(ctx, p) {
    const a = args(p, 2, 1)
    const { blocks, fullTx } = parseOpts(ctx, a[0])
    const { header: base, state: view } = requireState(ctx, optionalBlock(a[1], 1))
    const overlay = new DiffOverlay(view)
    const hashes = new Map<bigint, Hash>()
    const deadline = withDeadline(undefined, ctx.limits.evmTimeoutMs, undefined, ctx.batch?.end)
    let parent: Header = base
    let gasBudget = ctx.limits.gasCap
    const out: unknown[] = []
    for (const b of blocks) {
      const o = b.overrides ?? {}
      const number = o.number ?? parent.number + 1n
      const time = o.time ?? parent.timestamp + TIMESTAMP_INCREMENT
      if (number <= parent.number) throw new RpcError(`block numbers must be in order: ${number} <= ${parent.number}`, { code: -38020 })
      if (time <= parent.timestamp) throw new RpcError(`block timestamps must be in order: ${time} <= ${parent.timestamp}`, { code: -38021 })
      for (const [, { address, o: ov }] of b.state ?? []) overlay.override(address, ov)
      const header: Header = {
        ...base, parentHash: headerHash(parent), number, timestamp: time, gasUsed: 0n, coinbase: o.feeRecipient ?? base.coinbase,
        mixHash: o.prevRandao ?? ZERO_HASH, stateRoot: ZERO_HASH, logsBloom: createBloom(), extraData: new Uint8Array(0),
      }
      const fork = forkAt(ctx.chain.spec, number, time)
      if (isForkAtLeast(fork, 'london')) header.baseFeePerGas = o.baseFeePerGas ?? 0n
      if (isForkAtLeast(fork, 'shanghai')) header.withdrawalsRoot = EMPTY_TRIE_ROOT
      if (isForkAtLeast(fork, 'cancun')) Object.assign(header, { blobGasUsed: 0n, excessBlobGas: 0n, parentBeaconBlockRoot: ZERO_HASH })
      if (isForkAtLeast(fork, 'prague')) header.requestsHash = EMPTY_REQUESTS_HASH
      const x = execEnv(ctx.chain, header, o)
      const chainHash = x.blockHash
      x.blockHash = (n) => hashes.get(n) ?? (n <= base.number ? chainHash(n) : undefined)
      const txs: Transaction[] = [], senders: Address[] = [], receipts: Receipt[] = [], results: Record<string, unknown>[] = []
      const logs: { log: Log; tx: number }[] = []
      for (const call of b.calls) {
        const left = header.gasLimit - header.gasUsed
        const msg = toMessage({ ...call, gas: call.gas ?? (left < gasBudget ? left : gasBudget) }, x, 0n)
        const nonce = call.nonce ?? overlay.getAccount(msg.from)?.nonce ?? 0n
        const state = callState({ header: base, view: overlay, x }, msg)
        let r
        try {
          const env = { ...x.env, baseFee: state.block.baseFee, blobBaseFee: state.block.blobBaseFee }
          r = applyMessage(state, msg, { ...x, env }, SIMULATE_POLICY, deadline, { blockGasUsed: env.gasLimit - left })
        } catch (e) {
          if (e instanceof CallValidationError) throw new RpcError(e.message, { code: CODES[e.kind] ?? -32000 })
          throw e
        }
        overlay.apply(r.diff)
        if (ctx.batch) ctx.batch.gasUsed += r.gasUsed
        gasBudget -= r.gasUsed
        header.gasUsed += r.gasUsed
        const evmLogs: Log[] = r.execution.logs.map((l) => ({ address: l.address, topics: l.topics.map((t) => bigintToWord(t)), data: l.data }))
        const tx = pseudoTx(msg, nonce, ctx.chain.spec.chainId)
        txs.push(tx)
        senders.push(msg.from)
        receipts.push({ type: tx.type, status: r.execution.status === 'success' ? 1 : 0, cumulativeGasUsed: header.gasUsed, logsBloom: logsBloom(evmLogs), logs: evmLogs })
        for (const l of evmLogs) logs.push({ log: l, tx: txs.length - 1 })
        const { status, output } = r.execution
        const res: Record<string, unknown> = { returnData: hex(output), logs: [], gasUsed: qty(r.gasUsed), status: qty(status === 'success' ? 1 : 0) }
        if (status === 'revert') res.error = new ExecutionRevertedError(output).toJSON()
        else if (status !== 'success') res.error = { message: vmError(status), code: VM_ERROR_CODE }
        results.push(res)
      }
      for (const r of receipts) bloomOr(header.logsBloom, r.logsBloom)
      header.transactionsRoot = transactionsRoot({ transactions: txs, ommers: [] })
      header.receiptsRoot = orderedTrieRoot(receipts.map(encodeReceipt))
      const block: Block = { header, transactions: txs, ommers: [], withdrawals: header.withdrawalsRoot ? [] : undefined }
      const bh = headerHash(header)
      hashes.set(number, bh)
      logs.forEach(({ log, tx }, logIndex) => {
        const placed = formatLog(log, { blockHash: bh, blockNumber: number, blockTimestamp: time, transactionHash: transactionHash(txs[tx]!), transactionIndex: tx, logIndex })
        ;(results[tx]!.logs as unknown[]).push(placed)
      })
      out.push({ ...formatBlock(block, fullTx, senders), calls: results })
      parent = header
    }
    return out
  },
}

