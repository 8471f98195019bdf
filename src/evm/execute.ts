/**
 * executeMessage: runs a message and all the frames it spawns, iteratively (an explicit frame
 * stack, so depth 1024 never deepens the JS stack). Per frame: snapshot, touch/transfer,
 * precompile or bytecode, then commit or revert; creates also pay and check the code deposit
 * (EIP-170, EIP-3541).
 *
 * Consumer: the executor (a transaction's message; it has already charged intrinsic gas, bumped
 * the sender nonce, and warmed sender, target, precompiles, coinbase and the access list).
 */
import { EMPTY_BYTES, type Address } from '../primitives/index.ts'
import { delegateOf, isDelegation } from './address.ts'
import { analyze } from './analysis.ts'
import { getFork } from './forks.ts'
import { type Context, type Fork, type EvmForkName, Frame, type MemSlot, type PendingChild } from './frame.ts'
import { addGas, charge, MAX_GAS, MAX_GAS_N, narrowGas, totalGas } from './gas-meter.ts'
import { S } from './status.ts'
import { addressToWord } from './words.ts'
import { G_CODE_DEPOSIT, MAX_CODE_SIZE } from './gas.ts'
import { runFrame } from './jit/index.ts'
import { lookupPrecompile } from './precompiles/index.ts'
import { withSignatureOverrides } from './precompiles/signature-overrides.ts'
import type { Host } from './host.ts'
import type { ExecutionResult, ExecutionStatus, Message, Tracer } from './types.ts'

interface FrameResult {
  status: S
  /** A number when it fits 2^53-1, else exact (see "wide gas" in frame.ts). */
  gasLeft: number | bigint
  refund: number
  output: Uint8Array
}

const STATUS_NAMES: Record<number, ExecutionStatus> = {
  [S.Stop]: 'success',
  [S.Return]: 'success',
  [S.Revert]: 'revert',
  [S.OutOfGas]: 'outOfGas',
  [S.InvalidOpcode]: 'invalidOpcode',
  [S.StackUnderflow]: 'stackUnderflow',
  [S.StackOverflow]: 'stackOverflow',
  [S.InvalidJump]: 'invalidJump',
  [S.StaticStateChange]: 'staticStateChange',
  [S.ReturnDataOutOfBounds]: 'returnDataOutOfBounds',
  [S.InvalidContractPrefix]: 'invalidContractPrefix',
  [S.CodeSizeLimit]: 'codeSizeLimit',
  [S.PrecompileError]: 'precompileError',
}

const isCreate = (kind: string): boolean => kind === 'create' || kind === 'create2'
const isSuccess = (s: S): boolean => s === S.Stop || s === S.Return

/** Stacks pooled by depth across calls; a nested executeMessage (from a host callback) gets its own. */
const sharedStacks: bigint[][] = []
const sharedMems: MemSlot[] = []
let sharedInUse = false

/**
 * Executes `msg` against `host` under `fork`. For creates, `msg.to` is the new address and
 * `msg.input` the initcode.
 */
export function executeMessage(host: Host, msg: Message, fork: Fork | EvmForkName, tracer?: Tracer): ExecutionResult {
  const g = msg.gas
  // the caller's contract (the executor and eth_call bound gas first), so not a MosaicError
  if (typeof g === 'number' ? !Number.isSafeInteger(g) || g < 0 : g < 0n) throw new RangeError(`message gas ${g} is not a non-negative safe integer or bigint`)
  const named = typeof fork === 'string' ? getFork(fork) : fork
  const f = host.signatures?.size ? withSignatureOverrides(named, host.signatures) : named
  const shared = !sharedInUse
  sharedInUse = true
  try {
    return run(host, msg, f, tracer, shared ? sharedStacks : [], shared ? sharedMems : [])
  } finally {
    if (shared) sharedInUse = false
  }
}

function run(host: Host, msg: Message, f: Fork, tracer: Tracer | undefined, stacks: bigint[][], mems: MemSlot[]): ExecutionResult {
  const ctx: Context = { host, fork: f, tracer, logs: [], stacks, mems }
  const create = isCreate(msg.kind)
  const m: Required<Message> = {
    kind: msg.kind,
    caller: msg.caller,
    to: msg.to,
    codeAddress: msg.codeAddress ?? msg.to,
    value: msg.value,
    input: create ? EMPTY_BYTES : msg.input,
    gas: typeof msg.gas === 'bigint' ? narrowGas(msg.gas) : msg.gas,
    depth: msg.depth ?? 0,
    isStatic: msg.isStatic ?? false,
  }
  let code = create ? msg.input : host.getCode(m.codeAddress)
  let disablePrecompiles = false
  if (create) {
    // a transaction creating onto an account with code, nonce or storage fails (EIP-684, EIP-7610)
    if (host.getNonce(m.to) !== 0n || host.getCode(m.to).length !== 0 || host.hasStorage(m.to)) {
      return { status: 'createCollision', gasLeft: 0, gasRefund: 0, output: EMPTY_BYTES, logs: [] }
    }
  } else if (f.eip7702 && isDelegation(code)) {
    // EIP-7702: the delegate is warmed for free at the top level
    m.codeAddress = delegateOf(code)
    host.warmAddress(m.codeAddress)
    code = host.getCode(m.codeAddress)
    disablePrecompiles = true
  }
  const res = drive(ctx, { msg: m, code, disablePrecompiles, retOffset: 0, retSize: 0 })
  const ok = isSuccess(res.status)
  return toResult(res, ok && create ? m.to : undefined, ok ? ctx.logs : [])
}

