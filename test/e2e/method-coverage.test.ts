/**
 * Method coverage against anvil: every eth_, net_, web3_, debug_, trace_, ots_, anvil_,
 * hardhat_, evm_ and personal_ method anvil answers (ANVIL_METHODS: anvil 1.7.1's, each checked
 * here to be answered by the anvil in node_modules) is called with valid parameters on
 * `bin/mosaic` and on anvil after the same scenario (./scenario.ts), and the shapes of the
 * answers are compared: which fields, and of what kind each value is (null, bool, number,
 * string, 0x-hex, address, 32-byte hash; arrays by their first element). PENDING lists the
 * methods Mosaic does not answer yet, each with why; SHAPE_DIFFERENCES the intended
 * differences of shape, each with its reason. Both lists are checked to be exact: a method
 * that starts being answered, or a difference that no longer occurs, fails the test until the
 * list says so.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { encodeFunctionData, keccak256, type Hex } from 'viem'
import { Comparison, type Difference } from './compare.ts'
import { contracts } from './contracts.ts'
import { anvilAvailable, CHAIN_ID, rpc, rpcRaw, type Child } from './processes.ts'
import { alice, bob, startScenario, stranger, type Deployed } from './scenario.ts'

setDefaultTimeout(180_000)

/** The methods of these namespaces that anvil 1.7.1 answers (any answer but -32601). */
const ANVIL_METHODS = `
anvil_addBalance anvil_autoImpersonateAccount anvil_dealERC20 anvil_dropAllTransactions anvil_dropTransaction anvil_dumpState
anvil_getAutomine anvil_getBlobByHash anvil_getBlobsByTransactionHash anvil_getGenesisTime anvil_getIntervalMining
anvil_impersonateAccount anvil_impersonateSignature anvil_increaseTime anvil_loadState anvil_metadata anvil_mine
anvil_mine_detailed anvil_nodeInfo anvil_removeBlockTimestampInterval anvil_removePoolTransactions anvil_reorg anvil_reset
anvil_revert anvil_rollback anvil_setAutomine anvil_setBalance anvil_setBlockGasLimit anvil_setBlockTimestampInterval
anvil_setChainId anvil_setCode anvil_setCoinbase anvil_setERC20Allowance anvil_setERC20Balance anvil_setFeeAmmLiquidity
anvil_setFeeToken anvil_setIntervalMining anvil_setLoggingEnabled anvil_setMinGasPrice anvil_setNextBlockBaseFeePerGas
anvil_setNextBlockTimestamp anvil_setNonce anvil_setRpcUrl anvil_setStorageAt anvil_setTime anvil_setValidatorFeeToken
anvil_snapshot anvil_stopImpersonatingAccount debug_codeByHash debug_dbGet debug_getRawTransaction debug_traceBlockByHash
debug_traceBlockByNumber debug_traceCall debug_traceTransaction eth_accounts eth_blobBaseFee eth_blockNumber eth_call
eth_chainId eth_coinbase eth_config eth_createAccessList eth_estimateGas eth_feeHistory eth_fillTransaction eth_gasPrice
eth_getAccount eth_getAccountInfo eth_getBalance eth_getBlockByHash eth_getBlockByNumber eth_getBlockReceipts
eth_getBlockTransactionCountByHash eth_getBlockTransactionCountByNumber eth_getCode eth_getFilterChanges eth_getFilterLogs
eth_getLogs eth_getProof eth_getRawTransactionByBlockHashAndIndex eth_getRawTransactionByBlockNumberAndIndex
eth_getRawTransactionByHash eth_getStorageAt eth_getStorageValues eth_getTransactionByBlockHashAndIndex
eth_getTransactionByBlockNumberAndIndex eth_getTransactionByHash eth_getTransactionBySenderAndNonce eth_getTransactionCount
eth_getTransactionReceipt eth_getUncleByBlockHashAndIndex eth_getUncleByBlockNumberAndIndex eth_getUncleCountByBlockHash
eth_getUncleCountByBlockNumber eth_getWork eth_hashrate eth_maxPriorityFeePerGas eth_networkId eth_newBlockFilter
eth_newFilter eth_newPendingTransactionFilter eth_protocolVersion eth_requestAccounts eth_sendRawTransaction
eth_sendRawTransactionSync eth_sendTransaction eth_sendTransactionSync eth_sendUnsignedTransaction eth_sign
eth_signTransaction eth_signTypedData eth_signTypedData_v3 eth_signTypedData_v4 eth_simulateV1 eth_submitHashrate
eth_submitWork eth_syncing eth_uninstallFilter evm_increaseTime evm_mine evm_mine_detailed evm_revert evm_setAccountNonce
evm_setAutomine evm_setBlockGasLimit evm_setIntervalMining evm_setNextBlockTimestamp evm_setTime evm_snapshot
hardhat_addBalance hardhat_autoImpersonateAccount hardhat_dealERC20 hardhat_dropAllTransactions hardhat_dropTransaction
hardhat_dumpState hardhat_getAutomine hardhat_impersonateAccount hardhat_loadState hardhat_metadata hardhat_mine
hardhat_reset hardhat_setBalance hardhat_setCode hardhat_setCoinbase hardhat_setLoggingEnabled hardhat_setMinGasPrice
hardhat_setNextBlockBaseFeePerGas hardhat_setNonce hardhat_setStorageAt hardhat_stopImpersonatingAccount net_listening
net_version ots_getApiLevel ots_getBlockDetails ots_getBlockDetailsByHash ots_getBlockTransactions ots_getContractCreator
ots_getInternalOperations ots_getTransactionBySenderAndNonce ots_getTransactionError ots_hasCode
ots_searchTransactionsAfter ots_searchTransactionsBefore ots_traceTransaction personal_sign trace_block trace_filter
trace_replayBlockTransactions trace_transaction web3_clientVersion web3_sha3
`.trim().split(/\s+/)

