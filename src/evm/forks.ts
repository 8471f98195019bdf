/**
 * Forks as ordered lists of changes. Each change cites its EIP and edits a builder: opcode
 * definitions (handler, static gas, stack arity), precompiles, and a few behaviour flags read
 * by handlers. `getFork(name)` applies the changes of every fork up to `name`, once, and
 * freezes the result into 256-entry tables.
 */
import { EvmError } from './errors.ts'
import { FORK_NAMES, type Fork, type EvmForkName, type Handler } from './frame.ts'
import * as ar from './instructions/arithmetic.ts'
import * as bw from './instructions/bitwise.ts'
import * as bk from './instructions/block.ts'
import * as cmp from './instructions/comparison.ts'
import * as ctl from './instructions/control.ts'
import * as env from './instructions/environment.ts'
import { keccak } from './instructions/keccak.ts'
import { makeLog } from './instructions/logging.ts'
import * as mem from './instructions/memory.ts'
import * as st from './instructions/stack.ts'
import * as sto from './instructions/storage.ts'
import * as sys from './instructions/system.ts'
import type { Precompile } from './precompiles/types.ts'
import { PARIS_PRECOMPILES, PRAGUE_PRECOMPILES, OSAKA_PRECOMPILES, CANCUN_PRECOMPILES } from './precompiles/index.ts'
import { STACK_LIMIT } from './gas.ts'
import * as G from './gas.ts'

export interface OpDef {
  name: string
  /** Static gas, charged before the handler runs. */
  gas: number
  /** Stack items popped and pushed. */
  pops: number
  pushes: number
  fn: Handler
}

interface Builder {
  ops: (OpDef | undefined)[]
  precompiles: Map<number, Precompile>
  flags: { eip3860: boolean; eip7702: boolean; eip7883: boolean }
}

export interface ForkChange {
  eip: number
  summary: string
  apply(b: Builder): void
}

const op = (name: string, gas: number, pops: number, pushes: number, fn: Handler): OpDef => ({ name, gas, pops, pushes, fn })

