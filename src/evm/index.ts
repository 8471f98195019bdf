/**
 * The EVM (layer 4): interpreter and compiling tier, per-fork opcode tables and gas, call frames, precompiles and
 * tracer hooks. Consumer: the executor (one `executeMessage` per transaction), `mosaic run`,
 * and later eth_call/estimateGas in rpc. State is reached only through `Host`.
 *
 * Flow: `executeMessage(host, msg, fork, tracer?)` resolves the code (following an EIP-7702
 * designator), then a driver loop runs frames on an explicit frame stack: `enter` (snapshot,
 * touch, value transfer, then a precompile or a new Frame) → `runFrame` (the compiled code of hot
 * code, jit/, or the interpreter's instruction loop)
 * → on a CALL or CREATE the handler leaves a `pending` child and suspends → the child runs → `resume`
 * pushes its result into the parent → `leave` (code deposit for creates, commit or revert).
 * Nesting never deepens the JS stack, so depth 1024 is safe.
 *
 * Design:
 * - forks.ts: a fork is the ordered list of changes up to it (`FORK_CHANGES`, each citing its
 *   EIP) applied to the Paris instruction set; `getFork` freezes 256-entry handler, static-gas
 *   and stack-bound tables once per fork.
 * - instructions/*: one file per opcode family; every handler is `(f: Frame) => void`, pays its
 *   dynamic gas with `charge`/`useMemory`, and halts by setting `f.status` (no exceptions).
 * - frame.ts: the frame (stack of preallocated bigints with a pointer, pooled per depth) and
 *   the frozen `Fork` tables it runs on; frame-memory.ts: memory as a growable Uint8Array from
 *   a per-depth pool; words.ts: word conversions (fast paths for words within ±2^53);
 *   gas-meter.ts: gas as a JS number plus an exact bigint reserve for gas above 2^53-1
 *   (pre-Osaka limits); status.ts: frame status codes.
 * - analysis.ts: JUMPDEST map and decoded PUSH2–32 immediates, once per code object (cached by
 *   identity).
 * - interpreter.ts: PUSH/DUP/SWAP, jumps and a few cheap arithmetic ops run inline in the loop;
 *   the rest through the fork's handler table.
 * - precompiles/*: pure `(input, gasLimit, fork) → {status, gasUsed, output}`, one file per
 *   address, named gas constants.
 * - jit/*: the compiling tier — hot code (by calls and gas, cached by code hash in a bounded
 *   LRU) runs as one JavaScript function per basic block; `setJitMode` (`--evm.jit`,
 *   MOSAIC_EVM_JIT) turns it off, on for every code, or auto. Frames with a step tracer and
 *   blocks that cannot run whole (stack bounds, static gas) run in the interpreter.
 * - Tracing: the traced loop is picked once per frame; without a tracer nothing is paid.
 * - Logs and the refund counter live in the EVM (dropped with a reverted frame); everything
 *   else that must be undone on revert lives in the Host's journal.
 */
export type { AccessHost, AccountHost, BlockContext, EnvHost, Host, JournalHost, LifecycleHost, StorageHost, SignatureOverrides, TxContext } from './host.ts'
export type { CallKind, ExecutionResult, ExecutionStatus, HaltReason, EvmLog, Message, Tracer } from './types.ts'
export { executeMessage } from './execute.ts'
export { FORK_CHANGES, getFork, isForkName, type ForkChange } from './forks.ts'
export { FORK_NAMES, type Fork, type EvmForkName } from './frame.ts'
export { create2Address, createAddress, delegateOf, isDelegation } from './address.ts'
export { lookupPrecompile, precompileAddresses, type Precompile, type PrecompileResult } from './precompiles/index.ts'
export { signatureKey, SignatureTable } from './precompiles/signature-overrides.ts'
export { jumpdestMap } from './analysis.ts'
export { setJitMode, jitMode, JIT_MODES, type JitMode } from './jit/index.ts'
export * as gas from './gas.ts'
export { EvmError, type EvmErrorCode } from './errors.ts'
