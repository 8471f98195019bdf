/**
 * Parameters for fuzzing the JSON-RPC parsers through a running node: for the methods whose
 * parameter shapes are listed here, a valid call is built and then one position (or one field
 * of an object parameter) is replaced by an odd value (structure-aware); every method, listed
 * or not, also gets parameter lists of random JSON (coverage-blind). Odd values are the ones
 * parsers get wrong: leading zeros, 2^256, odd-length hex, numbers where strings go, huge
 * strings, deep nesting, negative and fractional numbers.
 */
import type { Rng } from './decoder-targets.ts'

type Json = null | boolean | number | string | Json[] | { [k: string]: Json }

const DEV = '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266'
const ZERO_HASH = `0x${'00'.repeat(32)}`
const hex = (r: Rng, bytes: number) => `0x${Array.from(r.bytes(bytes), (b) => b.toString(16).padStart(2, '0')).join('')}`

const ODD: ((r: Rng) => Json)[] = [
  () => null,
  () => true,
  () => 0,
  () => -1,
  () => 1.5,
  () => 2 ** 53 + 2,
  () => 1e308,
  () => '',
  () => '0x',
  () => '0x0',
  () => '0x00',
  () => '0x01',
  () => '0xg1',
  () => '-0x1',
  () => '0X10',
  () => ' 0x1',
  () => `0x1${'0'.repeat(64)}`,
  () => `0x${'f'.repeat(64)}`,
  () => `0x${'f'.repeat(16)}`,
  () => '0xabc',
  () => '12345',
  () => 'latest',
  () => 'pending',
  () => 'earliest',
  () => 'safe',
  () => 'finalized',
  () => 'Latest',
  () => DEV,
  () => DEV.toUpperCase(),
  () => DEV.slice(0, 40),
  () => `${DEV}00`,
  () => ZERO_HASH,
  () => ZERO_HASH.slice(0, 65),
  (r) => hex(r, r.int(64)),
  (r) => hex(r, 1000 + r.int(20_000)),
  (r) => 'x'.repeat(r.int(100_000)),
  () => [],
  () => [[]],
  () => ({}),
  () => ({ blockHash: ZERO_HASH }),
  () => ({ blockNumber: '0x0' }),
  () => ({ blockHash: ZERO_HASH, requireCanonical: true }),
  () => ({ blockHash: ZERO_HASH, blockNumber: '0x0' }),
  (r) => nested(r.int(300)),
  (r) => Array.from({ length: r.int(2000) }, () => '0x1'),
  () => ({ __proto__: { a: 1 }, constructor: 'x', toString: 1 }) as unknown as Json,
]

function nested(depth: number): Json {
  let v: Json = '0x1'
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v }
  return v
}

export function oddValue(r: Rng): Json {
  return ODD[r.int(ODD.length)]!(r)
}

/** Random JSON of bounded size. */
export function randomJson(r: Rng, depth = 0): Json {
  switch (depth > 3 ? r.int(4) : r.int(7)) {
    case 0:
      return oddValue(r)
    case 1:
      return r.int(1_000_000) - 500
    case 2:
      return hex(r, r.int(40))
    case 3:
      return r.int(2) === 0
    case 4:
      return Array.from({ length: r.int(4) }, () => randomJson(r, depth + 1))
    case 5: {
      const o: Record<string, Json> = {}
      for (let i = 0, n = r.int(5); i < n; i++) o[FIELDS[r.int(FIELDS.length)]!] = randomJson(r, depth + 1)
      return o
    }
    default:
      return null
  }
}

const FIELDS = [
  'from', 'to', 'gas', 'gasPrice', 'maxFeePerGas', 'maxPriorityFeePerGas', 'maxFeePerBlobGas', 'value', 'data', 'input', 'nonce', 'type', 'chainId',
  'accessList', 'blobVersionedHashes', 'authorizationList', 'blobs', 'fromBlock', 'toBlock', 'address', 'topics', 'blockHash', 'tracer', 'tracerConfig',
  'timeout', 'stateOverrides', 'blockOverrides', 'balance', 'code', 'state', 'stateDiff', 'blocks', 'interval', 'calls', 'validation', 'returnFullTransactions',
]

const call = (): Record<string, Json> => ({ from: DEV, to: DEV, gas: '0x5208', value: '0x1', data: '0x' })
const block = (r: Rng): Json => ['latest', 'pending', 'earliest', '0x0', '0x1'][r.int(5)]!