const TEMPO = "Tempo's fee-token controls: anvil's Tempo mode, not an Ethereum L1 method"
const POW = 'proof-of-work mining: gone since the merge; geth no longer serves it either'

/** Methods anvil answers that Mosaic does not yet, with why. */
const PENDING: Record<string, string> = {
  anvil_setFeeAmmLiquidity: TEMPO,
  anvil_setFeeToken: TEMPO,
  anvil_setValidatorFeeToken: TEMPO,
  eth_getWork: POW,
  eth_submitWork: POW,
  eth_submitHashrate: POW,
}

/** What a node's parameters may depend on: its own block hashes and filter ids. */
interface Node {
  url: string
  block1: Hex
  filter?: string
  blockFilter?: string
  snapshot?: string
  anvilSnapshot?: string
  dump?: string
}

const q = (n: number | bigint) => `0x${n.toString(16)}`
let d: Deployed
const tokenData = (functionName: string, args: unknown[] = []) => encodeFunctionData({ abi: contracts().Token.abi, functionName, args } as never)
const typedData = {
  types: { EIP712Domain: [{ name: 'name', type: 'string' }, { name: 'chainId', type: 'uint256' }], Mail: [{ name: 'contents', type: 'string' }] },
  primaryType: 'Mail',
  domain: { name: 'coverage', chainId: 31337 },
  message: { contents: 'hello' },
}

/**
 * Valid parameters of every method both serve, in the order they are called: reads first,
 * then the calls that change the chain, the reset last.
 */
