/**
 * Prague against revm: the same signed transactions on anvil (`--hardfork prague`, chain 31337,
 * the standard test mnemonic) and through Mosaic's executeTransaction, comparing status, gas
 * used, logs and the touched state after each (test/anvil-prague-harness.ts). Covers EIP-7702
 * set-code transactions and calls into delegated accounts, the EIP-2537 BLS12-381 precompiles
 * with valid inputs, block hashes read through the EIP-2935 history contract, and the EIP-7623
 * calldata floor. Skipped with a message when node_modules/.bin/anvil is missing.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { bls12_381 } from '@noble/curves/bls12-381.js'
import { startAnvil, type Anvil } from '../bench/anvil.ts'
import { compileSolidity } from '../bench/solc.ts'
import { createAddress } from '../src/evm/index.ts'
import { bigintToWord, bytesToHex, concatBytes, hexToBigint, hexToBytes, type Address } from '../src/primitives/index.ts'
import { signAuthorization, type Authorization, type UnsignedTransaction } from '../src/types/index.ts'
import { addressOf, CHAIN_ID, DEV_ADDRESSES, DEV_KEYS, HISTORY, MNEMONIC, PragueComparison } from './anvil-prague-harness.ts'
import { fp, g1, g2 } from '../src/evm/testing/bls-encoding.ts'

const HAVE_ANVIL = existsSync(join(import.meta.dir, '..', 'node_modules', '.bin', 'anvil'))
if (!HAVE_ANVIL) console.log('anvil-prague: node_modules/.bin/anvil not found, skipped')

const [KEY_A, KEY_B, KEY_C] = DEV_KEYS as [Uint8Array, Uint8Array, Uint8Array]
const A = addressOf(KEY_A), B = addressOf(KEY_B), C = addressOf(KEY_C)
const GWEI = 1_000_000_000n

// calldata = 32-byte target address ‖ input: STATICCALLs the target with the input, LOG1s the
// return data with the success flag as topic, and stores the flag at slot NUMBER (a fresh slot
// per block, so execution gas stays above the EIP-7623 floor and gas differences show)
const PROBER = hexToBytes('0x3660209003806020' + '5f375f5f825f5f355afa3d5f5f3e803d5fa1804355' + '00')
const PROBER_INIT = concatBytes(hexToBytes(`0x60${PROBER.length.toString(16).padStart(2, '0')}8060095f395ff3`), PROBER)

const DELEGATE_SOL = `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;
contract Delegate {
    event Called(address self, address caller, uint256 value, uint256 counter);
    uint256 public counter;
    function poke(uint256 x) external payable returns (uint256) {
        counter += x;
        emit Called(address(this), msg.sender, msg.value, counter);
        return counter;
    }
}`

const word = (n: bigint) => bigintToWord(n)
const addressWord = (a: Address) => word(hexToBigint(bytesToHex(a)))
const precompile = (n: number) => hexToBytes(`0x${n.toString(16).padStart(40, '0')}`)

describe.skipIf(!HAVE_ANVIL)('Prague: Mosaic vs anvil (revm)', () => {
  let anvil: Anvil
  let chain: PragueComparison
  let prober: Address
  let delegate: Address
  let pokeSelector: string

  beforeAll(async () => {
    anvil = await startAnvil(['--hardfork', 'prague', '--chain-id', String(CHAIN_ID), '--mnemonic', MNEMONIC])
    chain = new PragueComparison(anvil)
    await chain.init()
  }, 60_000)
  afterAll(async () => {
    await anvil?.stop()
  }, 10_000)

  const fees = { maxFeePerGas: 20n * GWEI, maxPriorityFeePerGas: GWEI }
  const call = (from: Address, to: Address | null, data: Uint8Array, extra: Partial<{ value: bigint; gasLimit: bigint }> = {}): UnsignedTransaction => ({
    type: 2,
    chainId: CHAIN_ID,
    nonce: chain.nonceOf(from),
    ...fees,
    gasLimit: extra.gasLimit ?? 1_000_000n,
    to,
    value: extra.value ?? 0n,
    data,
    accessList: [],
  })
  const setCode = (from: Address, to: Address, data: Uint8Array, authorizationList: Authorization[]): UnsignedTransaction => ({
    type: 4,
    chainId: CHAIN_ID,
    nonce: chain.nonceOf(from),
    ...fees,
    gasLimit: 1_000_000n,
    to,
    value: 0n,
    data,
    accessList: [],
    authorizationList,
  })
  const poke = (x: bigint) => concatBytes(hexToBytes(`0x${pokeSelector}`), word(x))
  const probe = (target: Address, input: Uint8Array) => concatBytes(addressWord(target), input)

  test('the dev accounts are the mnemonic\'s', () => {
    expect<string[]>([A, B, C].map((a) => bytesToHex(a))).toEqual(DEV_ADDRESSES)
  })

  test('contract creation: the prober and a solc-compiled delegate', async () => {
    const created = await chain.send(call(A, null, PROBER_INIT), KEY_A)
    prober = createAddress(A, created.tx.nonce)
    expect(created.receipt.contractAddress).toBe(bytesToHex(prober))
    expect(created.mosaic.execution.createdAddress).toEqual(prober)
    const d = compileSolidity(DELEGATE_SOL, 'prague').Delegate!
    pokeSelector = d.selectors['poke(uint256)']!
    const sent = await chain.send(call(A, null, d.bytecode), KEY_A)
    delegate = createAddress(A, sent.tx.nonce)
    expect(sent.receipt.contractAddress).toBe(bytesToHex(delegate))
  }, 30_000)

  test('EIP-7702: sponsored delegation, calls into the delegated account, the delegated account as sender', async () => {
    const auth = signAuthorization({ chainId: CHAIN_ID, address: delegate, nonce: chain.nonceOf(B) }, KEY_B)
    const first = await chain.send(setCode(A, B, poke(5n), [auth]), KEY_A, [delegate])
    expect(first.receipt.status).toBe('0x1')
    expect(bytesToHex(chain.base.getAccount(B)!.code)).toBe(`0xef0100${bytesToHex(delegate).slice(2)}`)
    await chain.expectSlot(B, 0n, 5n)
    // a plain call into the delegated account runs the delegate's code on B's storage
    const second = await chain.send(call(A, B, poke(7n), { value: 1n }), KEY_A, [delegate])
    expect(second.receipt.logs.length).toBe(1)
    await chain.expectSlot(B, 0n, 12n)
    // EIP-3607 does not reject a sender whose code is a delegation
    await chain.send(call(B, C, new Uint8Array(0), { value: 1000n }), KEY_B)
  }, 30_000)

  test('EIP-7702: self-sponsored re-delegation, chain id 0, skipped authorizations, revocation', async () => {
    // the sender's nonce is bumped before authorizations, so its own authorization uses nonce + 1
    const self = signAuthorization({ chainId: CHAIN_ID, address: prober, nonce: chain.nonceOf(B) + 1n }, KEY_B)
    const anyChain = signAuthorization({ chainId: 0n, address: delegate, nonce: chain.nonceOf(C) }, KEY_C)
    const wrongChain = signAuthorization({ chainId: 1n, address: delegate, nonce: chain.nonceOf(A) }, KEY_A)
    const staleNonce = signAuthorization({ chainId: CHAIN_ID, address: delegate, nonce: chain.nonceOf(A) + 5n }, KEY_A)
    const sent = await chain.send(setCode(B, B, probe(precompile(4), new Uint8Array([1, 2, 3])), [self, anyChain, wrongChain, staleNonce]), KEY_B, [A, C, prober, delegate])
    expect(sent.receipt.logs[0]?.data).toBe('0x010203')
    expect(bytesToHex(chain.base.getAccount(C)!.code)).toBe(`0xef0100${bytesToHex(delegate).slice(2)}`)
    expect(chain.base.getAccount(A)!.code.length).toBe(0)
    await chain.send(call(A, C, poke(1n)), KEY_A, [delegate])
    // delegating to the zero address clears the code
    const revoke = signAuthorization({ chainId: CHAIN_ID, address: new Uint8Array(20), nonce: chain.nonceOf(C) }, KEY_C)
    await chain.send(setCode(A, C, new Uint8Array(0), [revoke]), KEY_A)
    expect(chain.base.getAccount(C)!.code.length).toBe(0)
  }, 30_000)

  test('EIP-2537: the BLS12-381 precompiles 0x0b–0x11 with valid inputs', async () => {
    const G = bls12_381.G1.Point.BASE, H = bls12_381.G2.Point.BASE
    const inputs: [number, Uint8Array][] = [
      [0x0b, concatBytes(g1(G), g1(G.double()))],
      [0x0c, concatBytes(g1(G), word(2n), g1(G.double()), word(3n))],
      [0x0d, concatBytes(g2(H), g2(H.double()))],
      [0x0e, concatBytes(g2(H), word(5n), g2(H.double()), word(6n))],
      [0x0f, concatBytes(g1(G), g2(H), g1(G.negate()), g2(H))],
      [0x10, fp(0x1234567890abcdefn)],
      [0x11, concatBytes(fp(1n), fp(2n))],
    ]
    for (const [n, input] of inputs) {
      const sent = await chain.send(call(A, prober, probe(precompile(n), input)), KEY_A)
      const log = sent.receipt.logs[0]!
      expect(log.topics[0], `precompile ${n} succeeded`).toBe(bytesToHex(word(1n)))
      expect(log.data.length, `precompile ${n} output`).toBeGreaterThan(2)
    }
    // and as a transaction's own target, with an access list so the gas is above the floor
    for (const [n, input] of [inputs[0]!, inputs[4]!]) {
      const accessList = [{ address: precompile(n), storageKeys: Array.from({ length: 10 }, (_, i) => word(BigInt(i))) }]
      const sent = await chain.send({ ...call(A, precompile(n), input), accessList } as UnsignedTransaction, KEY_A)
      expect(sent.receipt.status).toBe('0x1')
    }
  }, 60_000)

  test('EIP-2935: block hashes read through the history contract', async () => {
    // relative to the block the probe lands in: its parent and older blocks are served, the
    // block itself is not (the contract reverts)
    for (const back of [1n, 2n, 10n, -1n, 0n]) {
      const block = hexToBigint(await anvil.rpc<string>('eth_blockNumber')) + 1n
      const n = back < 0n ? 0n : block - back
      const sent = await chain.send(call(A, prober, probe(HISTORY, word(n))), KEY_A)
      const log = sent.receipt.logs[0]!
      if (back === 0n) {
        expect(log.topics[0], 'the current block is out of range').toBe(bytesToHex(word(0n)))
        continue
      }
      const hash = (await anvil.rpc<{ hash: string }>('eth_getBlockByNumber', [`0x${n.toString(16)}`, false])).hash
      expect(log.data, `hash of block ${n}`).toBe(hash)
    }
    await chain.send(call(A, HISTORY, word(1n)), KEY_A)
  }, 60_000)

  test('EIP-7623: the calldata floor for a transaction with much calldata and little execution', async () => {
    const data = new Uint8Array(4000).fill(0xab)
    const sent = await chain.send(call(A, C, data, { gasLimit: 300_000n }), KEY_A)
    // tokens = 4 per non-zero byte; floor = 21000 + 10 per token, above 21000 + 16 per byte
    expect(sent.mosaic.gasUsed).toBe(21_000n + 10n * 4n * 4000n)
    const zeros = new Uint8Array(3000)
    zeros[0] = 1
    await chain.send(call(A, C, zeros, { gasLimit: 300_000n }), KEY_A)
    // execution above the floor: the floor does not apply
    await chain.send(call(A, prober, probe(precompile(4), new Uint8Array(600).fill(7)), { gasLimit: 300_000n }), KEY_A)
  }, 30_000)
})
