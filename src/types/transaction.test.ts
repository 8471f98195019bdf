import { describe, expect, test } from 'bun:test'
import { privateKeyToAddress, SECP256K1_N } from '../crypto/index.ts'
import { bytesToHex, encodeRlp, hexToBytes, type RlpInput } from '../primitives/index.ts'
import {
  decodeBlockTransaction,
  decodeTransaction,
  encodeBlockTransaction,
  encodeTransaction,
  gasFeeCap,
  gasTipCap,
  recoverSender,
  recoverSenders,
  signingHash,
  signTransaction,
  startRecoverSendersInOrder,
  TransactionError,
  transactionHash,
  transactionHashes,
  validateTransaction,
  type LegacyTransaction,
  type Transaction,
  type TransactionErrorKind,
  type UnsignedTransaction,
} from './index.ts'
import { SAMPLE_KEY, SAMPLE_UNSIGNED } from './testing/samples.ts'

const KEY = SAMPLE_KEY
const SENDER = privateKeyToAddress(KEY)
const KEY32 = (b: number) => new Uint8Array(32).fill(b)
const empty = new Uint8Array(0)
const UNSIGNED = SAMPLE_UNSIGNED

describe('known vectors', () => {
  test('the first mainnet transaction (block 46147): hash and sender', () => {
    const raw = hexToBytes(
      '0xf86780862d79883d2000825208945df9b87991262f6ba471f09758cde1c0fc1de734827a69801ca088ff6cf0fefd94db46111149ae4bfc179e9b94721fffd821d38d16464b3f71d0a045e0aff800961cfce805daef7016b9b675c137a6a41a548f7b60a3484c06a33a',
    )
    const tx = decodeTransaction(raw)
    expect(tx.type).toBe(0)
    expect(tx.value).toBe(31337n)
    expect(bytesToHex(transactionHash(tx))).toBe('0x5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060')
    expect(bytesToHex(recoverSender(tx))).toBe('0xa1e4380a3b1f749673e270229993ee55f35663b4')
    expect(validateTransaction(tx, { fork: 'frontier' }).gas).toBe(21_000n)
  })

  test('EIP-155 example: signing hash, signed bytes, sender', () => {
    expect(bytesToHex(signingHash(UNSIGNED.eip155!))).toBe('0xdaf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53')
    const tx = signTransaction(UNSIGNED.eip155!, KEY)
    expect(bytesToHex(encodeTransaction(tx))).toBe(
      '0xf86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025a028ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83',
    )
    expect(bytesToHex(SENDER)).toBe('0x9d8a62f656a8d1615c1294fd71e9cfb3e4855a4f')
    const decoded = decodeTransaction(encodeTransaction(tx))
    expect(decoded.type === 0 && decoded.chainId).toBe(1n)
    expect(bytesToHex(recoverSender(decoded))).toBe(bytesToHex(SENDER))
  })
})

describe('every type: sign, encode, decode, hash, recover', () => {
  for (const [name, unsigned] of Object.entries(UNSIGNED)) {
    test(name, () => {
      const tx = signTransaction(unsigned, KEY)
      const bytes = encodeTransaction(tx)
      expect(bytes[0]! >= 0xc0 ? 0 : bytes[0]).toBe(tx.type)
      const back = decodeTransaction(bytes.slice())
      expect(back).toEqual(tx)
      expect(bytesToHex(encodeTransaction({ ...back } as Transaction))).toBe(bytesToHex(bytes))
      expect(bytesToHex(transactionHash(back))).toBe(bytesToHex(transactionHash(tx)))
      expect(bytesToHex(recoverSender(back))).toBe(bytesToHex(SENDER))
      // Block-body form: legacy as is, typed wrapped in a byte string.
      const wrapped = encodeBlockTransaction(tx)
      if (tx.type === 0) expect(bytesToHex(wrapped)).toBe(bytesToHex(bytes))
      else expect(wrapped[0]! >= 0x80 && wrapped[0]! < 0xc0).toBe(true)
      expect(decodeBlockTransaction(wrapped)).toEqual(tx)
      expect(() => validateTransaction(back, { fork: 'prague', chainId: 1n })).not.toThrow()
    })
  }
})

test('recoverSenders: one batch, null for invalid signatures, hashes batched too', () => {
  const txs = Object.values(UNSIGNED).map((u) => signTransaction(u, KEY))
  const broken = { ...txs[2]!, r: SECP256K1_N } as Transaction
  const zero = { ...txs[3]!, s: 0n } as Transaction
  const senders = recoverSenders([...txs, broken, zero])
  expect(senders.slice(0, txs.length).map((s) => s && bytesToHex(s))).toEqual(txs.map(() => bytesToHex(SENDER)))
  expect(senders.slice(txs.length)).toEqual([null, null])
  expect(transactionHashes(txs).map(bytesToHex)).toEqual(txs.map((t) => bytesToHex(transactionHash(t))))
  expect(() => recoverSender(broken)).toThrow(TransactionError)
})

