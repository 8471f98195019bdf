/**
 * ethers v6, unchanged, against Mosaic's execution profile (a child process): the solc-compiled
 * ERC-20 through ContractFactory and Contract; events through `contract.on` over HTTP (ethers
 * installs an eth_newFilter and polls eth_getFilterChanges) and over a WebSocketProvider
 * (eth_subscribe); gas estimates; CALL_EXCEPTION errors with the reason string and the decoded
 * custom error; legacy, EIP-2930, EIP-1559 and EIP-7702 transactions signed by a Wallet and sent
 * raw; blocks, receipts, logs, the provider's automatic JSON-RPC batches; the unlocked
 * JsonRpcSigner; snapshot and revert through provider.send.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import {
  Contract,
  ContractFactory,
  getAddress,
  isCallException,
  JsonRpcProvider,
  parseEther,
  parseUnits,
  Transaction,
  Wallet,
  WebSocketProvider,
  ZeroAddress,
  type ContractEventPayload,
  type ContractTransactionResponse,
  type JsonRpcPayload,
  type JsonRpcResult,
  type Log,
} from 'ethers'
import { DEV_ACCOUNTS, DEV_PRIVATE_KEYS } from '../../src/chainspec/index.ts'
import { contracts, REVERT_REASON, TOKEN_SUPPLY } from './contracts.ts'
import { CHAIN_ID, rpc, startMosaic, type Child } from './processes.ts'
import { until, within } from './wait.ts'

setDefaultTimeout(60_000)

/** The provider, recording the payloads it sends (to see its batches). */
class RecordingProvider extends JsonRpcProvider {
  readonly sent: (JsonRpcPayload | JsonRpcPayload[])[] = []
  override async _send(payload: JsonRpcPayload | JsonRpcPayload[]): Promise<JsonRpcResult[]> {
    this.sent.push(payload)
    return super._send(payload)
  }
}

let node: Child
let provider: RecordingProvider
let wsProvider: WebSocketProvider
let alice: Wallet
let bob: Wallet
const carol = DEV_ACCOUNTS[2]
let token: Contract
let C: ReturnType<typeof contracts>

const network = { chainId: CHAIN_ID, name: 'mosaic-dev' }
const wait = async (p: Promise<ContractTransactionResponse>) => (await (await p).wait())!

beforeAll(async () => {
  C = contracts()
  node = await startMosaic()
  provider = new RecordingProvider(node.url, network, { staticNetwork: true, pollingInterval: 50, cacheTimeout: -1 })
  wsProvider = new WebSocketProvider(node.wsUrl, network, { staticNetwork: true })
  alice = new Wallet(DEV_PRIVATE_KEYS[0], provider)
  bob = new Wallet(DEV_PRIVATE_KEYS[1], provider)
})

afterAll(async () => {
  try {
    provider?.destroy()
    await wsProvider?.destroy()
  } finally {
    await node?.stop()
  }
})