/** The instruction set as of Paris (London + EIP-4399). */
function parisOps(): (OpDef | undefined)[] {
  const t: (OpDef | undefined)[] = new Array(256).fill(undefined)
  const def = (code: number, d: OpDef) => (t[code] = d)
  def(0x00, op('STOP', 0, 0, 0, ctl.stop))
  def(0x01, op('ADD', G.G_VERYLOW, 2, 1, ar.add))
  def(0x02, op('MUL', G.G_LOW, 2, 1, ar.mul))
  def(0x03, op('SUB', G.G_VERYLOW, 2, 1, ar.sub))
  def(0x04, op('DIV', G.G_LOW, 2, 1, ar.div))
  def(0x05, op('SDIV', G.G_LOW, 2, 1, ar.sdiv))
  def(0x06, op('MOD', G.G_LOW, 2, 1, ar.mod))
  def(0x07, op('SMOD', G.G_LOW, 2, 1, ar.smod))
  def(0x08, op('ADDMOD', G.G_MID, 3, 1, ar.addmod))
  def(0x09, op('MULMOD', G.G_MID, 3, 1, ar.mulmod))
  def(0x0a, op('EXP', G.G_EXP, 2, 1, ar.exp))
  def(0x0b, op('SIGNEXTEND', G.G_LOW, 2, 1, ar.signextend))
  def(0x10, op('LT', G.G_VERYLOW, 2, 1, cmp.lt))
  def(0x11, op('GT', G.G_VERYLOW, 2, 1, cmp.gt))
  def(0x12, op('SLT', G.G_VERYLOW, 2, 1, cmp.slt))
  def(0x13, op('SGT', G.G_VERYLOW, 2, 1, cmp.sgt))
  def(0x14, op('EQ', G.G_VERYLOW, 2, 1, cmp.eq))
  def(0x15, op('ISZERO', G.G_VERYLOW, 1, 1, cmp.iszero))
  def(0x16, op('AND', G.G_VERYLOW, 2, 1, bw.and))
  def(0x17, op('OR', G.G_VERYLOW, 2, 1, bw.or))
  def(0x18, op('XOR', G.G_VERYLOW, 2, 1, bw.xor))
  def(0x19, op('NOT', G.G_VERYLOW, 1, 1, bw.not))
  def(0x1a, op('BYTE', G.G_VERYLOW, 2, 1, bw.byte))
  def(0x1b, op('SHL', G.G_VERYLOW, 2, 1, bw.shl))
  def(0x1c, op('SHR', G.G_VERYLOW, 2, 1, bw.shr))
  def(0x1d, op('SAR', G.G_VERYLOW, 2, 1, bw.sar))
  def(0x20, op('KECCAK256', G.G_KECCAK, 2, 1, keccak))
  def(0x30, op('ADDRESS', G.G_BASE, 0, 1, env.address))
  def(0x31, op('BALANCE', 0, 1, 1, env.balance))
  def(0x32, op('ORIGIN', G.G_BASE, 0, 1, env.origin))
  def(0x33, op('CALLER', G.G_BASE, 0, 1, env.caller))
  def(0x34, op('CALLVALUE', G.G_BASE, 0, 1, env.callvalue))
  def(0x35, op('CALLDATALOAD', G.G_VERYLOW, 1, 1, env.calldataload))
  def(0x36, op('CALLDATASIZE', G.G_BASE, 0, 1, env.calldatasize))
  def(0x37, op('CALLDATACOPY', G.G_VERYLOW, 3, 0, env.calldatacopy))
  def(0x38, op('CODESIZE', G.G_BASE, 0, 1, env.codesize))
  def(0x39, op('CODECOPY', G.G_VERYLOW, 3, 0, env.codecopy))
  def(0x3a, op('GASPRICE', G.G_BASE, 0, 1, env.gasprice))
  def(0x3b, op('EXTCODESIZE', 0, 1, 1, env.extcodesize))
  def(0x3c, op('EXTCODECOPY', 0, 4, 0, env.extcodecopy))
  def(0x3d, op('RETURNDATASIZE', G.G_BASE, 0, 1, env.returndatasize))
  def(0x3e, op('RETURNDATACOPY', G.G_VERYLOW, 3, 0, env.returndatacopy))
  def(0x3f, op('EXTCODEHASH', 0, 1, 1, env.extcodehash))
  def(0x40, op('BLOCKHASH', G.G_BLOCKHASH, 1, 1, bk.blockhash))
  def(0x41, op('COINBASE', G.G_BASE, 0, 1, bk.coinbase))
  def(0x42, op('TIMESTAMP', G.G_BASE, 0, 1, bk.timestamp))
  def(0x43, op('NUMBER', G.G_BASE, 0, 1, bk.number))
  def(0x44, op('PREVRANDAO', G.G_BASE, 0, 1, bk.prevrandao))
  def(0x45, op('GASLIMIT', G.G_BASE, 0, 1, bk.gaslimit))
  def(0x46, op('CHAINID', G.G_BASE, 0, 1, bk.chainid))
  def(0x47, op('SELFBALANCE', G.G_LOW, 0, 1, env.selfbalance))
  def(0x48, op('BASEFEE', G.G_BASE, 0, 1, bk.basefee))
  def(0x50, op('POP', G.G_BASE, 1, 0, st.pop))
  def(0x51, op('MLOAD', G.G_VERYLOW, 1, 1, mem.mload))
  def(0x52, op('MSTORE', G.G_VERYLOW, 2, 0, mem.mstore))
  def(0x53, op('MSTORE8', G.G_VERYLOW, 2, 0, mem.mstore8))
  def(0x54, op('SLOAD', 0, 1, 1, sto.sload))
  def(0x55, op('SSTORE', 0, 2, 0, sto.sstore))
  def(0x56, op('JUMP', G.G_MID, 1, 0, ctl.jump))
  def(0x57, op('JUMPI', G.G_HIGH, 2, 0, ctl.jumpi))
  def(0x58, op('PC', G.G_BASE, 0, 1, ctl.pc))
  def(0x59, op('MSIZE', G.G_BASE, 0, 1, mem.msize))
  def(0x5a, op('GAS', G.G_BASE, 0, 1, ctl.gas))
  def(0x5b, op('JUMPDEST', G.G_JUMPDEST, 0, 0, ctl.jumpdest))
  def(0x60, op('PUSH1', G.G_VERYLOW, 0, 1, st.push1))
  for (let n = 2; n <= 32; n++) def(0x5f + n, op(`PUSH${n}`, G.G_VERYLOW, 0, 1, st.makePush(n)))
  for (let n = 1; n <= 16; n++) def(0x7f + n, op(`DUP${n}`, G.G_VERYLOW, n, n + 1, st.makeDup(n)))
  for (let n = 1; n <= 16; n++) def(0x8f + n, op(`SWAP${n}`, G.G_VERYLOW, n + 1, n + 1, st.makeSwap(n)))
  for (let n = 0; n <= 4; n++) def(0xa0 + n, op(`LOG${n}`, G.G_LOG + G.G_LOG_TOPIC * n, n + 2, 0, makeLog(n)))
  def(0xf0, op('CREATE', G.G_CREATE, 3, 1, sys.create))
  def(0xf1, op('CALL', 0, 7, 1, sys.call))
  def(0xf2, op('CALLCODE', 0, 7, 1, sys.callcode))
  def(0xf3, op('RETURN', 0, 2, 0, sys.ret))
  def(0xf4, op('DELEGATECALL', 0, 6, 1, sys.delegatecall))
  def(0xf5, op('CREATE2', G.G_CREATE, 4, 1, sys.create2))
  def(0xfa, op('STATICCALL', 0, 6, 1, sys.staticcall))
  def(0xfd, op('REVERT', 0, 2, 0, sys.revert))
  def(0xfe, op('INVALID', 0, 0, 0, ctl.invalid))
  def(0xff, op('SELFDESTRUCT', G.G_SELFDESTRUCT, 1, 0, sys.selfdestructLegacy))
  return t
}