test('startRecoverSendersInOrder: the same senders as recoverSenders, each as it is asked for; invalid ones null; cached ones not recovered again', () => {
  const signed = Object.values(UNSIGNED).map((u) => signTransaction(u, KEY))
  // fresh objects (the sender cache is per object), a bad signature among them
  const txs = [...signed.map((t) => ({ ...t }) as Transaction), { ...signed[1]!, s: SECP256K1_N } as Transaction, { ...signed[0]! } as Transaction]
  const expected = recoverSenders(txs.map((t) => ({ ...t }) as Transaction)).map((s) => s && bytesToHex(s))
  const r = startRecoverSendersInOrder(txs)
  expect(bytesToHex(r.sender(0)!)).toBe(bytesToHex(SENDER))
  expect(r.sender(txs.length - 2)).toBeNull()
  expect(r.all().map((s) => s && bytesToHex(s))).toEqual(expected)
  expect(r.sender(txs.length - 1) && bytesToHex(r.sender(txs.length - 1)!)).toBe(bytesToHex(SENDER))
  // now cached: a second recovery of the same objects starts no job and answers at once
  expect(startRecoverSendersInOrder(txs).all().map((s) => s && bytesToHex(s))).toEqual(expected)
})

function rejects(fn: () => unknown, kind: TransactionErrorKind, field?: string) {
  try {
    fn()
  } catch (err) {
    expect(err).toBeInstanceOf(TransactionError)
    expect((err as TransactionError).kind).toBe(kind)
    if (field) expect((err as TransactionError).field).toBe(field)
    return
  }
  throw new Error(`expected a ${kind} rejection`)
}

describe('decoding rejects', () => {
  const legacy = encodeTransaction(signTransaction(UNSIGNED.legacy!, KEY))
  test('malformed RLP, trailing bytes, empty input', () => {
    rejects(() => decodeTransaction(legacy.subarray(0, legacy.length - 1)), 'malformed')
    rejects(() => decodeTransaction(new Uint8Array([...legacy, 0])), 'malformed')
    rejects(() => decodeTransaction(empty), 'malformed')
  })
  test('unknown types and byte strings', () => {
    rejects(() => decodeTransaction(hexToBytes('0x05c0')), 'unsupported-type')
    rejects(() => decodeTransaction(hexToBytes('0x8180')), 'unsupported-type')
  })
  test('field count, leading zeros, list for bytes, address length, 64-bit widths', () => {
    const fields = (...f: RlpInput[]) => encodeRlp([...f, ...Array(Math.max(0, 9 - f.length)).fill(empty)])
    rejects(() => decodeTransaction(encodeRlp([0, 0, 0])), 'field-count')
    rejects(() => decodeTransaction(fields(0, 0, 0, empty, 0, empty, 27, 1, 1, 0)), 'field-count')
    rejects(() => decodeTransaction(fields(hexToBytes('0x0001'))), 'leading-zeros', 'nonce')
    rejects(() => decodeTransaction(fields([1, 2])), 'field-type', 'nonce')
    rejects(() => decodeTransaction(fields(0, 0, 0, hexToBytes('0x0102'))), 'address-length', 'to')
    rejects(() => decodeTransaction(fields(0, 0, 2n ** 64n)), 'gas-limit-overflow', 'gasLimit')
    rejects(() => decodeTransaction(fields(2n ** 64n)), 'nonce-overflow', 'nonce')
  })
  test('blob and set-code transactions need `to`', () => {
    const blob = signTransaction({ ...UNSIGNED.eip4844!, to: null } as unknown as UnsignedTransaction, KEY)
    rejects(() => decodeTransaction(encodeTransaction(blob)), 'create-not-allowed', 'to')
  })
})