describe('ethers against mosaic', () => {
  test('network, balances, the unlocked signer list', async () => {
    expect((await provider.getNetwork()).chainId).toBe(BigInt(CHAIN_ID))
    expect(await provider.getBalance(DEV_ACCOUNTS[9])).toBe(parseEther('10000'))
    const signers = await provider.listAccounts()
    expect(signers.map((s) => s.address)).toEqual([...DEV_ACCOUNTS])
  })

  test('ContractFactory deploy: receipt fields and the constructor event', async () => {
    const factory = new ContractFactory(C.Token.abi as never, C.Token.bytecode, alice)
    const c = await factory.deploy('Mosaic Token', 'MOS', TOKEN_SUPPLY)
    await c.waitForDeployment()
    token = c as Contract
    const r = (await c.deploymentTransaction()!.wait())!
    expect(r.status).toBe(1)
    expect(r.type).toBe(2)
    expect(r.contractAddress).toBe(await c.getAddress())
    expect(r.to).toBeNull()
    expect(r.from).toBe(alice.address)
    expect(r.index).toBe(0)
    expect(r.gasUsed).toBeGreaterThan(21_000n)
    expect(r.cumulativeGasUsed).toBe(r.gasUsed)
    const block = (await provider.getBlock(r.blockNumber))!
    expect(block.hash).toBe(r.blockHash)
    expect(r.gasPrice).toBeGreaterThanOrEqual(block.baseFeePerGas!)
    expect(r.logs).toHaveLength(1)
    const ev = token.interface.parseLog(r.logs[0]!)!
    expect(ev.name).toBe('Transfer')
    expect([...ev.args]).toEqual([ZeroAddress, alice.address, TOKEN_SUPPLY])
    expect(await token.name()).toBe('Mosaic Token')
    expect(await token.decimals()).toBe(18n)
    expect(await token.balanceOf(alice.address)).toBe(TOKEN_SUPPLY)
  })

  test('estimateGas, then a transfer', async () => {
    const est = await token.transfer.estimateGas(bob.address, 500n)
    expect(est).toBeGreaterThan(21_000n)
    const r = await wait(token.transfer(bob.address, 500n, { gasLimit: est }))
    expect(r.status).toBe(1)
    expect(r.gasUsed).toBeLessThanOrEqual(est)
    expect(est - r.gasUsed).toBeLessThan(10_000n)
    expect(await token.balanceOf(bob.address)).toBe(500n)
  })

  test('CALL_EXCEPTION carries the reason string (staticCall, estimateGas, send)', async () => {
    // fail() is pure: calling it is a staticCall; .send() estimates gas first, and the estimate fails
    for (const attempt of [() => token.fail.staticCall(), () => token.fail.estimateGas(), () => token.fail.send()]) {
      const err = await attempt().catch((e) => e)
      expect(isCallException(err)).toBe(true)
      expect(err.reason).toBe(REVERT_REASON)
      expect(err.revert?.name).toBe('Error')
      expect(err.revert?.args).toEqual([REVERT_REASON])
    }
  })

  test('CALL_EXCEPTION decodes the custom error and its arguments', async () => {
    const err = await (token.connect(new Wallet(DEV_PRIVATE_KEYS[3], provider)) as Contract).burn.staticCall(9n).catch((e) => e)
    expect(isCallException(err)).toBe(true)
    expect(err.revert?.name).toBe('InsufficientBalance')
    expect([...err.revert!.args]).toEqual([DEV_ACCOUNTS[3], 0n, 9n])
    expect(err.data).toMatch(/^0x[0-9a-f]{8}/)
  })

  test('a mined revert: status 0, and wait() throws with the receipt', async () => {
    const err = await wait(token.fail.send({ gasLimit: 100_000n })).catch((e) => e)
    expect(isCallException(err)).toBe(true)
    expect(err.receipt.status).toBe(0)
    expect(err.receipt.logs).toEqual([])
  })

  test('contract.on over HTTP: eth_newFilter then eth_getFilterChanges, indexed-argument filter', async () => {
    const got: bigint[] = []
    const filter = token.filters.Transfer!(null, carol)
    // with a prepared filter ethers passes only the payload
    const listener = (ev: ContractEventPayload) => got.push(ev.args[2] as bigint)
    await token.on(filter, listener)
    try {
      // a first eth_getFilterChanges means the eth_newFilter answer came back: the filter is installed
      await until(() => provider.sent.flat().some((p) => p.method === 'eth_getFilterChanges'), 'the filter to be installed')
      await wait(token.transfer(bob.address, 1n)) // not to carol: filtered out by the node
      await wait(token.transfer(carol, 11n))
      await wait(token.transfer(carol, 12n))
      // ethers polls the filter on each new block it sees; its block poller may start after the
      // transfers were mined, so blocks keep coming (as on a live chain) until both arrived
      await until(async () => {
        if (got.length >= 2) return true
        await rpc(node.url, 'evm_mine')
        await Bun.sleep(200)
        return false
      }, 'two Transfer events through the HTTP filter')
    } finally {
      await token.off(filter, listener)
    }
    expect(got).toEqual([11n, 12n])
    expect(provider.sent.flat().some((p) => p.method === 'eth_newFilter')).toBe(true)
  })

  test('WebSocketProvider: contract.on through eth_subscribe logs, and block events', async () => {
    const wsToken = token.connect(wsProvider) as Contract
    const got: { to: string; value: bigint; log: Log }[] = []
    const blocks: number[] = []
    const filter = wsToken.filters.Transfer!(null, carol)
    await wsToken.on(filter, (ev: ContractEventPayload) => got.push({ to: ev.args[1], value: ev.args[2], log: ev.log }))
    await wsProvider.on('block', (n: number) => blocks.push(n))
    try {
      let v = 200n
      await within(
        (async () => {
          while (got.length === 0 || blocks.length === 0) {
            await wait(token.transfer(carol, v++))
            await Bun.sleep(100)
          }
        })(),
        'a log and a block over the WebSocket',
      )
    } finally {
      await wsToken.removeAllListeners()
      await wsProvider.removeAllListeners()
    }
    expect(got[0]!.to).toBe(carol)
    expect(got[0]!.value).toBeGreaterThanOrEqual(200n)
    expect(getAddress(got[0]!.log.address)).toBe(await token.getAddress())
    expect(blocks[0]).toBeGreaterThan(0)
    expect(await wsProvider.getBlockNumber()).toBe(await provider.getBlockNumber())
  })

  test('signed legacy, EIP-2930 and EIP-1559 transactions sent raw', async () => {
    const nonce = await provider.getTransactionCount(bob.address)
    const common = { to: carol, value: 777n, gasLimit: 21_000n, chainId: CHAIN_ID }
    const signed = [
      await bob.signTransaction({ ...common, type: 0, nonce, gasPrice: parseUnits('15', 'gwei') }),
      await bob.signTransaction({ ...common, type: 1, nonce: nonce + 1, gasPrice: parseUnits('15', 'gwei'), accessList: [{ address: DEV_ACCOUNTS[5], storageKeys: [] }], gasLimit: 23_400n }),
      await bob.signTransaction({ ...common, type: 2, nonce: nonce + 2, maxFeePerGas: parseUnits('15', 'gwei'), maxPriorityFeePerGas: parseUnits('1', 'gwei') }),
    ]
    const before = await provider.getBalance(carol)
    for (const [i, raw] of signed.entries()) {
      const sent = await provider.broadcastTransaction(raw)
      expect(sent.hash).toBe(Transaction.from(raw).hash!)
      const r = (await sent.wait())!
      expect(r.status).toBe(1)
      expect(r.type).toBe(i)
      const tx = (await provider.getTransaction(sent.hash))!
      expect(tx.type).toBe(i)
      expect(tx.nonce).toBe(nonce + i)
      expect(tx.from).toBe(bob.address)
      expect(tx.chainId).toBe(BigInt(CHAIN_ID))
      expect(tx.signature.r).toBe(Transaction.from(raw).signature!.r)
      if (i === 1) expect(tx.accessList).toEqual([{ address: DEV_ACCOUNTS[5], storageKeys: [] }])
    }
    expect(await provider.getBalance(carol)).toBe(before + 3n * 777n)
  })

  test('EIP-7702 signed by a Wallet: delegated code 0xef0100||delegate, the EOA runs it', async () => {
    const delegate = await new ContractFactory(C.Delegate.abi as never, C.Delegate.bytecode, alice).deploy()
    await delegate.waitForDeployment()
    const delegateAddr = await delegate.getAddress()
    const authority = Wallet.createRandom(provider)
    const auth = await authority.authorize({ address: delegateAddr, nonce: 0, chainId: CHAIN_ID })
    const asDelegate = new Contract(authority.address, C.Delegate.abi as never, alice)
    const data = asDelegate.interface.encodeFunctionData('ping')
    const tx = await alice.sendTransaction({ type: 4, to: authority.address, data, authorizationList: [auth] })
    expect(tx.type).toBe(4)
    const r = (await tx.wait())!
    expect(r.status).toBe(1)
    expect(r.type).toBe(4)
    expect(await provider.getCode(authority.address)).toBe('0xef0100' + delegateAddr.slice(2).toLowerCase())
    const ev = asDelegate.interface.parseLog(r.logs[0]!)!
    expect(ev.name).toBe('Pinged')
    expect([...ev.args]).toEqual([authority.address, alice.address, 1n])
    expect(await asDelegate.count()).toBe(1n)
    expect(await (delegate as Contract).count()).toBe(0n)
    const fetched = (await provider.getTransaction(tx.hash))!
    expect(fetched.authorizationList).toHaveLength(1)
    expect(fetched.authorizationList![0]!.address).toBe(delegateAddr)
  })

  test('blocks with transactions, receipts, getLogs with topics', async () => {
    const head = await provider.getBlockNumber()
    const block = (await provider.getBlock(head, true))!
    expect(block.number).toBe(head)
    expect(block.transactions).toHaveLength(1)
    expect(block.prefetchedTransactions[0]!.hash).toBe(block.transactions[0]!)
    expect(block.gasLimit).toBe(30_000_000n)
    expect(block.baseFeePerGas).toBeGreaterThan(0n)
    expect(block.blobGasUsed).toBe(0n)
    expect(block.parentBeaconBlockRoot).toMatch(/^0x[0-9a-f]{64}$/)
    const r = (await provider.getTransactionReceipt(block.transactions[0]!))!
    expect(r.blockHash).toBe(block.hash!)
    expect(r.blockNumber).toBe(head)

    const addr = await token.getAddress()
    const topic = token.interface.getEvent('Transfer')!.topicHash
    const logs = await provider.getLogs({ address: addr, topics: [topic, null, '0x' + carol.slice(2).toLowerCase().padStart(64, '0')], fromBlock: 0, toBlock: 'latest' })
    expect(logs.length).toBeGreaterThanOrEqual(3)
    for (const l of logs) {
      expect(l.address).toBe(addr)
      expect(l.topics[2]).toBe('0x' + carol.slice(2).toLowerCase().padStart(64, '0'))
      const rc = (await provider.getTransactionReceipt(l.transactionHash))!
      expect(rc.logs.some((x) => x.index === l.index)).toBe(true)
    }
    const events = await token.queryFilter(token.filters.Transfer!(ZeroAddress), 0, 'latest')
    expect(events).toHaveLength(1)
  })

  test('concurrent calls go out as one JSON-RPC batch and answer in order', async () => {
    const batched = new RecordingProvider(node.url, network, { staticNetwork: true, batchStallTime: 50 })
    try {
      const t = token.connect(batched) as Contract
      const who = [alice.address, bob.address, carol, DEV_ACCOUNTS[7]]
      const balances = await Promise.all(who.map((a) => t.balanceOf(a) as Promise<bigint>))
      const batch = batched.sent.find((p) => Array.isArray(p) && p.length === who.length) as JsonRpcPayload[] | undefined
      expect(batch?.every((p) => p.method === 'eth_call')).toBe(true)
      expect(balances[3]).toBe(0n)
      for (const [i, a] of who.entries()) expect(balances[i]).toBe(await token.balanceOf(a))
    } finally {
      batched.destroy()
    }
  })

  test('the unlocked JsonRpcSigner sends through eth_sendTransaction', async () => {
    const signer = await provider.getSigner(DEV_ACCOUNTS[4])
    const tx = await signer.sendTransaction({ to: carol, value: 5n })
    const r = (await tx.wait())!
    expect(r.status).toBe(1)
    expect(r.from).toBe(DEV_ACCOUNTS[4])
    const t = token.connect(signer) as Contract
    const err = await t.fail.send().catch((e: unknown) => e)
    expect(isCallException(err)).toBe(true)
    expect((err as { reason: string }).reason).toBe(REVERT_REASON)
  })

  test('evm_snapshot and evm_revert through provider.send', async () => {
    const id = await provider.send('evm_snapshot', [])
    const head = await provider.getBlockNumber()
    await wait(token.transfer(bob.address, 1_000_000n))
    expect(await token.balanceOf(bob.address)).toBeGreaterThanOrEqual(1_000_000n)
    expect(await provider.send('evm_revert', [id])).toBe(true)
    expect(await provider.getBlockNumber()).toBe(head)
    expect(await token.balanceOf(bob.address)).toBeLessThan(1_000_000n)
    // a Wallet keeps working after the revert (its nonce comes from the node)
    expect((await wait(token.transfer(bob.address, 1n))).status).toBe(1)
  })
})
