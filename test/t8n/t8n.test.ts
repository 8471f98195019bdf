/**
 * `mosaic t8n` on hand-made inputs, through its public entry: transfers with rejected
 * transactions, a contract creation and a call that logs, a blob transaction, withdrawals, and a
 * Prague block (EIP-4788/2935 system calls, an EIP-7002 request, an EIP-7702 authorization).
 * Roots are checked against @ethereumjs/vm running the same block, balances against values
 * worked out by hand.
 */
import { describe, expect, test } from 'bun:test'
import { DEV_ACCOUNTS, DEV_PRIVATE_KEYS, dev } from '../../src/chainspec/index.ts'
import { keccak256 } from '../../src/crypto/index.ts'
import { bigintToHex, bytesToHex, decodeRlp, encodeRlp, hexToBytes, type RlpItem } from '../../src/primitives/index.ts'
import { signAuthorization } from '../../src/types/index.ts'
import { ethereumjsBlock, type OracleInput } from './ejs-oracle.ts'
import { t8n, ZERO32 } from './run.ts'

const [A, B, C] = DEV_ACCOUNTS.map((a) => a.toLowerCase())
const [KEY_A, KEY_B] = DEV_PRIVATE_KEYS
const COINBASE = '0xc014ba5e00000000000000000000000000000000'
const ETH = 10n ** 18n
const q = bigintToHex

/** Canonical encodings of the transactions in a t8n body (block-body RLP list). */
function bodyTxs(body: string): Uint8Array[] {
  return (decodeRlp(hexToBytes(body)) as RlpItem[]).map((item) => (Array.isArray(item) ? encodeRlp(item) : item))
}

function env(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    currentCoinbase: COINBASE,
    currentGasLimit: '30000000',
    currentNumber: '1',
    currentTimestamp: '1000',
    currentRandom: '0x42',
    currentBaseFee: '7',
    currentExcessBlobGas: '0',
    parentBeaconBlockRoot: ZERO32,
    withdrawals: [],
    ...extra,
  }
}

function oracleOf(fork: OracleInput['fork'], alloc: OracleInput['alloc'], body: string, extra: Partial<OracleInput> = {}): OracleInput {
  return { fork, alloc, coinbase: COINBASE, number: 1n, timestamp: 1000n, gasLimit: 30_000_000n, baseFee: 7n, random: `0x${'00'.repeat(31)}42`, txs: bodyTxs(body), ...extra }
}

function expectSameRoots(result: Record<string, any>, o: Awaited<ReturnType<typeof ethereumjsBlock>>): void {
  expect(result.stateRoot).toBe(o.stateRoot)
  expect(result.receiptsRoot).toBe(o.receiptsRoot)
  expect(result.txRoot).toBe(o.txRoot)
  expect(result.logsBloom).toBe(o.logsBloom)
  expect(BigInt(result.gasUsed)).toBe(o.gasUsed)
  if (o.withdrawalsRoot) expect(result.withdrawalsRoot).toBe(o.withdrawalsRoot)
  if (o.requestsHash) expect(result.requestsHash).toBe(o.requestsHash)
}

const transfer = (nonce: number, extra: Record<string, unknown> = {}) => ({
  type: '0x2', chainId: '0x1', nonce: q(nonce), gas: q(21_000), maxFeePerGas: q(100), maxPriorityFeePerGas: q(2), to: B, value: q(1000), input: '0x', secretKey: KEY_A, ...extra,
})