const addPrecompiles = (b: Builder, list: ReadonlyMap<number, Precompile>) => {
  for (const [k, v] of list) b.precompiles.set(k, v)
}

/** Changes per fork, applied in order on top of the previous fork. */
export const FORK_CHANGES: Record<EvmForkName, ForkChange[]> = {
  paris: [
    { eip: 3675, summary: 'Paris base: London instruction set, EIP-4399 PREVRANDAO', apply: (b) => addPrecompiles(b, PARIS_PRECOMPILES) },
  ],
  shanghai: [
    { eip: 3855, summary: 'PUSH0', apply: (b) => (b.ops[0x5f] = op('PUSH0', G.G_BASE, 0, 1, st.push0)) },
    { eip: 3860, summary: 'limit and meter initcode', apply: (b) => (b.flags.eip3860 = true) },
  ],
  cancun: [
    { eip: 1153, summary: 'TLOAD', apply: (b) => (b.ops[0x5c] = op('TLOAD', G.G_TRANSIENT, 1, 1, sto.tload)) },
    { eip: 1153, summary: 'TSTORE', apply: (b) => (b.ops[0x5d] = op('TSTORE', G.G_TRANSIENT, 2, 0, sto.tstore)) },
    { eip: 5656, summary: 'MCOPY', apply: (b) => (b.ops[0x5e] = op('MCOPY', G.G_VERYLOW, 3, 0, mem.mcopy)) },
    { eip: 4844, summary: 'BLOBHASH', apply: (b) => (b.ops[0x49] = op('BLOBHASH', G.G_VERYLOW, 1, 1, bk.blobhash)) },
    { eip: 7516, summary: 'BLOBBASEFEE', apply: (b) => (b.ops[0x4a] = op('BLOBBASEFEE', G.G_BASE, 0, 1, bk.blobbasefee)) },
    { eip: 6780, summary: 'SELFDESTRUCT only in the same transaction', apply: (b) => (b.ops[0xff] = op('SELFDESTRUCT', G.G_SELFDESTRUCT, 1, 0, sys.selfdestruct6780)) },
    { eip: 4844, summary: 'point evaluation precompile 0x0a', apply: (b) => addPrecompiles(b, CANCUN_PRECOMPILES) },
  ],
  prague: [
    { eip: 2537, summary: 'BLS12-381 precompiles 0x0b–0x11', apply: (b) => addPrecompiles(b, PRAGUE_PRECOMPILES) },
    { eip: 7702, summary: 'calls follow delegation designators', apply: (b) => (b.flags.eip7702 = true) },
  ],
  osaka: [
    { eip: 7939, summary: 'CLZ', apply: (b) => (b.ops[0x1e] = op('CLZ', G.G_LOW, 1, 1, bw.clz)) },
    { eip: 7883, summary: 'modexp repricing and EIP-7823 input bounds', apply: (b) => (b.flags.eip7883 = true) },
    { eip: 7951, summary: 'P256VERIFY precompile 0x100', apply: (b) => addPrecompiles(b, OSAKA_PRECOMPILES) },
  ],
}

const built = new Map<EvmForkName, Fork>()

export function isForkName(name: string): name is EvmForkName {
  return (FORK_NAMES as readonly string[]).includes(name)
}

/** The tables of `name` (built on first use). Throws RangeError for an unknown fork. */
export function getFork(name: EvmForkName | string): Fork {
  const key = name.toLowerCase()
  if (!isForkName(key)) throw new EvmError('EVM_UNKNOWN_FORK', `unknown fork ${name}; known: ${FORK_NAMES.join(', ')}`)
  let fork = built.get(key)
  if (fork) return fork
  const b: Builder = { ops: parisOps(), precompiles: new Map(), flags: { eip3860: false, eip7702: false, eip7883: false } }
  for (const f of FORK_NAMES) {
    for (const change of FORK_CHANGES[f]) change.apply(b)
    if (f === key) break
  }
  const handlers: Handler[] = new Array(256)
  const staticGas = new Uint32Array(256)
  const stackMin = new Uint16Array(256)
  const stackMax = new Uint16Array(256)
  const stackPushes = new Uint8Array(256)
  const opNames: string[] = new Array(256)
  for (let i = 0; i < 256; i++) {
    const d = b.ops[i]
    if (d === undefined) {
      handlers[i] = ctl.invalid
      stackMax[i] = STACK_LIMIT
      opNames[i] = `0x${i.toString(16).padStart(2, '0')}`
      continue
    }
    handlers[i] = d.fn
    staticGas[i] = d.gas
    stackMin[i] = d.pops
    stackMax[i] = STACK_LIMIT - Math.max(0, d.pushes - d.pops)
    stackPushes[i] = d.pushes
    opNames[i] = d.name
  }
  fork = { name: key, handlers, staticGas, stackMin, stackMax, stackPushes, opNames, precompiles: b.precompiles, ...b.flags }
  built.set(key, fork)
  return fork
}
