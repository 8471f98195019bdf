/**
 * The seeded case generator of the differential fuzzer. A case is a pre-state (contracts with
 * code, storage, balance and nonce, set on both sides) and one to three transactions that one
 * block holds. Kinds: structured and random bytecode over every opcode, precompile calls with
 * edge-case inputs, EIP-7702 authorizations, blob transactions, calldata-heavy transactions
 * (EIP-7623 floor), CREATE/CREATE2 collisions, SELFDESTRUCT in the same and a later transaction,
 * deep call stacks; any single-transaction case may get its gas limit at the out-of-gas boundary.
 * Everything follows from the seed (`generateCase(seed, fork)`).
 */
import { privateKeyToAddress } from '../../src/crypto/index.ts'
import { createAddress, type EvmForkName } from '../../src/evm/index.ts'
import { concatBytes, hexToBytes, type Address } from '../../src/primitives/index.ts'
import { signAuthorization, type AccessList, type Authorization } from '../../src/types/index.ts'
import { childInitcodes, definedOpcodes, push, randomProgram, storeInMemory, structuredProgram } from './bytecode.ts'
import { precompileInput } from './precompile-inputs.ts'
import { Rng } from './rng.ts'

export type FuzzFork = Extract<EvmForkName, 'prague' | 'osaka'>
export const CHAIN_ID = 31337n
export const GWEI = 1_000_000_000n

/** anvil's dev keys for the test mnemonic (m/44'/60'/0'/0/0..2): the senders. */
export const SENDER_KEYS = [
  '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80',
  '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d',
  '0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a',
].map((k) => hexToBytes(k))

export interface CaseAccount {
  address: Address
  balance: bigint
  nonce: bigint
  code: Uint8Array
  storage: [bigint, bigint][]
}

/** A transaction before signing; the runner fills in the nonce (from the sender's count). */
export interface CaseTx {
  sender: number
  type: 0 | 1 | 2 | 3 | 4
  to: Address | null
  value: bigint
  data: Uint8Array
  gas: bigint
  accessList: AccessList
  /** Type 3: how many blobs (the runner builds the sidecar). */
  blobs?: number
  authorizations?: Authorization[]
  /** Set the gas limit to the gas Mosaic needs plus this (can be negative): the OOG boundary. */
  boundary?: number
}

export interface FuzzCase {
  seed: number
  fork: FuzzFork
  kind: string
  accounts: CaseAccount[]
  txs: CaseTx[]
}

export const KINDS = ['structured', 'random', 'precompile', 'set-code', 'blob', 'calldata', 'create-collision', 'selfdestruct', 'deep-calls'] as const
export type CaseKind = (typeof KINDS)[number]

const HISTORY = hexToBytes('0x0000f90827f1c53a10cb7a02335b175320002935')
const BEACON_ROOTS = hexToBytes('0x000f3df6d732807ef1319fb7b8bb8522d0beac02')
const precompileAddress = (n: number): Address => {
  const a = new Uint8Array(20)
  a[18] = n >> 8
  a[19] = n & 0xff
  return a
}

/** Addresses of the fork's precompiles, by their low two bytes. */
export function precompileNumbers(fork: FuzzFork): number[] {
  const n = Array.from({ length: 17 }, (_, i) => i + 1)
  return fork === 'osaka' ? [...n, 0x100] : n
}

// calldata = gas word ‖ target word ‖ input: STATICCALLs the target, stores success, return data
// size and hash at slots 0-2, returns the return data
const PROBER = hexToBytes('0x3660409003' + '806040' + '5f37' + '5f5f825f6020355f35fa' + '5f55' + '3d600155' + '3d5f5f3e' + '3d5f20600255' + '3d5ff3')

// calldata word 0 = depth left: TSTOREs it, calls itself with depth-1 and all gas but a 64th;
// at 0 stores 1 at slot 0 (reached only when the gas and the 1024 limit allow)
const RECURSER = hexToBytes('0x5f358080' + '5d' + '8015601a57' + '600190035f52' + '5f5f60205f5f305af100' + '5b60015f5500')