describe('t8n: transfers and rejections', () => {
  const alloc = { [A]: { balance: q(ETH) }, [C]: { balance: q(1000) } }
  const txs = [
    transfer(0),
    transfer(0), // nonce too low now
    transfer(5), // nonce too high
    { ...transfer(0), secretKey: DEV_PRIVATE_KEYS[2] }, // C cannot pay 21000 * 100
    transfer(1, { gas: q(20_000) }), // below intrinsic gas
    transfer(1, { type: '0x0', gasPrice: q(10), maxFeePerGas: undefined, maxPriorityFeePerGas: undefined }), // legacy, EIP-155
  ]

  test('included, rejected, balances, roots', async () => {
    const r = await t8n({ alloc, env: env(), txs }, 'Cancun')
    expect(r.code).toBe(0)
    const res = r.out!.result
    expect(res.rejected).toEqual([
      { index: 1, error: `nonce too low: address ${DEV_ACCOUNTS[0]}, tx: 0 state: 1` },
      { index: 2, error: `nonce too high: address ${DEV_ACCOUNTS[0]}, tx: 5 state: 1` },
      { index: 3, error: `insufficient funds for gas * price + value: address ${DEV_ACCOUNTS[2]} have 1000 want 2101000` },
      { index: 4, error: 'intrinsic gas too low: have 20000, want 21000' },
    ])
    expect(res.receipts.map((x: any) => [x.type, x.status, x.gasUsed, x.cumulativeGasUsed, x.transactionIndex, x.effectiveGasPrice])).toEqual([
      ['0x2', '0x1', '0x5208', '0x5208', '0x0', '0x9'],
      [undefined, '0x1', '0x5208', '0xa410', '0x1', '0xa'],
    ])
    expect(res.gasUsed).toBe('0xa410')
    // A pays 21000 * 9 + 1000, then 21000 * 10 + 1000; the coinbase gets the tips 21000 * (2 + 3).
    expect(BigInt(r.out!.alloc[A].balance)).toBe(ETH - 21_000n * 9n - 21_000n * 10n - 2000n)
    expect(r.out!.alloc[A].nonce).toBe('0x2')
    expect(BigInt(r.out!.alloc[B].balance)).toBe(2000n)
    expect(BigInt(r.out!.alloc[COINBASE].balance)).toBe(21_000n * 5n)
    expect(r.out!.alloc[C]).toEqual({ balance: '0x3e8' })
    expect(res.receipts[0].transactionHash).toBe(bytesToHex(keccak256(bodyTxs(r.out!.body)[0]!)))
    expectSameRoots(res, await ethereumjsBlock(oracleOf('Cancun', alloc, r.out!.body)))
  })

  test('a block gas limit below the second transaction rejects it with "gas limit reached"', async () => {
    const r = await t8n({ alloc, env: env({ currentGasLimit: '30000' }), txs: [transfer(0), transfer(1)] }, 'Cancun')
    expect(r.out!.result.rejected).toEqual([{ index: 1, error: 'gas limit reached' }])
  })

  test('a signed transaction is taken as it is; a bad signature is rejected', async () => {
    const first = await t8n({ alloc, env: env(), txs: [transfer(0)] }, 'Cancun')
    const signed = bodyTxs(first.out!.body)[0]!
    const again = await t8n({ alloc, env: env(), txsRlp: first.out!.body }, 'Cancun')
    expect(again.out!.result.stateRoot).toBe(first.out!.result.stateRoot)
    expect(signed[0]).toBe(2)
    // r = 0 is out of range: no sender can be recovered
    const bad = await t8n({ alloc, env: env(), txs: [{ ...transfer(0), secretKey: undefined, v: '0x0', r: '0x0', s: '0x1' }] }, 'Cancun')
    expect(bad.out!.result.rejected).toEqual([{ index: 0, error: 'invalid transaction v, r, s values' }])
    expect(bad.out!.result.stateRoot).not.toBe(first.out!.result.stateRoot)
  })

  test('a wrong chain id and a type the fork lacks', async () => {
    const r = await t8n({ alloc, env: env(), txs: [transfer(0, { chainId: '0x5' }), transfer(0, { type: '0x4', authorizationList: [] })] }, 'Cancun')
    expect(r.out!.result.rejected).toEqual([
      { index: 0, error: 'invalid chain id for signer: have 5 want 1' },
      { index: 1, error: 'transaction type not supported' },
    ])
  })
})

