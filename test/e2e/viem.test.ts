/**
 * viem, unchanged, against Mosaic's execution profile (a child process): an ERC-20 compiled
 * with solc is deployed, transferred and read; events arrive through HTTP filters
 * (eth_newFilter / eth_getFilterChanges) and WebSocket subscriptions; gas is estimated; revert
 * reasons and custom errors come back decoded; EIP-1559, EIP-2930, legacy and EIP-7702
 * transactions are signed locally and sent raw; blocks, receipts, logs, batched and multicall
 * eth_calls, and viem's anvil-mode test actions (snapshot, revert, mine, set*) work.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import {
  BaseError,
  concat,
  ContractFunctionRevertedError,
  createPublicClient,
  createTestClient,
  createWalletClient,
  decodeEventLog,
  defineChain,
  encodeFunctionData,
  getAddress,
  http,
  parseEther,
  parseGwei,
  publicActions,
  webSocket,
  type Address,
  type Hex,
  type Log,
  type PublicClient,
} from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { DEV_ACCOUNTS, DEV_PRIVATE_KEYS } from '../../src/chainspec/index.ts'
import { contracts, REVERT_REASON, TOKEN_SUPPLY } from './contracts.ts'
import { CHAIN_ID, startMosaic, type Child } from './processes.ts'
import { until, within } from './wait.ts'

setDefaultTimeout(60_000)

const chain = defineChain({ id: CHAIN_ID, name: 'mosaic-dev', nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: ['http://127.0.0.1:8545'] } } })
const alice = privateKeyToAccount(DEV_PRIVATE_KEYS[0] as Hex)
const bob = privateKeyToAccount(DEV_PRIVATE_KEYS[1] as Hex)
const carol = privateKeyToAccount(DEV_PRIVATE_KEYS[2] as Hex)

let node: Child
let pub: PublicClient
let wallet: ReturnType<typeof makeWallet>
let ws: PublicClient
let token: Address
let C: ReturnType<typeof contracts>

/** A decoded Transfer log (the compiled ABI is not typed statically). */
type TransferLog = Log & { args: { from: Address; to: Address; value: bigint } }

const makeWallet = (url: string) => createWalletClient({ chain, account: alice, transport: http(url) }).extend(publicActions)

beforeAll(async () => {
  C = contracts()
  node = await startMosaic()
  pub = createPublicClient({ chain, transport: http(node.url), pollingInterval: 50, cacheTime: 0 })
  wallet = makeWallet(node.url)
  ws = createPublicClient({ chain, transport: webSocket(node.wsUrl) })
})

afterAll(async () => {
  try {
    await (ws?.transport as { getRpcClient?: () => Promise<{ close(): void }> } | undefined)?.getRpcClient?.().then((c) => c.close())
  } finally {
    await node?.stop()
  }
})

