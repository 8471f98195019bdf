/**
 * Differential test against anvil: the same scenario (./scenario.ts: the solc ERC-20 deployed,
 * transfers, approve/transferFrom, reverts with a reason and with a custom error, a storage
 * refund, a value transfer, an EIP-7702 delegation, nested calls through a multicall) runs on
 * anvil and on Mosaic — both chain 31337, the test mnemonic, Prague (the dev chain's fork, see
 * src/chainspec/specs/dev.ts), identical signed transactions at identical timestamps — and the
 * answers are compared field by field: blocks, receipts, transactions, logs, eth_call return
 * data and errors, storage, balances and nonces at every block, code, eth_estimateGas, and
 * debug_traceTransaction with the callTracer. DIFFERENCES lists every intended difference with
 * its reason; everything else must be equal, and every listed difference must still occur.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { encodeDeployData, encodeFunctionData, type Address, type Hex } from 'viem'
import { DEV_ACCOUNTS } from '../../src/chainspec/index.ts'
import { Comparison, differential, type Difference } from './compare.ts'
import { contracts, TOKEN_SUPPLY } from './contracts.ts'
import { anvilAvailable, BLOCK1_BASE_FEE, rpcRaw, type Child } from './processes.ts'
import { alice, authority, bob, mappingSlot, startScenario, stranger, type Deployed } from './scenario.ts'

setDefaultTimeout(120_000)

const hexOf = (v: unknown) => BigInt(v as string)

/** Every intended difference between Mosaic and anvil in this scenario, with its reason. */
const DIFFERENCES: Difference[] = [
  // block identity: the genesis differs, so every hash after it does
  { kind: 'block', path: '.hash', reason: "anvil reports the empty-trie root as its genesis stateRoot (it does not commit the genesis allocation) and Mosaic's dev genesis also predeploys the EIP-4788/2935/7002/7251 system contracts, so the genesis hashes differ, and with them every later hash" },
  { kind: 'block', path: '.parentHash', reason: 'follows from the genesis hash' },
  { kind: 'block', path: '.stateRoot', reason: "anvil's genesis has no system contracts and an empty-root stateRoot; Mosaic's system calls (EIP-4788, EIP-2935) write their storage each block, and the EIP-2935 ring holds the (different) parent hashes" },
  // every blockHash that refers to those blocks
  ...([
    ['block', '.transactions.*.blockHash'], ['receipt', '.blockHash'], ['receipt', '.logs.*.blockHash'], ['blockReceipts', '.*.blockHash'],
    ['blockReceipts', '.*.logs.*.blockHash'], ['transaction', '.blockHash'], ['logs', '.*.blockHash'],
  ] as const).map(([kind, path]) => ({ kind, path, reason: 'follows from the block hash' })),
  // block fields anvil fills differently
  { kind: 'block', path: '.mixHash', reason: "anvil draws a random prevrandao (mixHash) for every block; Mosaic's dev miner uses zero" },
  { kind: 'block', path: '.totalDifficulty', reason: 'anvil still reports totalDifficulty; geth dropped it from block JSON after the merge, as Mosaic does' },
  {
    kind: 'block', path: '.size', reason: "anvil leaves the block's (empty) withdrawals list out of its RLP size: Mosaic's is exactly one byte more",
    check: (m, a) => hexOf(m) === hexOf(a) + 1n,
  },
  {
    kind: 'genesis', path: '.baseFeePerGas', reason: 'anvil starts with the block-1 base fee (see BLOCK1_BASE_FEE); the genesis keeps the EIP-1559 initial 1 gwei on Mosaic',
    check: (m, a) => hexOf(m) === 1_000_000_000n && hexOf(a) === BLOCK1_BASE_FEE,
  },
  // receipt fields anvil adds
  { kind: 'receipt', path: '.blobGasPrice', reason: 'anvil adds blobGasPrice to receipts of non-blob transactions; geth (and Mosaic) only to blob transactions', check: (m) => m === undefined },
  { kind: 'blockReceipts', path: '.*.blobGasPrice', reason: 'as for receipts', check: (m) => m === undefined },
  { kind: 'receipt', path: '.blockTimestamp', reason: 'anvil adds blockTimestamp to receipts (as a JSON number); geth receipts have no such field', check: (m) => m === undefined },
  { kind: 'blockReceipts', path: '.*.blockTimestamp', reason: 'as for receipts', check: (m) => m === undefined },
  // eth_call and eth_estimateGas
  {
    kind: 'call', path: '.error.message', reason: "a revert with a custom error: geth's message is just \"execution reverted\" (a reason is added only for Error(string)), anvil appends \"custom error 0x…\"; the revert data (.error.data) agrees",
    check: (m, a) => m === 'execution reverted' && String(a).startsWith('execution reverted: custom error 0x'),
  },
  {
    kind: 'estimate', path: '.error.message', reason: 'as for eth_call: a custom error revert',
    check: (m, a) => m === 'execution reverted' && String(a).startsWith('execution reverted: custom error 0x'),
  },
  {
    kind: 'estimate', path: '', reason: "geth's estimator (which Mosaic follows) stops its binary search within a 1.5% error ratio; anvil searches down to the exact minimum, so Mosaic's estimate may be up to 1.5% higher",
    check: (m, a) => typeof m === 'string' && typeof a === 'string' && hexOf(m) > hexOf(a) && (hexOf(m) - hexOf(a)) * 1000n <= hexOf(a) * 15n,
  },
  {
    kind: 'estimate', path: '', reason: "a value above the sender's balance: geth (and Mosaic) fail the estimate with \"insufficient funds for gas * price + value\", anvil estimates the transfer anyway (21000)",
    check: (m, a) => String((m as { error?: { message?: string } })?.error?.message).startsWith('insufficient funds for gas * price + value') && a === '0x5208',
  },
  // callTracer
  {
    kind: 'callTracer', path: '.gas', reason: "the top frame's gas: geth (and Mosaic) report the transaction's gas limit, anvil the gas left after intrinsic gas",
    check: (m, a) => hexOf(m) > hexOf(a),
  },
  { kind: 'callTracer', path: '.logs.*.index', reason: "anvil (alloy's call frame) adds the log's index; geth's callTracer logs carry only address, topics, data and position", check: (m) => m === undefined },
  { kind: 'callTracer', path: '.calls.*.logs.*.index', reason: 'as above, in nested frames', check: (m) => m === undefined },
]