describe('t8n: contract creation and logs', () => {
  // runtime: SSTORE(0, 42); LOG1(0, 0, topic 0xff); STOP
  const runtime = '602a60005560ff60006000a100'
  // initcode: MSTORE(0, runtime) right-aligned, RETURN(19, 13)
  const initcode = `0x6c${runtime}600052600d6013f3`
  const alloc = { [A]: { balance: q(ETH) } }
  const base = { type: '0x2', chainId: '0x1', gas: q(200_000), maxFeePerGas: q(10), maxPriorityFeePerGas: q(1), value: '0x0', secretKey: KEY_A }

  test('create, then call the new contract', async () => {
    const created = '0x' + Buffer.from(keccak256(encodeRlp([hexToBytes(A!), 0n])).subarray(12)).toString('hex')
    const txs = [{ ...base, nonce: '0x0', to: null, input: initcode }, { ...base, nonce: '0x1', to: created, input: '0x' }]
    const r = await t8n({ alloc, env: env(), txs }, 'Cancun')
    const res = r.out!.result
    expect(res.rejected).toBeUndefined()
    expect(res.receipts[0].contractAddress).toBe(created)
    expect(res.receipts[1].contractAddress).toBe(`0x${'00'.repeat(20)}`)
    expect(r.out!.alloc[created]).toEqual({ code: `0x${runtime}`, storage: { [`0x${'00'.repeat(32)}`]: `0x${'00'.repeat(31)}2a` }, balance: '0x0', nonce: '0x1' })
    const log = res.receipts[1].logs[0]
    expect([log.address, log.topics, log.data, log.logIndex, log.transactionIndex, log.transactionHash]).toEqual([
      created, [`0x${'00'.repeat(31)}ff`], '0x', '0x0', '0x1', res.receipts[1].transactionHash,
    ])
    // logsHash = keccak(rlp([[address, [topic], data]]))
    expect(res.logsHash).toBe(bytesToHex(keccak256(encodeRlp([[hexToBytes(created), [hexToBytes(log.topics[0])], new Uint8Array(0)]]))))
    expectSameRoots(res, await ethereumjsBlock(oracleOf('Cancun', alloc, r.out!.body)))
  })

  test('BLOCKHASH of a block the env does not give stops with exit code 4', async () => {
    const code = { [B]: { balance: '0x0', code: '0x600040' } } // BLOCKHASH(0)
    const r = await t8n({ alloc: { ...alloc, ...code }, env: env(), txs: [{ ...base, nonce: '0x0', to: B, input: '0x' }] }, 'Cancun')
    expect(r.code).toBe(4)
    expect(r.err).toContain('ERROR(4): getHash(0) invoked, no blockhashes provided')
    const ok = await t8n({ alloc: { ...alloc, ...code }, env: env({ blockHashes: { '0x0': `0x${'11'.repeat(32)}` } }), txs: [{ ...base, nonce: '0x0', to: B, input: '0x' }] }, 'Cancun')
    expect(ok.code).toBe(0)
  })
})