const CALLS: [string, (n: Node) => unknown[] | Promise<unknown[]>][] = [
  ['web3_clientVersion', () => []],
  ['web3_sha3', () => ['0x68656c6c6f']],
  ['net_version', () => []],
  ['net_listening', () => []],
  ['eth_chainId', () => []],
  ['eth_blockNumber', () => []],
  ['eth_syncing', () => []],
  ['eth_coinbase', () => []],
  ['eth_accounts', () => []],
  ['eth_hashrate', () => []],
  ['eth_protocolVersion', () => []],
  ['eth_gasPrice', () => []],
  ['eth_maxPriorityFeePerGas', () => []],
  ['eth_blobBaseFee', () => []],
  ['eth_feeHistory', () => ['0x3', 'latest', [25, 75]]],
  ['eth_getBalance', () => [alice.address, 'latest']],
  ['eth_getTransactionCount', () => [alice.address, 'latest']],
  ['eth_getCode', () => [d.token, 'latest']],
  ['eth_getStorageAt', () => [d.token, '0x2', 'latest']],
  ['eth_getAccount', () => [d.token, 'latest']],
  ['eth_getProof', () => [d.token, [`0x${'00'.repeat(31)}02`], 'latest']],
  ['eth_getAccountInfo', () => [d.token, 'latest']],
  ['eth_getStorageValues', () => [{ [d.token.toLowerCase()]: [`0x${'00'.repeat(31)}02`] }, 'latest']],
  ['eth_networkId', () => []],
  ['eth_requestAccounts', () => []],
  ['eth_config', () => []],
  ['anvil_getGenesisTime', () => []],
  ['anvil_getIntervalMining', () => []],
  ['eth_getBlockByNumber', () => ['0x1', true]],
  ['eth_getBlockByHash', (n) => [n.block1, false]],
  ['eth_getBlockTransactionCountByNumber', () => ['0x1']],
  ['eth_getBlockTransactionCountByHash', (n) => [n.block1]],
  ['eth_getUncleCountByBlockNumber', () => ['0x1']],
  ['eth_getUncleCountByBlockHash', (n) => [n.block1]],
  ['eth_getUncleByBlockNumberAndIndex', () => ['0x1', '0x0']],
  ['eth_getUncleByBlockHashAndIndex', (n) => [n.block1, '0x0']],
  ['eth_getTransactionByHash', () => [d.txs[1]!.hash]],
  ['eth_getTransactionByBlockNumberAndIndex', () => ['0x2', '0x0']],
  ['eth_getTransactionByBlockHashAndIndex', (n) => [n.block1, '0x0']],
  ['eth_getRawTransactionByHash', () => [d.txs[1]!.hash]],
  ['eth_getRawTransactionByBlockNumberAndIndex', () => ['0x2', '0x0']],
  ['eth_getRawTransactionByBlockHashAndIndex', (n) => [n.block1, '0x0']],
  ['eth_getTransactionBySenderAndNonce', () => [alice.address, '0x1']],
  ['eth_getTransactionReceipt', () => [d.txs[1]!.hash]],
  ['eth_getBlockReceipts', () => ['0x2']],
  ['eth_getLogs', () => [{ address: d.token, fromBlock: '0x0' }]],
  ['eth_call', () => [{ to: d.token, data: tokenData('totalSupply') }, 'latest']],
  ['eth_estimateGas', () => [{ from: alice.address, to: d.token, data: tokenData('transfer', [bob.address, 1n]) }]],
  ['eth_createAccessList', () => [{ from: alice.address, to: d.token, data: tokenData('transfer', [bob.address, 1n]) }, 'latest']],
  ['eth_simulateV1', () => [{ blockStateCalls: [{ calls: [{ from: alice.address, to: d.token, data: tokenData('transfer', [bob.address, 1n]) }] }] }, 'latest']],
  ['debug_getRawTransaction', () => [d.txs[1]!.hash]],
  ['debug_codeByHash', async (n) => [keccak256(await rpc(n.url, 'eth_getCode', [d.token, 'latest']))]],
  ['debug_dbGet', async (n) => [`0x63${keccak256(await rpc(n.url, 'eth_getCode', [d.token, 'latest'])).slice(2)}`]],
  ['debug_traceTransaction', () => [d.txs[1]!.hash, { tracer: 'callTracer' }]],
  ['debug_traceCall', () => [{ from: alice.address, to: d.token, data: tokenData('transfer', [bob.address, 1n]) }, 'latest', { tracer: 'callTracer' }]],
  ['debug_traceBlockByNumber', () => ['0x2', { tracer: 'callTracer' }]],
  ['debug_traceBlockByHash', (n) => [n.block1, { tracer: 'callTracer' }]],
  ['ots_getApiLevel', () => []],
  ['ots_hasCode', () => [d.token, 'latest']],
  ['ots_traceTransaction', () => [d.txs[1]!.hash]],
  ['trace_transaction', () => [d.txs[1]!.hash]],
  ['trace_block', () => ['0x2']],
  ['trace_replayBlockTransactions', () => ['0x2', ['trace', 'stateDiff']]],
  ['trace_filter', () => [{ fromBlock: '0x1', toBlock: '0x3' }]],
  ['ots_getInternalOperations', () => [d.txs[d.txs.length - 1]!.hash]],
  ['ots_getTransactionError', () => [d.txs[4]!.hash]],
  ['ots_getBlockDetails', () => [2]],
  ['ots_getBlockDetailsByHash', (n) => [n.block1]],
  ['ots_getBlockTransactions', () => [2, 0, 25]],
  ['ots_searchTransactionsBefore', () => [bob.address, 0, 25]],
  ['ots_searchTransactionsAfter', () => [bob.address, 0, 25]],
  ['ots_getTransactionBySenderAndNonce', () => [alice.address, 1]],
  ['ots_getContractCreator', () => [d.token]],
  ['eth_sign', () => [alice.address, '0x68656c6c6f']],
  ['personal_sign', () => ['0x68656c6c6f', alice.address]],
  ['eth_signTypedData', () => [alice.address, typedData]],
  ['eth_signTypedData_v4', () => [alice.address, typedData]],
  ['eth_signTypedData_v3', () => [alice.address, typedData]],
  ['eth_fillTransaction', () => [{ from: alice.address, to: bob.address, value: '0x1' }]],
  ['eth_signTransaction', () => [{ from: alice.address, to: bob.address, value: '0x1', gas: '0x5208', nonce: '0x0', maxFeePerGas: '0x77359400', maxPriorityFeePerGas: '0x1' }]],
  // filters: each node's own ids
  ['eth_newFilter', () => [{ address: d.token, fromBlock: '0x0' }]],
  ['eth_newBlockFilter', () => []],
  ['eth_newPendingTransactionFilter', () => []],
  ['eth_getFilterLogs', (n) => [n.filter]],
  ['eth_getFilterChanges', (n) => [n.blockFilter]],
  ['eth_uninstallFilter', (n) => [n.filter]],
  // dev controls
  ['anvil_getAutomine', () => []],
  ['hardhat_getAutomine', () => []],
  ['anvil_nodeInfo', () => []],
  ['anvil_metadata', () => []],
  ['hardhat_metadata', () => []],
  ['evm_snapshot', () => []],
  ['anvil_snapshot', () => []],
  ['anvil_getBlobByHash', () => [`0x01${'ab'.repeat(31)}`]],
  ['anvil_getBlobsByTransactionHash', () => [d.txs[1]!.hash]],
  ['anvil_setBalance', () => [stranger, '0x1000']],
  ['hardhat_setBalance', () => [stranger, '0x2000']],
  ['anvil_setNonce', () => [stranger, '0x5']],
  ['hardhat_setNonce', () => [stranger, '0x6']],
  ['evm_setAccountNonce', () => [stranger, '0x7']],
  ['anvil_addBalance', () => [stranger, '0xde0b6b3a7640000']],
  ['hardhat_addBalance', () => [stranger, '0x1']],
  ['anvil_dealERC20', () => [bob.address, d.token, '0x1234']],
  ['hardhat_dealERC20', () => [bob.address, d.token, '0x1235']],
  ['anvil_setERC20Balance', () => [bob.address, d.token, '0x1236']],
  ['anvil_setERC20Allowance', () => [alice.address, bob.address, d.token, '0x77']],
  ['anvil_setCode', () => [stranger, '0x6000']],
  ['hardhat_setCode', () => [stranger, '0x6001']],
  ['anvil_setStorageAt', () => [stranger, '0x0', `0x${'00'.repeat(31)}01`]],
  ['hardhat_setStorageAt', () => [stranger, '0x1', `0x${'00'.repeat(31)}02`]],
  ['anvil_impersonateAccount', () => [stranger]],
  ['hardhat_impersonateAccount', () => [stranger]],
  ['anvil_stopImpersonatingAccount', () => [stranger]],
  // anvil 1.7.1 takes the pair wrapped in a list
  ['anvil_impersonateSignature', () => [[`0x${'11'.repeat(32)}${'22'.repeat(32)}1b`, stranger]]],
  ['hardhat_stopImpersonatingAccount', () => [stranger]],
  ['anvil_autoImpersonateAccount', () => [false]],
  ['hardhat_autoImpersonateAccount', () => [false]],
  ['anvil_setLoggingEnabled', () => [true]],
  ['hardhat_setLoggingEnabled', () => [true]],
  ['anvil_setCoinbase', () => [alice.address]],
  ['hardhat_setCoinbase', () => [alice.address]],
  ['anvil_setNextBlockBaseFeePerGas', () => ['0x3b9aca00']],
  ['hardhat_setNextBlockBaseFeePerGas', () => ['0x3b9aca00']],
  ['anvil_setMinGasPrice', () => ['0x1']],
  ['hardhat_setMinGasPrice', () => ['0x1']],
  ['anvil_setRpcUrl', () => ['http://127.0.0.1:1']],
  ['anvil_setBlockGasLimit', () => ['0x1c9c380']],
  ['evm_setBlockGasLimit', () => ['0x1c9c380']],
  ['anvil_setBlockTimestampInterval', () => [12]],
  ['anvil_removeBlockTimestampInterval', () => []],
  ['evm_setNextBlockTimestamp', () => [2_000_000_000]],
  ['evm_increaseTime', () => [12]],
  ['evm_mine', () => []],
  ['anvil_increaseTime', () => [12]],
  ['anvil_setNextBlockTimestamp', () => [2_000_001_000]],
  ['evm_mine_detailed', () => []],
  ['evm_setTime', () => [2_100_000_000]],
  ['anvil_setTime', () => [2_100_000_100]],
  ['anvil_mine_detailed', () => []],
  ['anvil_mine', () => ['0x2']],
  ['hardhat_mine', () => ['0x1']],
  ['eth_sendTransaction', () => [{ from: alice.address, to: bob.address, value: '0x1' }]],
  ['eth_sendRawTransaction', async (n) => {
    const nonce = Number(await rpc(n.url, 'eth_getTransactionCount', [bob.address, 'latest']))
    return [await bob.signTransaction({ chainId: CHAIN_ID, type: 'eip1559', nonce, gas: 21_000n, to: stranger, value: 1n, maxFeePerGas: 10_000_000_000n, maxPriorityFeePerGas: 1n })]
  }],
  ['eth_sendTransactionSync', () => [{ from: alice.address, to: bob.address, value: '0x1' }]],
  ['eth_sendRawTransactionSync', async (n) => {
    const nonce = Number(await rpc(n.url, 'eth_getTransactionCount', [bob.address, 'latest']))
    return [await bob.signTransaction({ chainId: CHAIN_ID, type: 'eip1559', nonce, gas: 21_000n, to: stranger, value: 1n, maxFeePerGas: 10_000_000_000n, maxPriorityFeePerGas: 1n })]
  }],
  ['eth_sendUnsignedTransaction', () => [{ from: bob.address, to: alice.address, value: '0x1' }]],
  ['anvil_removePoolTransactions', () => [stranger]],
  ['evm_setAutomine', () => [false]],
  ['anvil_setAutomine', () => [true]],
  ['evm_setIntervalMining', () => [0]],
  ['anvil_setIntervalMining', () => [0]],
  ['anvil_dropTransaction', () => [`0x${'ab'.repeat(32)}`]],
  ['hardhat_dropTransaction', () => [`0x${'ab'.repeat(32)}`]],
  ['anvil_dropAllTransactions', () => []],
  ['hardhat_dropAllTransactions', () => []],
  // anvil takes the depth as a JSON number only
  ['anvil_reorg', () => [1, [[{ from: alice.address, to: bob.address, value: '0x1' }, 0]]]],
  ['anvil_rollback', () => [1]],
  ['anvil_revert', (n) => [n.anvilSnapshot]],
  ['evm_revert', (n) => [n.snapshot]],
  ['anvil_dumpState', () => []],
  ['hardhat_dumpState', () => []],
  ['anvil_loadState', (n) => [n.dump]],
  ['hardhat_loadState', (n) => [n.dump]],
  // the same id: later calls sign for it
  ['anvil_setChainId', () => [CHAIN_ID]],
  ['anvil_reset', () => []],
  ['hardhat_reset', () => []],
]