let mosaic: Child
let anvil: Child
let d: Deployed
const cmp = new Comparison(DIFFERENCES)

const { both, check } = differential(cmp, () => [mosaic.url, anvil.url])

const available = anvilAvailable('the differential tests are')

beforeAll(async () => {
  if (available) ({ mosaic, anvil, d } = await startScenario())
})

afterAll(async () => {
  await Promise.all([mosaic?.stop(), anvil?.stop()])
})

const q = (n: number | bigint) => '0x' + n.toString(16)

test('the comparison flags unlisted differences, failed checks and unseen rules', () => {
  const c = new Comparison([
    { kind: 'k', path: '.a.*.h', reason: 'test' },
    { kind: 'k', path: '.n', reason: 'test', check: (m, a) => m === 2 && a === 1 },
    { kind: 'k', path: '.never', reason: 'test' },
  ])
  c.compare('k', 'x', { a: [{ h: 1, v: 1 }], n: 3, extra: 1 }, { a: [{ h: 2, v: 2 }], n: 1 })
  expect(c.unexpected).toEqual(['k x .a.0.v: mosaic 1, anvil 2', 'k x .extra: mosaic 1, anvil undefined'])
  expect(c.failedChecks).toEqual(['k x .n: mosaic 3, anvil 1'])
  expect(c.unseen()).toEqual(['k .n', 'k .never'])
})