describe('t8n: blob transactions', () => {
  const alloc = { [A]: { balance: q(ETH) } }
  const hashes = [`0x01${'aa'.repeat(31)}`, `0x01${'bb'.repeat(31)}`]
  const blobTx = (nonce: number, extra: Record<string, unknown> = {}) => ({
    ...transfer(nonce), type: '0x3', maxFeePerBlobGas: q(1000), blobVersionedHashes: hashes, ...extra,
  })

  test('excess blob gas derived from the parent, blob gas charged, roots', async () => {
    // parent: excess 0x60000 + used 0x60000 - target 0x60000 = 0x60000 (Cancun: target 3 blobs)
    const e = env({ currentExcessBlobGas: undefined, parentExcessBlobGas: q(0x60000), parentBlobGasUsed: q(0x60000) })
    const r = await t8n({ alloc, env: e, txs: [blobTx(0), blobTx(1, { blobVersionedHashes: [`0x02${'cc'.repeat(31)}`] }), blobTx(1, { maxFeePerBlobGas: '0x0' })] }, 'Cancun')
    const res = r.out!.result
    expect(res.currentExcessBlobGas).toBe('0x60000')
    expect(res.blobGasUsed).toBe('0x40000')
    expect(res.receipts[0].blobGasUsed).toBe('0x40000')
    // fake_exponential(1, 0x60000, 3338477) = 1
    expect(res.receipts[0].blobGasPrice).toBe('0x1')
    expect(res.rejected).toEqual([
      { index: 1, error: 'blob 0 has invalid hash version' },
      { index: 2, error: `max fee per blob gas less than block blob gas fee: address ${DEV_ACCOUNTS[0]} blobGasFeeCap: 0, blobBaseFee: 1` },
    ])
    expect(BigInt(r.out!.alloc[A].balance)).toBe(ETH - 21_000n * 9n - 1000n - 0x40000n)
    expectSameRoots(res, await ethereumjsBlock(oracleOf('Cancun', alloc, r.out!.body, { excessBlobGas: 0x60000n })))
  })

  test('blob gas above the block limit is rejected; without excess blob gas a blob tx cannot run', async () => {
    const six = Array.from({ length: 6 }, (_, i) => `0x01${i.toString(16).padStart(2, '0').repeat(31)}`)
    const r = await t8n({ alloc, env: env(), txs: [blobTx(0, { blobVersionedHashes: six }), blobTx(1)] }, 'Cancun')
    expect(r.out!.result.rejected).toEqual([{ index: 1, error: 'blob gas (1048576) would exceed maximum allowance 786432' }])
    const none = await t8n({ alloc, env: env({ currentExcessBlobGas: undefined }), txs: [blobTx(0)] }, 'Cancun')
    expect(none.out!.result.rejected).toEqual([{ index: 0, error: 'blob tx used but field env.ExcessBlobGas missing' }])
    expect(none.out!.result.currentExcessBlobGas).toBeUndefined()
  })
})

describe('t8n: withdrawals and the base fee', () => {
  test('withdrawals credit gwei, a zero one creates nothing; base fee from the parent', async () => {
    const alloc = { [A]: { balance: q(ETH) } }
    const withdrawals = [
      { index: '0x0', validatorIndex: '0x5', address: B, amount: '0x10' },
      { index: '0x1', validatorIndex: '0x6', address: A, amount: '0x1' },
      { index: '0x2', validatorIndex: '0x7', address: C, amount: '0x0' },
    ]
    // parent at the 15M target of a 30M limit keeps the base fee; 30M full raises it by 1/8
    const e = env({ currentBaseFee: undefined, parentBaseFee: '800', parentGasUsed: '30000000', parentGasLimit: '30000000', withdrawals })
    const r = await t8n({ alloc, env: e, txs: [transfer(0, { maxFeePerGas: q(2000) })] }, 'Shanghai')
    const res = r.out!.result
    expect(res.currentBaseFee).toBe(q(900))
    expect(BigInt(r.out!.alloc[B].balance)).toBe(16n * 10n ** 9n + 1000n)
    expect(r.out!.alloc[C]).toBeUndefined()
    expect(res.currentExcessBlobGas).toBeUndefined()
    const o = await ethereumjsBlock(
      oracleOf('Shanghai', alloc, r.out!.body, {
        baseFee: 900n,
        withdrawals: withdrawals.map((w) => ({ index: BigInt(w.index), validatorIndex: BigInt(w.validatorIndex), address: w.address!, amount: BigInt(w.amount) })),
      }),
    )
    expectSameRoots(res, o)
  })
})