function drive(ctx: Context, first: PendingChild): FrameResult {
  const frames: Frame[] = []
  let cur = enter(ctx, first)
  if (!(cur instanceof Frame)) return cur
  for (;;) {
    runFrame(cur)
    if (cur.status === S.Suspended) {
      const child = enter(ctx, cur.pending!)
      if (child instanceof Frame) {
        frames.push(cur)
        cur = child
      } else {
        resume(cur, child)
      }
      continue
    }
    const res = leave(ctx, cur)
    const parent = frames.pop()
    if (parent === undefined) return res
    resume(parent, res)
    cur = parent
  }
}

/** Starts a frame: snapshot, touch (EIP-161), value transfer, then a precompile or a Frame. */
function enter(ctx: Context, p: PendingChild): Frame | FrameResult {
  const { host, tracer } = ctx
  const m = p.msg
  // a create frame's input, as tracers report it (geth's callTracer), is its initcode
  if (tracer?.onEnter) tracer.onEnter(isCreate(m.kind) ? { ...m, input: p.code } : m)
  const snapshot = host.snapshot()
  const create = isCreate(m.kind)
  if (create) host.createContract(m.to)
  else host.touch(m.to)
  if (m.value !== 0n && m.kind !== 'delegatecall' && m.kind !== 'staticcall') host.transfer(m.caller, m.to, m.value)
  if (!create && !p.disablePrecompiles) {
    const precompile = lookupPrecompile(ctx.fork, m.codeAddress)
    if (precompile !== undefined) {
      // a wide allowance is offered as 2^53-1: no precompile's price comes near (modexp's could
      // only for exponent lengths of ~2^37 bytes, which no input can hold)
      const limit = typeof m.gas === 'number' ? m.gas : MAX_GAS
      const r = precompile(m.input, limit, ctx.fork)
      let res: FrameResult
      if (r.status === 'success') {
        host.commit(snapshot)
        res = { status: S.Return, gasLeft: typeof m.gas === 'number' ? m.gas - r.gasUsed : narrowGas(m.gas - BigInt(r.gasUsed)), refund: 0, output: r.output }
      } else {
        host.revert(snapshot)
        res = { status: r.status === 'outOfGas' ? S.OutOfGas : S.PrecompileError, gasLeft: 0, refund: 0, output: EMPTY_BYTES }
      }
      tracer?.onExit?.(toResult(res), m.depth)
      return res
    }
  }
  return new Frame(ctx, m, p.code, analyze(p.code), snapshot)
}

/** Ends a frame: code deposit for creates, then commit, or revert and drop its logs. */
function leave(ctx: Context, f: Frame): FrameResult {
  const host = ctx.host
  let status = f.status
  const output = f.output
  if (isSuccess(status) && isCreate(f.kind)) {
    if (output.length > 0 && output[0] === 0xef) status = S.InvalidContractPrefix // EIP-3541
    else if (output.length > MAX_CODE_SIZE) status = S.CodeSizeLimit // EIP-170
    else if (!charge(f, output.length * G_CODE_DEPOSIT)) status = S.OutOfGas
    else host.setCode(f.address, output)
  }
  const gasLeft = f.reserve === 0n ? f.gas : narrowGas(totalGas(f))
  let res: FrameResult
  if (isSuccess(status)) {
    host.commit(f.snapshot)
    res = { status, gasLeft, refund: f.refund, output }
  } else {
    host.revert(f.snapshot)
    ctx.logs.length = f.logStart
    res = status === S.Revert ? { status, gasLeft, refund: 0, output } : { status, gasLeft: 0, refund: 0, output: EMPTY_BYTES }
  }
  ctx.tracer?.onExit?.(toResult(res), f.depth)
  return res
}

/** Hands a child's result back to its suspended parent. */
function resume(parent: Frame, res: FrameResult): void {
  const p = parent.pending!
  parent.pending = null
  parent.status = S.Running
  addGas(parent, res.gasLeft)
  const ok = isSuccess(res.status)
  if (ok) parent.refund += res.refund
  if (isCreate(p.msg.kind)) {
    parent.stack[parent.sp++] = ok ? addressToWord(p.msg.to) : 0n
    parent.returnData = res.status === S.Revert ? res.output : EMPTY_BYTES
    return
  }
  parent.stack[parent.sp++] = ok ? 1n : 0n
  parent.returnData = res.output
  const n = Math.min(p.retSize, res.output.length)
  if (n > 0) parent.mem.set(n === res.output.length ? res.output : new Uint8Array(res.output.buffer, res.output.byteOffset, n), p.retOffset)
}

function toResult(r: FrameResult, createdAddress?: Address, logs: ExecutionResult['logs'] = []): ExecutionResult {
  const left = r.gasLeft
  const out: ExecutionResult = { status: STATUS_NAMES[r.status]!, gasLeft: Number(left), gasRefund: isSuccess(r.status) ? r.refund : 0, output: r.output, logs }
  if (typeof left === 'bigint' && left > MAX_GAS_N) out.gasLeftWide = left
  if (createdAddress) out.createdAddress = createdAddress
  return out
}