/** Valid parameter lists of the methods most parsers sit behind. */
const SHAPES: Record<string, (r: Rng) => Json[]> = {
  eth_getBalance: (r) => [DEV, block(r)],
  eth_getTransactionCount: (r) => [DEV, block(r)],
  eth_getCode: (r) => [DEV, block(r)],
  eth_getStorageAt: (r) => [DEV, '0x0', block(r)],
  eth_getProof: (r) => [DEV, [ZERO_HASH], block(r)],
  eth_getAccount: (r) => [DEV, block(r)],
  eth_call: (r) => [call(), block(r), { [DEV]: { balance: '0x1' } }, { number: '0x10' }],
  eth_estimateGas: (r) => [call(), block(r)],
  eth_createAccessList: (r) => [call(), block(r)],
  eth_simulateV1: (r) => [{ blockStateCalls: [{ calls: [call()], stateOverrides: { [DEV]: { balance: '0xffff' } } }], validation: false, traceTransfers: true }, block(r)],
  eth_getBlockByNumber: (r) => [block(r), r.int(2) === 0],
  eth_getBlockByHash: () => [ZERO_HASH, true],
  eth_getBlockReceipts: (r) => [block(r)],
  eth_getBlockTransactionCountByNumber: (r) => [block(r)],
  eth_getTransactionByBlockNumberAndIndex: (r) => [block(r), '0x0'],
  eth_getTransactionByHash: () => [ZERO_HASH],
  eth_getTransactionReceipt: () => [ZERO_HASH],
  eth_getLogs: () => [{ fromBlock: '0x0', toBlock: 'latest', address: [DEV], topics: [null, [ZERO_HASH]] }],
  eth_newFilter: () => [{ fromBlock: 'earliest', address: DEV, topics: [[ZERO_HASH, null]] }],
  eth_getFilterChanges: () => ['0x1'],
  eth_feeHistory: () => ['0x4', 'latest', [10, 50, 90]],
  eth_sendRawTransaction: (r) => [hex(r, 110)],
  eth_sendTransaction: () => [{ ...call(), to: '0x0000000000000000000000000000000000000001' }],
  eth_sign: () => [DEV, '0xdeadbeef'],
  personal_sign: () => ['0xdeadbeef', DEV],
  eth_signTypedData_v4: () => [DEV, { types: { EIP712Domain: [{ name: 'name', type: 'string' }], M: [{ name: 'a', type: 'uint256' }] }, primaryType: 'M', domain: { name: 'x' }, message: { a: '1' } }],
  debug_traceCall: (r) => [call(), block(r), { tracer: ['callTracer', 'prestateTracer', '4byteTracer'][r.int(3)]!, tracerConfig: { onlyTopCall: true, diffMode: true } }],
  debug_traceTransaction: () => [ZERO_HASH, { tracer: 'callTracer' }],
  debug_traceBlockByNumber: (r) => [block(r), {}],
  anvil_setBalance: () => [DEV, '0xde0b6b3a7640000'],
  anvil_setCode: () => ['0x0000000000000000000000000000000000000abc', '0x6000'],
  anvil_setStorageAt: () => ['0x0000000000000000000000000000000000000abc', '0x0', ZERO_HASH],
  anvil_setNonce: () => ['0x0000000000000000000000000000000000000abc', '0x5'],
  anvil_mine: () => ['0x2', '0x1'],
  evm_mine: () => [],
  evm_increaseTime: () => ['0x10'],
  evm_setNextBlockTimestamp: () => ['0xffffffff'],
  anvil_impersonateAccount: () => ['0x0000000000000000000000000000000000000abc'],
  anvil_loadState: () => ['0x1f8b'],
  eth_subscribe: () => ['newHeads'],
}

/**
 * Mining takes time in proportion to the count (the node allows 100,000 blocks a call and serves
 * other clients between chunks): a count the node would accept above 1,000 becomes count mod
 * 1,000, so that a run fuzzes instead of mining for minutes. Larger ones stay (refused at once).
 */
function boundedMining(v: Json): Json {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^0x[0-9a-fA-F]{1,16}$/.test(v) ? Number.parseInt(v, 16) : undefined
  if (n === undefined || n <= 1000 || n > 100_000) return v
  return typeof v === 'number' ? n % 1000 : `0x${(n % 1000).toString(16)}`
}

/** A parameter list for `method`: the valid shape with one place changed, or random JSON. */
export function paramsFor(r: Rng, method: string): Json {
  const params = shapedOrRandom(r, method)
  if (!/_mine$/.test(method)) return params
  // evm_mine also takes { blocks }
  const bound = (v: Json): Json => (v && typeof v === 'object' && !Array.isArray(v) && 'blocks' in v ? { ...v, blocks: boundedMining(v.blocks!) } : boundedMining(v))
  return Array.isArray(params) ? params.map(bound) : params
}

function shapedOrRandom(r: Rng, method: string): Json {
  const shape = SHAPES[method]
  if (!shape || r.int(4) === 0) {
    // now and then not an array at all
    return r.int(10) === 0 ? randomJson(r) : Array.from({ length: r.int(5) }, () => randomJson(r))
  }
  const params = shape(r)
  const at = r.int(params.length + 1)
  if (at === params.length) return r.int(2) ? [...params, oddValue(r)] : params.slice(0, r.int(params.length))
  const p = params[at]
  if (p && typeof p === 'object' && !Array.isArray(p) && r.int(2) === 0) {
    const keys = [...Object.keys(p), FIELDS[r.int(FIELDS.length)]!]
    params[at] = { ...p, [keys[r.int(keys.length)]!]: oddValue(r) }
  } else params[at] = oddValue(r)
  return params
}

export const SHAPED_METHODS = Object.keys(SHAPES)