describe('t8n: Prague block', () => {
  const system = Object.fromEntries([...dev.alloc()].filter(([, a]) => a.code.length > 0).map(([addr, a]) => [addr, { balance: '0x0', nonce: '0x1', code: bytesToHex(a.code) }]))
  const alloc = { ...system, [A]: { balance: q(ETH) }, [B]: { balance: q(ETH) } }
  const WITHDRAWAL_REQUESTS = '0x00000961ef480eb55e80d19ad83579a64c007002'
  const beaconRoot = `0x${'be'.repeat(32)}`
  const parentHash = `0x${'9a'.repeat(32)}`
  const target = '0x' + 'de'.repeat(20)

  test('system calls, an EIP-7002 request and an EIP-7702 authorization', async () => {
    const auth = signAuthorization({ chainId: 1n, address: hexToBytes(target), nonce: 0n }, hexToBytes(KEY_B!))
    const pubkey = 'ab'.repeat(48)
    const txs = [
      { ...transfer(0), to: WITHDRAWAL_REQUESTS, value: '0x1', gas: q(200_000), input: `0x${pubkey}${'00'.repeat(7)}01` },
      {
        ...transfer(1), type: '0x4', to: B, value: '0x0', gas: q(100_000),
        authorizationList: [{ chainId: '0x1', address: target, nonce: '0x0', yParity: q(auth.yParity), r: q(auth.r), s: q(auth.s) }],
      },
    ]
    const e = env({ parentBeaconBlockRoot: beaconRoot, blockHashes: { '0x0': parentHash } })
    const r = await t8n({ alloc, env: e, txs }, 'Prague')
    expect(r.code).toBe(0)
    const res = r.out!.result
    expect(res.rejected).toBeUndefined()
    // EIP-7002: one request of type 0x01: source address, pubkey, amount (the contract writes
    // the 8-byte amount little-endian, as the consensus layer's SSZ uint64)
    expect(res.requests).toEqual([`0x01${A!.slice(2)}${pubkey}01${'00'.repeat(7)}`])
    // EIP-7702: B's code is the delegation designator, its nonce bumped
    expect(r.out!.alloc[B].code).toBe(`0xef0100${target.slice(2)}`)
    expect(r.out!.alloc[B].nonce).toBe('0x1')
    const slot = (n: bigint) => bytesToHex(hexToBytes(q(n).slice(2).padStart(64, '0')))
    // EIP-4788: timestamp and root in the ring buffer; EIP-2935: the parent hash at slot number-1
    expect(r.out!.alloc['0x000f3df6d732807ef1319fb7b8bb8522d0beac02'].storage[slot(1000n)]).toBe(slot(1000n))
    expect(r.out!.alloc['0x000f3df6d732807ef1319fb7b8bb8522d0beac02'].storage[slot(1000n + 8191n)]).toBe(beaconRoot)
    expect(r.out!.alloc['0x0000f90827f1c53a10cb7a02335b175320002935'].storage[slot(0n)]).toBe(parentHash)
    expectSameRoots(res, await ethereumjsBlock(oracleOf('Prague', alloc, r.out!.body, { parentBeaconBlockRoot: beaconRoot, parentHash })))
  })

  test('a block with nothing to request has an empty requests list and the empty requests hash', async () => {
    const r = await t8n({ alloc, env: env({ blockHashes: { '0x0': parentHash } }), txs: [] }, 'Prague')
    expect(r.out!.result.requests).toEqual([])
    expect(r.out!.result.requestsHash).toBe('0xe3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')
    expectSameRoots(r.out!.result, await ethereumjsBlock(oracleOf('Prague', alloc, r.out!.body, { parentHash })))
  })

  test('without the request contracts Prague stops with exit code 2', async () => {
    const r = await t8n({ alloc: { [A]: { balance: q(ETH) } }, env: env(), txs: [] }, 'Prague')
    expect(r.code).toBe(2)
    expect(r.err).toStartWith('ERROR(2): could not process requests')
  })
})