describe('viem against mosaic', () => {
  test('chain id, accounts and balances of the dev chain', async () => {
    expect(await pub.getChainId()).toBe(CHAIN_ID)
    expect(await pub.getBalance({ address: DEV_ACCOUNTS[9] as Address })).toBe(parseEther('10000'))
    const addrs = await pub.request({ method: 'eth_accounts' } as never) as Address[]
    expect(addrs.map((a) => getAddress(a))).toEqual([...DEV_ACCOUNTS])
  })

  test('deploy the ERC-20: receipt fields, constructor event', async () => {
    const hash = await wallet.deployContract({ abi: C.Token.abi, bytecode: C.Token.bytecode, args: ['Mosaic Token', 'MOS', TOKEN_SUPPLY] })
    const r = await pub.waitForTransactionReceipt({ hash })
    expect(r.status).toBe('success')
    expect(r.type).toBe('eip1559')
    expect(r.from).toBe(alice.address.toLowerCase() as Address)
    expect(r.to).toBeNull()
    expect(r.contractAddress).toBeTruthy()
    token = getAddress(r.contractAddress!)
    expect(r.transactionHash).toBe(hash)
    expect(r.transactionIndex).toBe(0)
    expect(r.gasUsed).toBeGreaterThan(21_000n)
    expect(r.cumulativeGasUsed).toBe(r.gasUsed) // one transaction per block
    const block = await pub.getBlock({ blockHash: r.blockHash })
    expect(r.effectiveGasPrice).toBeGreaterThanOrEqual(block.baseFeePerGas!)
    expect(r.logs).toHaveLength(1)
    const ev = decodeEventLog({ abi: C.Token.abi, ...r.logs[0]! }) as unknown as { eventName: string; args: Record<string, unknown> }
    expect(ev.eventName).toBe('Transfer')
    expect(ev.args).toEqual({ from: '0x0000000000000000000000000000000000000000', to: alice.address, value: TOKEN_SUPPLY })
    expect(r.logsBloom).toMatch(/^0x[0-9a-f]{512}$/)
    expect(r.logsBloom).not.toBe('0x' + '0'.repeat(512))
    const code = await pub.getCode({ address: token })
    expect(code!.length).toBeGreaterThan(100)
  })

  test('read the token', async () => {
    const read = (functionName: string, args: unknown[] = []) => pub.readContract({ address: token, abi: C.Token.abi, functionName, args } as never)
    expect(await read('name')).toBe('Mosaic Token')
    expect(await read('symbol')).toBe('MOS')
    expect(await read('decimals')).toBe(18)
    expect(await read('totalSupply')).toBe(TOKEN_SUPPLY)
    expect(await read('balanceOf', [alice.address])).toBe(TOKEN_SUPPLY)
  })

  test('estimate gas, then transfer with the estimate', async () => {
    const args = [bob.address, 1000n] as const
    const est = await pub.estimateContractGas({ address: token, abi: C.Token.abi, functionName: 'transfer', args, account: alice })
    expect(est).toBeGreaterThan(21_000n)
    const hash = await wallet.writeContract({ address: token, abi: C.Token.abi, functionName: 'transfer', args, gas: est })
    const r = await pub.waitForTransactionReceipt({ hash })
    expect(r.status).toBe('success')
    // the estimate is enough and not far above what the transfer used
    expect(r.gasUsed).toBeLessThanOrEqual(est)
    expect(est - r.gasUsed).toBeLessThan(10_000n)
    expect(await pub.readContract({ address: token, abi: C.Token.abi, functionName: 'balanceOf', args: [bob.address] })).toBe(1000n)
  })

  test('a revert reason string surfaces from eth_call, estimateGas and the simulation', async () => {
    const err = await pub.simulateContract({ address: token, abi: C.Token.abi, functionName: 'fail', account: alice }).catch((e) => e)
    expect(err).toBeInstanceOf(BaseError)
    const revert = (err as BaseError).walk((e) => e instanceof ContractFunctionRevertedError) as ContractFunctionRevertedError
    expect(revert).toBeInstanceOf(ContractFunctionRevertedError)
    expect(revert.reason).toBe(REVERT_REASON)

    const est = await pub.estimateContractGas({ address: token, abi: C.Token.abi, functionName: 'fail', account: alice }).catch((e) => e)
    expect(est).toBeInstanceOf(BaseError)
    expect((est as BaseError).message).toContain(REVERT_REASON)

    // writeContract simulates first: the reason surfaces before anything is sent
    const w = await wallet.writeContract({ address: token, abi: C.Token.abi, functionName: 'fail' }).catch((e) => e)
    expect(w).toBeInstanceOf(BaseError)
    expect((w as BaseError).message).toContain(REVERT_REASON)
  })

  test('a custom error surfaces decoded with its arguments', async () => {
    const err = await pub.simulateContract({ address: token, abi: C.Token.abi, functionName: 'burn', args: [5n], account: carol }).catch((e) => e)
    const revert = (err as BaseError).walk((e) => e instanceof ContractFunctionRevertedError) as ContractFunctionRevertedError
    expect(revert).toBeInstanceOf(ContractFunctionRevertedError)
    expect(revert.data?.errorName).toBe('InsufficientBalance')
    expect(revert.data?.args).toEqual([carol.address, 0n, 5n])
  })

  test('a reverted transaction mined with explicit gas: status reverted, no logs', async () => {
    const hash = await wallet.sendTransaction({ to: token, data: encodeFunctionData({ abi: C.Token.abi, functionName: 'fail' }), gas: 100_000n })
    const r = await pub.waitForTransactionReceipt({ hash })
    expect(r.status).toBe('reverted')
    expect(r.logs).toEqual([])
    expect(r.gasUsed).toBeGreaterThan(21_000n)
    expect(r.gasUsed).toBeLessThan(100_000n)
  })

  test('events through HTTP polling filters (eth_newFilter / eth_getFilterChanges)', async () => {
    const seen: Log[] = []
    const methods: string[] = []
    const polling = createPublicClient({
      chain,
      pollingInterval: 50,
      transport: http(node.url, { onFetchRequest: async (req) => { methods.push(JSON.parse(await req.clone().text()).method) } }),
    })
    let gotLogs!: () => void
    const got = new Promise<void>((r) => (gotLogs = r))
    const unwatch = polling.watchContractEvent({
      address: token,
      abi: C.Token.abi,
      eventName: 'Transfer',
      args: { to: carol.address },
      poll: true,
      onLogs: (logs) => {
        seen.push(...logs)
        if (seen.length >= 2) gotLogs()
      },
      onError: () => {},
    })
    try {
      // a first eth_getFilterChanges means the eth_newFilter answer came back: the filter is installed
      await until(() => methods.includes('eth_getFilterChanges'), 'the filter to be installed')
      // a transfer to someone else must not match the indexed-argument filter
      await pub.waitForTransactionReceipt({ hash: await wallet.writeContract({ address: token, abi: C.Token.abi, functionName: 'transfer', args: [bob.address, 1n] }) })
      await pub.waitForTransactionReceipt({ hash: await wallet.writeContract({ address: token, abi: C.Token.abi, functionName: 'transfer', args: [carol.address, 7n] }) })
      await pub.waitForTransactionReceipt({ hash: await wallet.writeContract({ address: token, abi: C.Token.abi, functionName: 'transfer', args: [carol.address, 8n] }) })
      await within(got, 'two Transfer logs through the filter')
    } finally {
      unwatch()
    }
    expect(methods).toContain('eth_newFilter')
    expect(methods).toContain('eth_getFilterChanges')
    expect(seen.map((l) => (l as unknown as { args: { value: bigint } }).args.value)).toEqual([7n, 8n])
    expect(seen.every((l) => getAddress(l.address) === token)).toBe(true)
  })

  test('a created event filter and eth_getFilterChanges directly', async () => {
    const filter = await pub.createContractEventFilter({ address: token, abi: C.Token.abi, eventName: 'Transfer', args: { from: alice.address } as never })
    await pub.waitForTransactionReceipt({ hash: await wallet.writeContract({ address: token, abi: C.Token.abi, functionName: 'transfer', args: [bob.address, 3n] }) })
    const changes = await pub.getFilterChanges({ filter })
    expect(changes).toHaveLength(1)
    expect((changes[0] as unknown as { args: { value: bigint } }).args.value).toBe(3n)
    expect(await pub.getFilterChanges({ filter })).toEqual([])
    expect(await pub.uninstallFilter({ filter })).toBe(true)
  })

  test('WebSocket: watchContractEvent (eth_subscribe logs) and watchBlocks (newHeads)', async () => {
    const logs: Log[] = []
    const blocks: bigint[] = []
    let gotLog!: () => void
    let gotBlock!: () => void
    const logP = new Promise<void>((r) => (gotLog = r))
    const blockP = new Promise<void>((r) => (gotBlock = r))
    const unLogs = ws.watchContractEvent({ address: token, abi: C.Token.abi, eventName: 'Transfer', args: { to: carol.address }, onLogs: (l) => { logs.push(...l); gotLog() }, onError: () => {} })
    const unBlocks = ws.watchBlocks({ onBlock: (b) => { blocks.push(b.number!); gotBlock() }, onError: () => {} })
    try {
      // subscriptions are set up asynchronously: keep sending until both arrived
      let value = 100n
      const sending = (async () => {
        while (logs.length === 0 || blocks.length === 0) {
          await pub.waitForTransactionReceipt({ hash: await wallet.writeContract({ address: token, abi: C.Token.abi, functionName: 'transfer', args: [carol.address, value++] }) })
          await Bun.sleep(100)
        }
      })()
      await within(Promise.all([logP, blockP, sending]), 'a WebSocket log and block')
    } finally {
      unLogs()
      unBlocks()
    }
    const head = await pub.getBlockNumber()
    expect(blocks.every((b) => b > 0n && b <= head)).toBe(true)
    expect(getAddress(logs[0]!.address)).toBe(token)
    expect((logs[0] as unknown as { args: { to: Address } }).args.to).toBe(carol.address)
  })

  test('getLogs with address, event and indexed-argument filters over a block range', async () => {
    const all = (await pub.getContractEvents({ address: token, abi: C.Token.abi, eventName: 'Transfer', fromBlock: 0n, toBlock: 'latest' })) as unknown as TransferLog[]
    expect(all.length).toBeGreaterThanOrEqual(6)
    const toCarol = (await pub.getContractEvents({ address: token, abi: C.Token.abi, eventName: 'Transfer', args: { to: carol.address } as never, fromBlock: 0n })) as unknown as TransferLog[]
    expect(toCarol.length).toBeGreaterThanOrEqual(3)
    expect(toCarol.every((l) => l.args.to === carol.address)).toBe(true)
    const mint = (await pub.getContractEvents({ address: token, abi: C.Token.abi, eventName: 'Transfer', fromBlock: 1n, toBlock: 1n })) as unknown as TransferLog[]
    expect(mint).toHaveLength(1)
    expect(mint[0]!.args.from).toBe('0x0000000000000000000000000000000000000000')
    // ordered by block, then log index
    for (let i = 1; i < all.length; i++) expect(all[i]!.blockNumber! > all[i - 1]!.blockNumber! || all[i]!.logIndex! > all[i - 1]!.logIndex!).toBe(true)
    const byHash = (await pub.getContractEvents({ address: token, abi: C.Token.abi, blockHash: mint[0]!.blockHash! })) as unknown as TransferLog[]
    expect(byHash).toHaveLength(1)
    expect(byHash[0]!.transactionHash).toBe(mint[0]!.transactionHash)
  })

  test('raw EIP-1559, EIP-2930 and legacy transactions signed locally', async () => {
    const nonce = await pub.getTransactionCount({ address: bob.address })
    const base = { chain, to: carol.address, value: 12345n, gas: 21_000n }
    const raws = [
      await bob.signTransaction({ ...base, chainId: CHAIN_ID, type: 'eip1559', nonce, maxFeePerGas: parseGwei('20'), maxPriorityFeePerGas: parseGwei('1') }),
      await bob.signTransaction({ ...base, chainId: CHAIN_ID, type: 'eip2930', nonce: nonce + 1, gasPrice: parseGwei('20'), accessList: [{ address: token, storageKeys: [] }], gas: 21_000n + 2400n }),
      await bob.signTransaction({ ...base, chainId: CHAIN_ID, type: 'legacy', nonce: nonce + 2, gasPrice: parseGwei('20') }),
    ]
    const types = ['eip1559', 'eip2930', 'legacy'] as const
    const before = await pub.getBalance({ address: carol.address })
    for (const [i, raw] of raws.entries()) {
      const hash = await pub.sendRawTransaction({ serializedTransaction: raw })
      const r = await pub.waitForTransactionReceipt({ hash })
      expect(r.status).toBe('success')
      expect(r.type).toBe(types[i]!)
      const tx = await pub.getTransaction({ hash })
      expect(tx.type).toBe(types[i]!)
      expect(tx.nonce).toBe(nonce + i)
      expect(tx.from).toBe(bob.address.toLowerCase() as Address)
      expect(tx.chainId).toBe(CHAIN_ID)
      if (types[i] === 'eip2930') expect(tx.accessList).toEqual([{ address: token.toLowerCase() as Address, storageKeys: [] }])
      if (types[i] === 'eip1559') expect(r.effectiveGasPrice).toBeLessThanOrEqual(parseGwei('20'))
      else expect(r.effectiveGasPrice).toBe(parseGwei('20'))
    }
    expect(await pub.getBalance({ address: carol.address })).toBe(before + 3n * 12345n)
    expect(await pub.getTransactionCount({ address: bob.address })).toBe(nonce + 3)
  })

  test('EIP-7702: a sponsored authorization sets 0xef0100||delegate and a call to the EOA runs the delegate', async () => {
    const deployed = await pub.waitForTransactionReceipt({ hash: await wallet.deployContract({ abi: C.Delegate.abi, bytecode: C.Delegate.bytecode }) })
    const delegate = getAddress(deployed.contractAddress!)
    const authority = privateKeyToAccount(generatePrivateKey())
    const authorization = await wallet.signAuthorization({ account: authority, contractAddress: delegate })
    const hash = await wallet.sendTransaction({
      authorizationList: [authorization],
      to: authority.address,
      data: encodeFunctionData({ abi: C.Delegate.abi, functionName: 'ping' }),
    })
    const r = await pub.waitForTransactionReceipt({ hash })
    expect(r.status).toBe('success')
    expect(r.type).toBe('eip7702')
    const tx = await pub.getTransaction({ hash })
    expect(tx.type).toBe('eip7702')
    expect(tx.authorizationList).toHaveLength(1)
    expect(getAddress(tx.authorizationList![0]!.address)).toBe(delegate)
    expect(await pub.getCode({ address: authority.address })).toBe(concat(['0xef0100', delegate.toLowerCase() as Hex]))
    // the delegate's code ran in the EOA's context: its event came from the EOA, its counter is the EOA's
    expect(r.logs).toHaveLength(1)
    const ev = decodeEventLog({ abi: C.Delegate.abi, ...r.logs[0]! }) as unknown as { args: { self: Address; sender: Address; count: bigint } }
    expect(getAddress(r.logs[0]!.address)).toBe(authority.address)
    expect(ev.args).toEqual({ self: authority.address, sender: alice.address, count: 1n })
    expect(await pub.readContract({ address: authority.address, abi: C.Delegate.abi, functionName: 'count' })).toBe(1n)
    expect(await pub.readContract({ address: delegate, abi: C.Delegate.abi, functionName: 'count' })).toBe(0n)
    expect(await pub.getTransactionCount({ address: authority.address })).toBe(1) // the authorization bumped its nonce

    // a second, plain call to the EOA runs the delegated code again
    const again = await pub.waitForTransactionReceipt({ hash: await wallet.writeContract({ address: authority.address, abi: C.Delegate.abi, functionName: 'ping' }) })
    expect(again.status).toBe('success')
    expect(await pub.readContract({ address: authority.address, abi: C.Delegate.abi, functionName: 'count' })).toBe(2n)
  })

  test('EIP-7702: a self-executed authorization (executor self) sent raw', async () => {
    const delegate = getAddress((await pub.waitForTransactionReceipt({ hash: await wallet.deployContract({ abi: C.Delegate.abi, bytecode: C.Delegate.bytecode }) })).contractAddress!)
    const self = privateKeyToAccount(generatePrivateKey())
    await pub.waitForTransactionReceipt({ hash: await wallet.sendTransaction({ to: self.address, value: parseEther('1') }) })
    const selfWallet = createWalletClient({ chain, account: self, transport: http(node.url) })
    const authorization = await selfWallet.signAuthorization({ contractAddress: delegate, executor: 'self' })
    expect(authorization.nonce).toBe(1) // the sender's own nonce is bumped before the authorization is applied
    const request = await selfWallet.prepareTransactionRequest({ authorizationList: [authorization], to: self.address, data: encodeFunctionData({ abi: C.Delegate.abi, functionName: 'ping' }) })
    const raw = await selfWallet.signTransaction(request as never)
    expect(raw.startsWith('0x04')).toBe(true)
    const r = await pub.waitForTransactionReceipt({ hash: await pub.sendRawTransaction({ serializedTransaction: raw }) })
    expect(r.status).toBe('success')
    expect(await pub.getCode({ address: self.address })).toBe(concat(['0xef0100', delegate.toLowerCase() as Hex]))
    expect(await pub.readContract({ address: self.address, abi: C.Delegate.abi, functionName: 'count' })).toBe(1n)
    expect(await pub.getTransactionCount({ address: self.address })).toBe(2)
  })

  test('getBlock: header fields, full transactions, by number, hash and tag', async () => {
    const latest = await pub.getBlock({ includeTransactions: true })
    expect(latest.number).toBe(await pub.getBlockNumber())
    expect(latest.hash).toMatch(/^0x[0-9a-f]{64}$/)
    expect(latest.transactions).toHaveLength(1)
    expect(typeof latest.transactions[0]).toBe('object')
    expect(latest.baseFeePerGas).toBeGreaterThan(0n)
    expect(latest.gasLimit).toBe(30_000_000n)
    expect(latest.gasUsed).toBeGreaterThan(0n)
    expect(latest.withdrawals).toEqual([])
    expect(latest.blobGasUsed).toBe(0n)
    expect(latest.excessBlobGas).toBe(0n)
    expect(latest.difficulty).toBe(0n)
    expect(latest.uncles).toEqual([])
    expect((latest as unknown as { requestsHash: Hex }).requestsHash).toMatch(/^0x[0-9a-f]{64}$/)
    const parent = await pub.getBlock({ blockHash: latest.parentHash })
    expect(parent.number).toBe(latest.number! - 1n)
    expect(parent.timestamp).toBeLessThanOrEqual(latest.timestamp)
    const byNumber = await pub.getBlock({ blockNumber: latest.number! })
    expect(byNumber.hash).toBe(latest.hash)
    expect(byNumber.transactions).toEqual([latest.transactions[0]!.hash])
    const genesis = await pub.getBlock({ blockTag: 'earliest' })
    expect(genesis.number).toBe(0n)
    expect(genesis.transactions).toEqual([])
    expect(await pub.getBlockTransactionCount({ blockNumber: latest.number! })).toBe(1)
  })

  test('eth_call batches: a JSON-RPC batch over HTTP and multicall through aggregate3', async () => {
    const bodies: unknown[] = []
    const batching = createPublicClient({ chain, transport: http(node.url, { batch: true, onFetchRequest: async (req) => { bodies.push(JSON.parse(await req.clone().text())) } }) })
    const who = [alice.address, bob.address, carol.address]
    const balances = await Promise.all(who.map((a) => batching.readContract({ address: token, abi: C.Token.abi, functionName: 'balanceOf', args: [a] }) as Promise<bigint>))
    const batch = bodies.find((b) => Array.isArray(b)) as unknown[] | undefined
    expect(batch?.length).toBe(3)
    expect(balances.reduce((s, b) => s + b, 0n)).toBeLessThanOrEqual(TOKEN_SUPPLY)
    expect(balances[0]).toBeGreaterThan(0n)

    const mc = getAddress((await pub.waitForTransactionReceipt({ hash: await wallet.deployContract({ abi: C.Multicall.abi, bytecode: C.Multicall.bytecode }) })).contractAddress!)
    const results = await pub.multicall({
      multicallAddress: mc,
      contracts: [
        ...who.map((a) => ({ address: token, abi: C.Token.abi, functionName: 'balanceOf', args: [a] }) as const),
        { address: token, abi: C.Token.abi, functionName: 'fail' } as const,
        { address: token, abi: C.Token.abi, functionName: 'symbol' } as const,
      ],
    })
    expect(results.slice(0, 3).map((r) => r.result)).toEqual(balances)
    expect(results[3]!.status).toBe('failure')
    expect(String(results[3]!.error)).toContain(REVERT_REASON)
    expect(results[4]).toEqual({ status: 'success', result: 'MOS' })
  })

  test("viem's anvil-mode test actions: snapshot, revert, mine, setBalance, timestamps, impersonation", async () => {
    const testClient = createTestClient({ chain, mode: 'anvil', cacheTime: 0, transport: http(node.url) }).extend(publicActions)
    const id = await testClient.snapshot()
    const head = await testClient.getBlockNumber()
    const carolBefore = await testClient.getBalance({ address: carol.address })
    await pub.waitForTransactionReceipt({ hash: await wallet.sendTransaction({ to: carol.address, value: parseEther('1') }) })
    await testClient.mine({ blocks: 3 })
    expect(await testClient.getBlockNumber()).toBe(head + 4n)
    await testClient.setBalance({ address: bob.address, value: 42n })
    expect(await testClient.getBalance({ address: bob.address })).toBe(42n)
    await testClient.revert({ id })
    expect(await testClient.getBlockNumber()).toBe(head)
    expect(await testClient.getBalance({ address: carol.address })).toBe(carolBefore)
    expect(await testClient.getBalance({ address: bob.address })).toBeGreaterThan(42n)

    const t = (await testClient.getBlock()).timestamp + 1000n
    await testClient.setNextBlockTimestamp({ timestamp: t })
    await testClient.mine({ blocks: 1 })
    expect((await testClient.getBlock()).timestamp).toBe(t)

    const stranger = privateKeyToAccount(generatePrivateKey()).address
    await testClient.setBalance({ address: stranger, value: parseEther('2') })
    await testClient.impersonateAccount({ address: stranger })
    const impersonated = createWalletClient({ chain, account: stranger, transport: http(node.url) })
    const r = await pub.waitForTransactionReceipt({ hash: await impersonated.sendTransaction({ to: carol.address, value: 1n }) })
    expect(getAddress(r.from)).toBe(stranger)
    await testClient.stopImpersonatingAccount({ address: stranger })
    const refused = await impersonated.sendTransaction({ to: carol.address, value: 1n }).catch((e) => e)
    expect(refused).toBeInstanceOf(BaseError)

    await testClient.setAutomine(false)
    const pending = await wallet.sendTransaction({ to: carol.address, value: 1n })
    expect(await pub.getTransactionReceipt({ hash: pending }).catch(() => null)).toBeNull()
    await testClient.mine({ blocks: 1 })
    expect((await pub.getTransactionReceipt({ hash: pending })).status).toBe('success')
    await testClient.setAutomine(true)
  })
  test('pending transactions: an HTTP filter and a WebSocket subscription see them before they are mined', async () => {
    const testClient = createTestClient({ chain, mode: 'anvil', cacheTime: 0, transport: http(node.url) })
    await testClient.setAutomine(false)
    const sent: Hex[] = []
    const viaHttp = new Set<Hex>()
    const viaWs = new Set<Hex>()
    const unHttp = pub.watchPendingTransactions({ poll: true, pollingInterval: 50, onTransactions: (hs) => hs.forEach((h) => viaHttp.add(h)), onError: () => {} })
    const unWs = ws.watchPendingTransactions({ onTransactions: (hs) => hs.forEach((h) => viaWs.add(h)), onError: () => {} })
    try {
      // both watchers install asynchronously: send until each has seen one of ours
      await until(async () => {
        sent.push(await wallet.sendTransaction({ to: carol.address, value: 1n }))
        await Bun.sleep(100)
        return sent.some((h) => viaHttp.has(h)) && sent.some((h) => viaWs.has(h))
      }, 'pending transactions through both watchers')
      for (const h of sent) expect(await pub.getTransactionReceipt({ hash: h }).catch(() => null)).toBeNull()
      const status = await pub.request({ method: 'txpool_status' } as never) as { pending: Hex }
      expect(BigInt(status.pending)).toBe(BigInt(sent.length))
    } finally {
      unHttp()
      unWs()
      await testClient.mine({ blocks: 1 })
      await testClient.setAutomine(true)
    }
    for (const h of sent) expect((await pub.getTransactionReceipt({ hash: h })).status).toBe('success')
  })
})