export function generateCase(seed: number, fork: FuzzFork, only?: CaseKind): FuzzCase {
  const rng = new Rng(seed)
  const kind: CaseKind = only ?? rng.pick(KINDS)
  const fresh = (): Address => concatBytes(Uint8Array.of(0xc0 | rng.int(16)), rng.bytes(19))
  const accounts: CaseAccount[] = []
  const contract = (code: Uint8Array, storage: [bigint, bigint][] = [], balance = BigInt(rng.pick([0, 1, 1000, 1e18]))): Address => {
    const address = fresh()
    accounts.push({ address, balance, nonce: BigInt(rng.pick([0, 1, 1, 5])), code, storage })
    return address
  }
  const ops = definedOpcodes(fork)
  const empty = fresh()
  const base = [precompileAddress(rng.pick(precompileNumbers(fork))), precompileAddress(rng.pick(precompileNumbers(fork))), HISTORY, BEACON_ROOTS, new Uint8Array(20), empty]
  const tx = (over: Partial<CaseTx> & Pick<CaseTx, 'to' | 'data'>): CaseTx => ({
    sender: rng.int(2),
    type: rng.pick([0, 1, 2, 2, 2] as const),
    value: BigInt(rng.pick([0, 0, 1, 1000])),
    gas: BigInt(rng.pick([100_000, 1_000_000, 3_000_000, 8_000_000])),
    accessList: [],
    ...over,
  })
  const txs: CaseTx[] = []
  const storage = (): [bigint, bigint][] => (rng.chance(0.5) ? [[BigInt(rng.int(4)), BigInt(rng.int(3))], [17n, 1n]] : [])

  switch (kind) {
    case 'structured':
    case 'random': {
      // two programs that can call each other, and the first called by the transaction
      const a = fresh(), b = fresh()
      const targets = { addresses: [a, b, ...base] }
      const program = () =>
        kind === 'structured' ? structuredProgram(rng, ops, 8 + rng.int(40), targets, childInitcodes(b)) : randomProgram(rng, ops, 10 + rng.int(200))
      accounts.push({ address: a, balance: 10n ** 18n, nonce: 1n, code: program(), storage: storage() })
      accounts.push({ address: b, balance: 0n, nonce: 1n, code: program(), storage: storage() })
      txs.push(tx({ to: a, data: rng.bytes(rng.pick([0, 4, 32, 68])), boundary: rng.chance(0.2) ? rng.pick([-1, 0, 1, 2300]) : undefined }))
      break
    }
    case 'precompile': {
      const prober = contract(PROBER)
      const calls = 1 + rng.int(3)
      for (let i = 0; i < calls; i++) {
        const p = rng.pick(precompileNumbers(fork))
        const gas = BigInt(rng.pick([0, 1, 15, 100, 600, 3000, 3450, 6000, 45_000, 100_000, 500_000, 5_000_000]))
        const data = concatBytes(wordOf(gas), wordOf(BigInt(p)), precompileInput(rng, p))
        txs.push(tx({ to: prober, data, gas: 8_000_000n, boundary: calls === 1 && rng.chance(0.25) ? rng.pick([-1, 0, 1]) : undefined }))
      }
      break
    }
    case 'set-code': {
      const delegate = contract(structuredProgram(rng, ops, 10, { addresses: [...base] }, childInitcodes(empty)))
      const keys = Array.from({ length: 1 + rng.int(3) }, () => concatBytes(Uint8Array.of(1 + rng.int(100)), rng.bytes(31)))
      const sender = rng.int(2)
      const auths = keys.map((key, i) =>
        signAuthorization(
          {
            chainId: rng.pick([0n, CHAIN_ID, CHAIN_ID, 5n]),
            address: rng.chance(0.85) ? delegate : new Uint8Array(20),
            nonce: BigInt(rng.chance(0.85) ? 0 : rng.pick([1, 2])),
          },
          i === 0 && rng.chance(0.2) ? SENDER_KEYS[sender]! : key,
        ),
      )
      if (rng.chance(0.3)) auths.push(auths[0]!) // a repeated authority
      // authorities exist (a balance): anvil counts a missing one as existing for the EIP-7702
      // refund, against the execution-specs' account_exists (seed 68)
      for (const key of keys) accounts.push({ address: privateKeyToAddress(key), balance: BigInt(1 + rng.int(1000)), nonce: 0n, code: new Uint8Array(0), storage: [] })
      const authority = rng.chance(0.7) ? privateKeyToAddress(keys[0]!) : delegate
      txs.push({ sender, type: 4, to: authority, value: BigInt(rng.pick([0, 1])), data: rng.bytes(rng.pick([0, 32])), gas: 1_000_000n, accessList: [], authorizations: auths })
      if (rng.chance(0.5)) txs.push(tx({ sender: 1 - sender, to: authority, data: new Uint8Array(0) }))
      break
    }
    case 'blob': {
      // BLOBHASH 0..3 and BLOBBASEFEE stored
      const reader = contract(concatBytes(...[0, 1, 2, 3].map((i) => concatBytes(push(BigInt(i)), Uint8Array.of(0x49), push(BigInt(i)), Uint8Array.of(0x55))), Uint8Array.of(0x4a, 0x60, 0x09, 0x55)))
      // up to 6: anvil's pool refuses more per transaction in Prague too (a pool policy; the
      // block limit is 9, EIP-7691)
      const n = 1 + rng.int(6)
      txs.push({ sender: 0, type: 3, to: reader, value: 0n, data: new Uint8Array(0), gas: 200_000n, accessList: [], blobs: n })
      if (rng.chance(0.4)) txs.push({ sender: 1, type: 3, to: reader, value: 0n, data: new Uint8Array(0), gas: 200_000n, accessList: [], blobs: 1 + rng.int(3) })
      break
    }
    case 'calldata': {
      const size = rng.pick([1, 100, 1000, 10_000, 60_000])
      const data = rng.bytes(size)
      const zeros = rng.pick([0, 0.5, 0.9, 1])
      for (let i = 0; i < size; i++) if (rng.chance(zeros)) data[i] = 0
      const to = rng.chance(0.5) ? empty : contract(Uint8Array.of(0x36, 0x5f, 0x55)) // CALLDATASIZE at slot 0
      // gas at the floor (EIP-7623) or the intrinsic gas, ± 1: the runner prices it
      txs.push(tx({ to, data, gas: 0n, boundary: rng.pick([-1, 0, 1]) }))
      // EIP-7825 (Osaka): a gas limit at the 2^24 cap and one above it (refused on both sides)
      if (rng.chance(0.15)) txs.push(tx({ to, data: new Uint8Array(0), gas: (1n << 24n) + BigInt(rng.int(2)) }))
      break
    }
    case 'create-collision': {
      // a factory CREATE/CREATE2s a child where an account exists already (nonce, code or storage: EIP-7610)
      const initcode = rng.pick(childInitcodes(empty))
      const salt = BigInt(rng.int(2))
      const useCreate2 = rng.chance(0.5)
      const factoryCode = concatBytes(
        storeInMemory(initcode),
        ...[0n, 1n].map((slot) => concatBytes(useCreate2 ? push(salt) : new Uint8Array(0), push(BigInt(initcode.length)), push(0n), push(0n), Uint8Array.of(useCreate2 ? 0xf5 : 0xf0, 0x80, 0x3b), push(slot), Uint8Array.of(0x55, 0x50))),
        Uint8Array.of(0x00),
      )
      const factory = fresh()
      const nonce = BigInt(rng.pick([1, 2]))
      accounts.push({ address: factory, balance: 0n, nonce, code: factoryCode, storage: [] })
      const predicted = createAddress(factory, nonce)
      // nonce or code: revm does not count storage alone as a collision (EIP-7610 does: seed 83)
      const occupant = rng.int(2)
      accounts.push({ address: predicted, balance: 5n, nonce: occupant === 0 ? 1n : 0n, code: occupant === 1 ? Uint8Array.of(0x00) : new Uint8Array(0), storage: occupant === 2 ? [[1n, 1n]] : [] })
      txs.push(tx({ to: factory, data: new Uint8Array(0), gas: 1_000_000n }))
      if (rng.chance(0.3)) txs.push(tx({ to: null, data: initcode, gas: 500_000n }))
      break
    }
    case 'selfdestruct': {
      const beneficiary = rng.pick([empty, new Uint8Array(20), fresh()])
      const initcodes = childInitcodes(beneficiary)
      const code = initcodes[1]!.subarray(11) // the self-destructing runtime
      const existing = contract(code, [[0n, 1n]], 10n ** 15n)
      const child = initcodes[rng.pick([1, 2])]!
      const factory = contract(concatBytes(storeInMemory(child), push(BigInt(child.length)), push(0n), push(1n), Uint8Array.of(0xf0), Uint8Array.of(0x80), push(0n), Uint8Array.of(0x55), push(0n), push(0n), push(0n), push(0n), push(0n), Uint8Array.of(0x85, 0x5a, 0xf1, 0x00)), [], 10n ** 15n)
      txs.push(tx({ to: rng.chance(0.5) ? existing : factory, data: new Uint8Array(0), value: 0n }))
      txs.push(tx({ to: existing, data: new Uint8Array(0), value: BigInt(rng.pick([0, 7])) })) // a later transaction
      break
    }
    case 'deep-calls': {
      const recurser = contract(RECURSER)
      const depth = BigInt(rng.pick([10, 100, 500, 1023, 1030]))
      txs.push(tx({ to: recurser, data: wordOf(depth), gas: BigInt(rng.pick([1_000_000, 5_000_000, 15_000_000])), boundary: rng.chance(0.2) ? rng.pick([-1, 0, 1]) : undefined }))
      break
    }
  }
  for (const t of txs) {
    if (t.type === 1 || t.type === 2) {
      if (rng.chance(0.3)) t.accessList = [{ address: t.to ?? empty, storageKeys: [wordOf(BigInt(rng.int(3)))] }]
    }
  }
  return { seed, fork, kind, accounts, txs }
}

function wordOf(v: bigint): Uint8Array {
  const out = new Uint8Array(32)
  for (let i = 31; i >= 0 && v > 0n; i--, v >>= 8n) out[i] = Number(v & 0xffn)
  return out
}