/** A value's kind; objects by their keys, arrays by their first element. */
function shape(v: unknown): unknown {
  if (v === null || v === undefined) return String(v)
  if (Array.isArray(v)) return v.length === 0 ? [] : [shape(v[0])]
  if (typeof v === 'object') return Object.fromEntries(Object.keys(v as object).sort().map((k) => [k, shape((v as Record<string, unknown>)[k])]))
  if (typeof v === 'string' && /^0x[0-9a-fA-F]*$/.test(v)) return v.length === 42 ? 'address' : v.length === 66 ? 'hash' : 'hex'
  return typeof v
}

/** Intended differences of shape, per method (the comparison's kind), each with its reason. */
const GETH_BLOCK = 'anvil still reports totalDifficulty; geth dropped it from block JSON after the merge, and so does Mosaic'
const GETH_RECEIPT = 'anvil adds blobGasPrice and blockTimestamp to every receipt; geth (and Mosaic) give blobGasPrice to blob transactions only and no blockTimestamp'
const ERIGON_OTS = "Otterscan's block pages in Erigon's shapes (see otterscan.test.ts): no logs bloom (null), no totalDifficulty, receipts of a block page without logs, search receipts with the block time as a JSON number"
const HARDHAT_TRUE = "Hardhat answers its hardhat_set*/impersonate methods with true; anvil's aliases answer null, Mosaic answers the hardhat_ names as Hardhat does"
const SHAPE_DIFFERENCES: Difference[] = [
  ...['eth_getBlockByNumber', 'eth_getBlockByHash'].map((kind) => ({ kind, path: '.totalDifficulty', reason: GETH_BLOCK })),
  ...['.blobGasPrice', '.blockTimestamp'].map((path) => ({ kind: 'eth_getTransactionReceipt', path, reason: GETH_RECEIPT })),
  ...['.0.blobGasPrice', '.0.blockTimestamp'].map((path) => ({ kind: 'eth_getBlockReceipts', path, reason: GETH_RECEIPT })),
  { kind: 'eth_createAccessList', path: '.accessList.0', reason: "geth's access-list tracer (which Mosaic follows) leaves out the sender, the recipient and the precompiles, with their slots: a token transfer's list is empty; anvil lists the called contract and its slots" },
  ...['.0.blobGasUsed', '.0.excessBlobGas', '.0.parentBeaconBlockRoot', '.0.requestsHash', '.0.size', '.0.withdrawals', '.0.withdrawalsRoot'].map((path) => ({
    kind: 'eth_simulateV1', path, reason: "geth's eth_simulateV1 returns whole blocks of the fork in force (Prague: blob gas, beacon root, requests hash, withdrawals, size); anvil's simulated blocks leave these header fields out",
  })),
  ...['ots_getBlockDetails', 'ots_getBlockDetailsByHash'].flatMap((kind) => ['.block.logsBloom', '.block.totalDifficulty'].map((path) => ({ kind, path, reason: ERIGON_OTS }))),
  ...['.fullblock.logsBloom', '.fullblock.totalDifficulty', '.receipts.0.logs', '.receipts.0.logsBloom', '.receipts.0.blobGasPrice', '.receipts.0.timestamp'].map((path) => ({ kind: 'ots_getBlockTransactions', path, reason: ERIGON_OTS })),
  ...['ots_searchTransactionsBefore', 'ots_searchTransactionsAfter'].flatMap((kind) => [
    { kind, path: '.receipts.0.timestamp', reason: ERIGON_OTS, check: (m: unknown, a: unknown) => m === 'number' && a === 'hex' },
    { kind, path: '.receipts.0.blobGasPrice', reason: GETH_RECEIPT },
  ]),
  ...['evm_mine_detailed', 'anvil_mine_detailed'].map((kind) => ({ kind, path: '.0.totalDifficulty', reason: GETH_BLOCK })),
  ...['eth_sendTransactionSync', 'eth_sendRawTransactionSync'].flatMap((kind) => ['.blobGasPrice', '.blockTimestamp'].map((path) => ({ kind, path, reason: GETH_RECEIPT }))),
  { kind: 'eth_signTypedData_v3', path: '', reason: "anvil answers eth_signTypedData_v3 with 'not implemented'; v3 data (no arrays, no recursive types) hashes the same under v4, so Mosaic signs it as v4, as MetaMask does", check: (m, a) => m === 'hex' && (a as { error?: number }).error === -32603 },
  { kind: 'eth_config', path: '.current.systemContracts.DEPOSIT_CONTRACT_ADDRESS', reason: "the dev chain has no deposit contract (no deposit requests are read from its logs), so Mosaic names none; anvil names mainnet's", check: (m, a) => m === undefined && a === 'address' },
  { kind: 'eth_signTypedData', path: '', reason: "anvil answers eth_signTypedData (without a version) with 'not implemented'; Mosaic signs the EIP-712 object as v4, as Hardhat and MetaMask's newer eth_signTypedData do", check: (m, a) => m === 'hex' && (a as { error?: number }).error === -32603 },
  ...['anvil_metadata', 'hardhat_metadata'].flatMap((kind): Difference[] => [
    { kind, path: '.clientName', reason: 'Mosaic names the client (it is not anvil, which tools read clientVersion for)', check: (m, a) => m === 'string' && a === undefined },
    { kind, path: '.clientCommitSha', reason: "anvil 1.7.1 reports its build's git commit; a Mosaic build carries no commit", check: (m, a) => m === undefined && a === 'string' },
  ]),
  { kind: 'debug_dbGet', path: '', reason: "anvil reads debug_dbGet's params as the key itself (a string, not an array: its request enum lacks the `sequence` form there) and refuses [key]; Mosaic takes geth's [key], and the bare string too (dev-methods.test.ts)", check: (m, a) => m === 'hex' && (a as { error?: number }).error === -32602 },
  ...['hardhat_setBalance', 'hardhat_setNonce', 'hardhat_setCode', 'hardhat_impersonateAccount', 'hardhat_stopImpersonatingAccount'].map((kind) => ({
    kind, path: '', reason: HARDHAT_TRUE, check: (m: unknown, a: unknown) => m === 'boolean' && a === 'null',
  })),
]