describe('validation', () => {
  const sign = (u: Partial<UnsignedTransaction>, base = UNSIGNED.eip1559!) => signTransaction({ ...base, ...u } as UnsignedTransaction, KEY)
  test('type activation per fork', () => {
    rejects(() => validateTransaction(sign({}), { fork: 'berlin' }), 'unsupported-type')
    rejects(() => validateTransaction(signTransaction(UNSIGNED.eip2930!, KEY), { fork: 'istanbul' }), 'unsupported-type')
    rejects(() => validateTransaction(signTransaction(UNSIGNED.eip4844!, KEY), { fork: 'shanghai' }), 'unsupported-type')
    rejects(() => validateTransaction(signTransaction(UNSIGNED.eip7702!, KEY), { fork: 'cancun' }), 'unsupported-type')
  })
  test('chain id and EIP-155 activation', () => {
    rejects(() => validateTransaction(sign({}), { fork: 'london', chainId: 5n }), 'invalid-chain-id')
    const eip155 = signTransaction(UNSIGNED.eip155!, KEY) as LegacyTransaction
    rejects(() => validateTransaction(eip155, { fork: 'homestead' }), 'invalid-signature', 'v')
    expect(() => validateTransaction(eip155, { fork: 'spuriousDragon', chainId: 1n })).not.toThrow()
    rejects(() => validateTransaction({ ...eip155, v: 30n, chainId: undefined }, { fork: 'london' }), 'invalid-chain-id')
  })
  test('EIP-2 low s from Homestead only', () => {
    const tx = signTransaction(UNSIGNED.legacy!, KEY) as LegacyTransaction
    const high = { ...tx, s: SECP256K1_N - tx.s, v: tx.v === 27n ? 28n : 27n } as Transaction
    expect(bytesToHex(recoverSender(high))).toBe(bytesToHex(SENDER))
    expect(() => validateTransaction(high, { fork: 'frontier' })).not.toThrow()
    rejects(() => validateTransaction(high, { fork: 'homestead' }), 'invalid-signature', 's')
  })
  test('bounds', () => {
    rejects(() => validateTransaction(sign({ nonce: 2n ** 64n - 1n }), { fork: 'london' }), 'nonce-max')
    rejects(() => validateTransaction(sign({ value: 2n ** 256n }), { fork: 'london' }), 'value-overflow', 'value')
    rejects(() => validateTransaction(sign({ maxPriorityFeePerGas: 101n }), { fork: 'london' }), 'priority-fee-too-high')
    rejects(() => validateTransaction(sign({ maxFeePerGas: 2n ** 255n, maxPriorityFeePerGas: 0n }), { fork: 'london' }), 'fee-product-overflow')
  })
  test('intrinsic gas, calldata floor (EIP-7623), initcode size (EIP-3860), gas cap (EIP-7825)', () => {
    rejects(() => validateTransaction(sign({ gasLimit: 20_999n }), { fork: 'london' }), 'intrinsic-gas-too-low')
    const data = new Uint8Array(1000).fill(1)
    // 21000 + 16000 calldata + 6200 access list; floor 21000 + 40000.
    expect(validateTransaction(sign({ data, gasLimit: 61_000n }), { fork: 'prague' })).toEqual({ gas: 43_200n, floor: 61_000n })
    rejects(() => validateTransaction(sign({ data, gasLimit: 60_999n }), { fork: 'prague' }), 'floor-gas-too-low')
    expect(() => validateTransaction(sign({ data, gasLimit: 60_999n }), { fork: 'cancun' })).not.toThrow()
    const initcode = { to: null, data: new Uint8Array(49_153), gasLimit: 1_000_000n }
    expect(() => validateTransaction(sign(initcode), { fork: 'paris' })).not.toThrow()
    rejects(() => validateTransaction(sign(initcode), { fork: 'shanghai' }), 'initcode-too-large')
    rejects(() => validateTransaction(sign({ gasLimit: 2n ** 24n + 1n }), { fork: 'osaka' }), 'gas-limit-too-high')
    expect(() => validateTransaction(sign({ gasLimit: 2n ** 24n + 1n }), { fork: 'prague' })).not.toThrow()
  })
  test('blob and authorization lists', () => {
    const blob = UNSIGNED.eip4844!
    rejects(() => validateTransaction(sign({ blobVersionedHashes: [] } as Partial<UnsignedTransaction>, blob), { fork: 'cancun' }), 'no-blobs')
    rejects(() => validateTransaction(sign({ blobVersionedHashes: [KEY32(2)] } as Partial<UnsignedTransaction>, blob), { fork: 'cancun' }), 'blob-version')
    const seven = Array.from({ length: 7 }, () => hexToBytes(`0x01${'00'.repeat(31)}`))
    rejects(() => validateTransaction(sign({ blobVersionedHashes: seven } as Partial<UnsignedTransaction>, blob), { fork: 'cancun' }), 'too-many-blobs')
    expect(() => validateTransaction(sign({ blobVersionedHashes: seven } as Partial<UnsignedTransaction>, blob), { fork: 'prague' })).not.toThrow()
    rejects(() => validateTransaction(sign({ authorizationList: [] } as Partial<UnsignedTransaction>, UNSIGNED.eip7702!), { fork: 'prague' }), 'empty-authorization-list')
  })
})

test('fee caps by type', () => {
  const [legacy, , eip2930, eip1559] = Object.values(UNSIGNED).map((u) => signTransaction(u, KEY))
  expect([gasFeeCap(legacy!), gasTipCap(legacy!)]).toEqual([1n, 1n])
  expect([gasFeeCap(eip2930!), gasTipCap(eip2930!)]).toEqual([7n, 7n])
  expect([gasFeeCap(eip1559!), gasTipCap(eip1559!)]).toEqual([100n, 2n])
})