describe.skipIf(!available)('mosaic and anvil agree on the same scenario', () => {
  test('the scenario mined one block per transaction on both', async () => {
    const [m, a] = await both('eth_blockNumber', [])
    expect(m).toBe(q(d.txs.length))
    expect(a).toBe(m)
  })

  test('receipts, transactions and callTracer traces of every transaction', async () => {
    const statuses: string[] = []
    for (const tx of d.txs) {
      const r = await check('receipt', tx.label, 'eth_getTransactionReceipt', [tx.hash])
      statuses.push(r.status)
      await check('transaction', tx.label, 'eth_getTransactionByHash', [tx.hash])
      await check('callTracer', tx.label, 'debug_traceTransaction', [tx.hash, { tracer: 'callTracer', tracerConfig: { withLog: true } }])
      await check('callTracer', `${tx.label} (no logs)`, 'debug_traceTransaction', [tx.hash, { tracer: 'callTracer' }])
      await check('callTracer', `${tx.label} (top call)`, 'debug_traceTransaction', [tx.hash, { tracer: 'callTracer', tracerConfig: { onlyTopCall: true } }])
    }
    // the scenario has what it claims: two reverted transactions, the rest successful
    expect(statuses.filter((s) => s === '0x0')).toHaveLength(2)
    expect(cmp.unexpected).toEqual([])
  })

  test('blocks (with full transactions) and block receipts', async () => {
    cmp.compare('genesis', 'genesis', ...(await both('eth_getBlockByNumber', ['0x0', false])).map(({ baseFeePerGas }) => ({ baseFeePerGas })) as [unknown, unknown])
    for (let n = 0; n <= d.txs.length; n++) {
      const [m, a] = await both('eth_getBlockByNumber', [q(n), true])
      const { baseFeePerGas: mb, ...mRest } = m
      const { baseFeePerGas: ab, ...aRest } = a
      cmp.compare('block', `block ${n}`, mRest, aRest)
      if (n > 0) cmp.compare('block', `block ${n}`, { baseFeePerGas: mb }, { baseFeePerGas: ab })
      if (n > 0) await check('blockReceipts', `block ${n}`, 'eth_getBlockReceipts', [q(n)])
    }
    expect(cmp.unexpected).toEqual([])
  })

  test('eth_getLogs with address, topic and range filters', async () => {
    const transfer = '0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef'
    const word = (a: Address) => '0x' + a.slice(2).toLowerCase().padStart(64, '0')
    const filters: [string, Record<string, unknown>][] = [
      ['everything', { fromBlock: '0x0', toBlock: 'latest' }],
      ['the token', { address: d.token, fromBlock: '0x0' }],
      ['the authority and the token', { address: [authority.address, d.token], fromBlock: '0x1', toBlock: q(d.txs.length) }],
      ['Transfer to bob', { topics: [transfer, null, word(bob.address)], fromBlock: '0x0' }],
      ['Transfer from alice or bob', { topics: [transfer, [word(alice.address), word(bob.address)]], fromBlock: '0x0' }],
      ['blocks 2-4', { fromBlock: '0x2', toBlock: '0x4' }],
      ['no match', { address: stranger, fromBlock: '0x0' }],
    ]
    let total = 0
    for (const [label, f] of filters) total += (await check('logs', label, 'eth_getLogs', [f])).length
    expect(total).toBeGreaterThan(8)
    expect(cmp.unexpected).toEqual([])
  })

  test('eth_call return data and revert errors, at latest and at past blocks', async () => {
    const { Token, Delegate, Multicall } = contracts()
    const tokenCall = (functionName: string, args: unknown[] = []) => ({ to: d.token, data: encodeFunctionData({ abi: Token.abi, functionName, args } as never) })
    const calls: [string, Record<string, unknown>][] = [
      ['name', tokenCall('name')],
      ['symbol', tokenCall('symbol')],
      ['totalSupply', tokenCall('totalSupply')],
      ['balanceOf alice', tokenCall('balanceOf', [alice.address])],
      ['balanceOf stranger', tokenCall('balanceOf', [stranger])],
      ['allowance', tokenCall('allowance', [alice.address, bob.address])],
      ['fail (reason string)', { ...tokenCall('fail'), from: alice.address }],
      ['burn (custom error)', { ...tokenCall('burn', [10n ** 40n]), from: stranger }],
      ['transfer as alice (returns true)', { ...tokenCall('transfer', [bob.address, 1n]), from: alice.address }],
      ['delegated EOA count', { to: authority.address, data: encodeFunctionData({ abi: Delegate.abi, functionName: 'count' }) }],
      ['delegated EOA ping', { to: authority.address, from: bob.address, data: encodeFunctionData({ abi: Delegate.abi, functionName: 'ping' }) }],
      ['aggregate3', { to: d.multicall, data: encodeFunctionData({ abi: Multicall.abi, functionName: 'aggregate3', args: [[{ target: d.token, allowFailure: true, callData: tokenCall('fail').data }, { target: d.token, allowFailure: false, callData: tokenCall('totalSupply').data }]] }) }],
      ['an account without code', { to: stranger, data: '0x12345678' }],
      ['a create (no to)', { from: alice.address, data: encodeDeployData({ abi: Token.abi, bytecode: Token.bytecode, args: ['X', 'X', 1n] }) }],
    ]
    const results: unknown[] = []
    for (const [label, c] of calls) for (const at of ['latest', '0x2', '0x6']) results.push(await check('call', `${label} @${at}`, 'eth_call', [c, at]))
    // reverts came back as errors (code 3 with data), not as results
    expect(results.filter((r) => (r as { error?: { code: number } })?.error?.code === 3).length).toBeGreaterThanOrEqual(6)
    expect(cmp.unexpected).toEqual([])
  })

  test('storage slots, balances, nonces and code at every block', async () => {
    const accounts: Address[] = [...(DEV_ACCOUNTS as readonly Address[]), stranger, d.token, d.delegate, d.multicall, '0x0000000000000000000000000000000000000000']
    const slots: Hex[] = [
      ...[0n, 1n, 2n, 3n, 4n].map((s) => q(s) as Hex),
      mappingSlot(alice.address, 3n), mappingSlot(bob.address, 3n), mappingSlot(stranger, 3n),
    ]
    let nonzero = 0
    for (let n = 0; n <= d.txs.length; n++) {
      const at = q(n)
      for (const a of accounts) {
        await check('balance', `${a} @${n}`, 'eth_getBalance', [a, at])
        await check('nonce', `${a} @${n}`, 'eth_getTransactionCount', [a, at])
        await check('code', `${a} @${n}`, 'eth_getCode', [a, at])
      }
      for (const s of slots) if (hexOf(await check('storage', `token ${s} @${n}`, 'eth_getStorageAt', [d.token, s, at])) !== 0n) nonzero++
      await check('storage', `authority count @${n}`, 'eth_getStorageAt', [authority.address, '0x0', at])
    }
    expect(nonzero).toBeGreaterThan(20)
    // the supply minus the burn sits where Solidity puts totalSupply
    const [supply] = await both('eth_getStorageAt', [d.token, '0x2', 'latest'])
    expect(hexOf(supply)).toBe(TOKEN_SUPPLY - 1_000n)
    expect(cmp.unexpected).toEqual([])
  })

  test('eth_estimateGas', async () => {
    const { Token, Delegate, Multicall } = contracts()
    const data = (functionName: string, args: unknown[] = []) => encodeFunctionData({ abi: Token.abi, functionName, args } as never)
    const requests: [string, Record<string, unknown>][] = [
      ['value transfer', { from: alice.address, to: bob.address, value: '0x1' }],
      ['value transfer to a delegated EOA', { from: alice.address, to: authority.address, value: '0x1' }],
      ['token transfer', { from: alice.address, to: d.token, data: data('transfer', [bob.address, 5n]) }],
      ['token transfer to a new holder', { from: alice.address, to: d.token, data: data('transfer', [DEV_ACCOUNTS[8], 5n]) }],
      ['approve', { from: bob.address, to: d.token, data: data('approve', [alice.address, 5n]) }],
      ['burn with a refund', { from: alice.address, to: d.token, data: data('burn', [1n]) }],
      ['deploy', { from: alice.address, data: encodeDeployData({ abi: Token.abi, bytecode: Token.bytecode, args: ['E', 'E', 10n] }) }],
      ['ping on the delegated EOA', { from: bob.address, to: authority.address, data: encodeFunctionData({ abi: Delegate.abi, functionName: 'ping' }) }],
      ['multicall', { from: bob.address, to: d.multicall, data: encodeFunctionData({ abi: Multicall.abi, functionName: 'aggregate3', args: [[{ target: authority.address, allowFailure: false, callData: encodeFunctionData({ abi: Delegate.abi, functionName: 'ping' }) }]] }) }],
      ['reverting (reason string)', { from: alice.address, to: d.token, data: data('fail') }],
      ['reverting (custom error)', { from: stranger, to: d.token, data: data('burn', [10n ** 30n]) }],
      ['burn by a small holder', { from: stranger, to: d.token, data: data('burn', [1n]) }],
      ['too little balance for the value', { from: stranger, to: alice.address, value: q(10n ** 30n) }],
    ]
    for (const [label, r] of requests) await check('estimate', label, 'eth_estimateGas', [r])
    expect(cmp.unexpected).toEqual([])
  })

  test('every intended difference still occurs, and the exact ones hold', () => {
    expect(cmp.compared).toBeGreaterThan(500)
    expect(cmp.unexpected).toEqual([])
    expect(cmp.failedChecks).toEqual([])
    expect(cmp.unseen()).toEqual([])
  })
})