/** Methods both refuse on this chain with the same error code, each with why (valid parameters still). */
const REFUSED: Record<string, string> = {
  anvil_setMinGasPrice: 'a minimum gas price is a pre-EIP-1559 rule: anvil refuses it with -32602 on a chain with EIP-1559, as every dev chain is, and so does Mosaic',
  hardhat_setMinGasPrice: 'the alias of anvil_setMinGasPrice',
}

const cmp = new Comparison(SHAPE_DIFFERENCES)
let mosaic: Child
let anvil: Child
const available = anvilAvailable('the method coverage is')

beforeAll(async () => {
  if (available) ({ mosaic, anvil, d } = await startScenario())
})

afterAll(async () => {
  await Promise.all([mosaic?.stop(), anvil?.stop()])
})

const called = new Set(CALLS.map(([m]) => m))

describe.skipIf(!available)('every method anvil answers, on Mosaic', () => {
  test('anvil answers every listed method; Mosaic every one not pending, and no pending one', async () => {
    const notAnvil: string[] = []
    const wrongPending: string[] = []
    // more parameters than any method takes, none valid: an existing method refuses them (-32602)
    // without acting, an unknown one answers -32601
    const probe = Array(9).fill('0xzz')
    for (const m of ANVIL_METHODS) {
      const [a, n] = await Promise.all([rpcRaw(anvil.url, m, probe), rpcRaw(mosaic.url, m, probe)])
      if (a.error?.code === -32601) notAnvil.push(m)
      if ((n.error?.code === -32601) !== m in PENDING) wrongPending.push(`${m}: ${m in PENDING ? 'answered, but listed as pending' : 'not answered, not listed'}`)
    }
    expect(notAnvil).toEqual([])
    expect(wrongPending).toEqual([])
    // every method both serve is called below with valid parameters
    expect(ANVIL_METHODS.filter((m) => !(m in PENDING) && !called.has(m))).toEqual([])
    expect([...called].filter((m) => !ANVIL_METHODS.includes(m))).toEqual([])
  })

  test('the answers of both have the same shapes, but for the listed differences', async () => {
    const nodes: Node[] = await Promise.all(
      [mosaic, anvil].map(async (c) => ({ url: c.url, block1: (await rpc(c.url, 'eth_getBlockByNumber', ['0x1', false])).hash as Hex })),
    )
    const failed: string[] = []
    for (const [method, params] of CALLS) {
      const [m, a] = await Promise.all(nodes.map(async (n) => rpcRaw(n.url, method, await params(n))))
      if (method in REFUSED) {
        if (!m!.error || m!.error.code !== a!.error?.code) failed.push(`${method}: both should refuse it alike (${REFUSED[method]}); Mosaic ${JSON.stringify(m!.error ?? m!.result)}, anvil ${JSON.stringify(a!.error ?? a!.result)}`)
      } else if (m!.error) failed.push(`${method} on Mosaic: ${m!.error.message}`)
      cmp.compare(method, method, m!.error ? { error: m!.error.code } : shape(m!.result), a!.error ? { error: a!.error.code } : shape(a!.result))
      // ids a later call needs, each node its own
      nodes.forEach((n, i) => {
        const r = [m, a][i]!.result
        if (method === 'eth_newFilter') n.filter = r
        if (method === 'eth_newBlockFilter') n.blockFilter = r
        if (method === 'evm_snapshot') n.snapshot = r
        if (method === 'anvil_snapshot') n.anvilSnapshot = r
        if (method === 'anvil_dumpState') n.dump = r
      })
    }
    // valid parameters: Mosaic answers every call with a result
    expect(failed).toEqual([])
    expect(cmp.unexpected).toEqual([])
    expect(cmp.failedChecks).toEqual([])
    expect(cmp.unseen()).toEqual([])
  })
})
