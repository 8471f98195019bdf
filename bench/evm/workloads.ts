/**
 * The EVM benchmark's workloads: each is a pre-state (accounts with code and storage), a call
 * (target, calldata, gas) and a name. Hand-written loops exercise one opcode family each; the
 * others are compiled with solc from the Solidity sources beside this file (written for this
 * bench): an ERC-20 batch, Uniswap-V2-style swaps, a MULMOD/EXP loop, a 1 MiB memory loop,
 * 10,000 calls between two contracts and a SnailTracer-style ray tracer.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { keccak256 } from '../../src/crypto/index.ts'
import { bigintToWord, bytesToBigint, concatBytes, hexToBytes, type Address } from '../../src/primitives/index.ts'
import { compileSolidity, type Compiled } from '../solc.ts'

export interface Workload {
  name: string
  accounts: { address: Address; code: Uint8Array; storage?: [bigint, bigint][] }[]
  to: Address
  input: Uint8Array
  gas: number
}

export const CALLER: Address = hexToBytes('0x1000000000000000000000000000000000000001')
const MAIN: Address = hexToBytes('0x2000000000000000000000000000000000000002')
const TOKEN: Address = hexToBytes('0x3000000000000000000000000000000000000003')
const TOKEN_B: Address = hexToBytes('0x4000000000000000000000000000000000000004')
const PAIR: Address = hexToBytes('0x5000000000000000000000000000000000000005')
const GAS = 1_000_000_000

const code = (s: string) => hexToBytes(`0x${s.replace(/ /g, '')}`)
const single = (name: string, program: string, input = new Uint8Array(0)): Workload => ({ name, accounts: [{ address: MAIN, code: code(program) }], to: MAIN, input, gas: GAS })

/** Hand-written loops; each counts down a PUSHed counter at the JUMPDEST at offset 3 or 4. */
export function programWorkloads(): Workload[] {
  return [
    // i = 100000; do { x = (x * 3 + i) ^ (x >> 7); i-- } while (i)
    single('arithmetic', '620186a0 6000 5b 6003 02 81 01 80 6007 1c 18 90 6001 90 03 90 81 6006 57 50 50 00'),
    // 20000 × keccak256 over 64 bytes of memory, storing the result back
    single('keccak', '614e20 5b 6040 6000 20 6000 52 6001 90 03 80 6003 57 00'),
    // 2000 × SSTORE/SLOAD on rotating slots
    single('storage', '6107d0 5b 80 80 55 80 54 50 6001 90 03 80 6003 57 00'),
    // 2000 × STATICCALL to the identity precompile with 32 bytes
    single('calls', '6107d0 5b 6020 6000 6020 6000 6004 5a fa 50 6001 90 03 80 6003 57 00'),
    // 20000 × MCOPY of 1 KiB within memory (EIP-5656)
    single('mcopy', '614e20 5b 610400 6000 610400 5e 6001 90 03 80 6003 57 00'),
    // 20000 × CALLDATACOPY of 1 KiB of calldata into memory
    single('calldatacopy', '614e20 5b 610400 6000 6000 37 6001 90 03 80 6003 57 00', new Uint8Array(1024).map((_, i) => i)),
  ]
}

const word = (n: bigint) => bigintToWord(n)
const addressWord = (a: Address) => word(bytesToBigint(a))

/** 500 ERC-20 transfers from a Batch contract that holds the supply, to fresh recipients. */
export function erc20Workload(transfers = 500): Workload {
  const contracts = compileSolidity(readFileSync(join(import.meta.dir, 'token.sol'), 'utf8'))
  const token = contracts.Token!, batch = contracts.Batch!
  const supply = 10n ** 30n
  // balanceOf is slot 0: balanceOf[a] lives at keccak256(a . 0); totalSupply is slot 2
  const holderSlot = bytesToBigint(keccak256(concatBytes(addressWord(MAIN), word(0n))))
  const sel = (sig: string) => hexToBytes(`0x${batch.selectors[sig]!}`)
  return {
    name: 'erc20',
    accounts: [
      { address: MAIN, code: batch.deployed },
      { address: TOKEN, code: token.deployed, storage: [[holderSlot, supply], [2n, supply]] },
    ],
    to: MAIN,
    input: concatBytes(sel('run(address,uint256)'), addressWord(TOKEN), word(BigInt(transfers))),
    gas: GAS,
  }
}

const solidity = (file: string) => compileSolidity(readFileSync(join(import.meta.dir, file), 'utf8'))
const call = (c: Compiled, sig: string, ...args: Uint8Array[]) => concatBytes(hexToBytes(`0x${c.selectors[sig]!}`), ...args)
const contract = (address: Address, c: Compiled) => ({ address, code: c.deployed })

/** Uniswap-V2-style: seed a pair, then `swaps` swaps back and forth (bench/evm/uniswap.sol). */
export function uniswapWorkload(swaps = 200): Workload {
  const c = solidity('uniswap.sol')
  const swapper = c.Swapper!
  return {
    name: 'uniswap',
    accounts: [contract(MAIN, swapper), contract(PAIR, c.Pair!), contract(TOKEN, c.MintableToken!), contract(TOKEN_B, c.MintableToken!)],
    to: MAIN,
    input: call(swapper, 'run(address,address,address,uint256)', addressWord(PAIR), addressWord(TOKEN), addressWord(TOKEN_B), word(BigInt(swaps))),
    gas: GAS,
  }
}

/** MULMOD/ADDMOD modular exponentiation and full-word EXP in a loop (bench/evm/bignum.sol). */
export function bignumWorkload(n = 300): Workload {
  const c = solidity('bignum.sol').BigNum!
  return { name: 'bignum', accounts: [contract(MAIN, c)], to: MAIN, input: call(c, 'run(uint256)', word(BigInt(n))), gas: GAS }
}

/** MLOAD/MSTORE over a 1 MiB array, `rounds` passes (bench/evm/memory.sol). */
export function memoryWorkload(rounds = 4): Workload {
  const c = solidity('memory.sol').MemoryHeavy!
  return { name: 'memory', accounts: [contract(MAIN, c)], to: MAIN, input: call(c, 'run(uint256)', word(BigInt(rounds))), gas: GAS }
}

/** `n` CALLs from one contract into another (bench/evm/calls.sol). */
export function callHeavyWorkload(n = 10_000): Workload {
  const c = solidity('calls.sol')
  return {
    name: 'call-heavy',
    accounts: [contract(MAIN, c.Caller!), contract(TOKEN, c.Callee!)],
    to: MAIN,
    input: call(c.Caller!, 'run(address,uint256)', addressWord(TOKEN), word(BigInt(n))),
    gas: GAS,
  }
}

/** A SnailTracer-style ray tracer's Benchmark(), compiled from bench/evm/snailtracer.sol. */
export function snailtracerWorkload(): Workload {
  const c = solidity('snailtracer.sol').SnailTracer!
  return { name: 'snailtracer', accounts: [contract(MAIN, c)], to: MAIN, input: call(c, 'Benchmark()'), gas: GAS }
}
