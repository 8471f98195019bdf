/**
 * The differential scenario: the same signed transactions, at the same timestamps, sent to two
 * nodes (Mosaic and anvil). Every transaction is signed here with explicit nonce, gas and fees,
 * so both nodes receive identical bytes and the transaction hashes agree; each is mined in its
 * own block after `evm_setNextBlockTimestamp` on both.
 */
import { encodeAbiParameters, encodeDeployData, encodeFunctionData, getContractAddress, keccak256, parseAbiParameters, type Address, type Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { DEV_PRIVATE_KEYS } from '../../src/chainspec/index.ts'
import { contracts, TOKEN_SUPPLY } from './contracts.ts'
import { CHAIN_ID, rpc, startMosaicAndAnvil, type Child } from './processes.ts'
import { until } from './wait.ts'

export const alice = privateKeyToAccount(DEV_PRIVATE_KEYS[0] as Hex)
export const bob = privateKeyToAccount(DEV_PRIVATE_KEYS[1] as Hex)
/** The EIP-7702 authority: a dev account, so both chains fund it alike. */
export const authority = privateKeyToAccount(DEV_PRIVATE_KEYS[5] as Hex)
export const stranger: Address = '0x00000000000000000000000000000000000c0ffe'

/** The first block's timestamp; each later block is 12 s after the one before. */
export const T0 = 1_800_000_000n

export interface Sent {
  label: string
  hash: Hex
}

export interface Deployed {
  token: Address
  delegate: Address
  multicall: Address
  txs: Sent[]
}

const fees = { maxFeePerGas: 5_000_000_000n, maxPriorityFeePerGas: 1_000_000_000n }

/** Sends `raw` to every node after fixing the next block's timestamp on each; waits for the receipts. */
export async function sendAll(urls: string[], raw: Hex, timestamp: bigint): Promise<Hex> {
  const hashes = await Promise.all(
    urls.map(async (url) => {
      await rpc(url, 'evm_setNextBlockTimestamp', ['0x' + timestamp.toString(16)])
      return (await rpc(url, 'eth_sendRawTransaction', [raw])) as Hex
    }),
  )
  if (new Set(hashes).size !== 1) throw new Error(`the nodes disagree on a transaction hash: ${hashes.join(' ')}`)
  const hash = hashes[0]!
  // anvil may answer before its block is mined when busy: wait for every receipt
  for (const url of urls) await until(async () => (await rpc(url, 'eth_getTransactionReceipt', [hash])) !== null, `the receipt of ${hash} at ${url}`)
  return hash
}

/** Runs the scenario on the nodes at `urls` (fresh dev chains); returns the addresses and transactions. */
export async function runScenario(urls: string[]): Promise<Deployed> {
  const C = contracts()
  const nonces = new Map<Address, number>()
  const nonce = (a: Address) => {
    const n = nonces.get(a) ?? 0
    nonces.set(a, n + 1)
    return n
  }
  const txs: Sent[] = []
  let t = T0
  const send = async (label: string, raw: Hex) => {
    txs.push({ label, hash: await sendAll(urls, raw, t) })
    t += 12n
  }
  const base = { chainId: CHAIN_ID, type: 'eip1559' as const, ...fees }

  const token = getContractAddress({ from: alice.address, nonce: 0n })
  await send('deploy token (EIP-1559 create)', await alice.signTransaction({ ...base, nonce: nonce(alice.address), gas: 1_500_000n, data: encodeDeployData({ abi: C.Token.abi, bytecode: C.Token.bytecode, args: ['Diff Token', 'DIF', TOKEN_SUPPLY] }) }))
  const call = (functionName: string, args: unknown[] = []) => encodeFunctionData({ abi: C.Token.abi, functionName, args } as never)
  await send('transfer to bob (EIP-1559)', await alice.signTransaction({ ...base, nonce: nonce(alice.address), gas: 120_000n, to: token, data: call('transfer', [bob.address, 1_000n]) }))
  await send('approve bob (EIP-2930 with an access list)', await alice.signTransaction({
    chainId: CHAIN_ID, type: 'eip2930', gasPrice: 3_000_000_000n, nonce: nonce(alice.address), gas: 120_000n, to: token, data: call('approve', [bob.address, 500n]),
    accessList: [{ address: token, storageKeys: ['0x0000000000000000000000000000000000000000000000000000000000000002'] }],
  }))
  await send('transferFrom by bob (legacy, EIP-155)', await bob.signTransaction({ chainId: CHAIN_ID, type: 'legacy', gasPrice: 2_000_000_000n, nonce: nonce(bob.address), gas: 120_000n, to: token, data: call('transferFrom', [alice.address, stranger, 200n]) }))
  await send('fail(): reverted with a reason string', await alice.signTransaction({ ...base, nonce: nonce(alice.address), gas: 60_000n, to: token, data: call('fail') }))
  await send('burn too much: reverted with a custom error', await bob.signTransaction({ ...base, nonce: nonce(bob.address), gas: 60_000n, to: token, data: call('burn', [10n ** 30n]) }))
  await send('burn: storage cleared to zero (refund)', await bob.signTransaction({ ...base, nonce: nonce(bob.address), gas: 80_000n, to: token, data: call('burn', [1_000n]) }))
  await send('plain value transfer to a new account', await alice.signTransaction({ ...base, nonce: nonce(alice.address), gas: 21_000n, to: stranger, value: 123_456_789n }))

  const delegate = getContractAddress({ from: alice.address, nonce: BigInt(nonces.get(alice.address)!) })
  await send('deploy delegate', await alice.signTransaction({ ...base, nonce: nonce(alice.address), gas: 400_000n, data: C.Delegate.bytecode }))
  const authorization = await authority.signAuthorization({ chainId: CHAIN_ID, address: delegate, nonce: 0 })
  await send('EIP-7702: sponsored authorization and a call to the authority', await alice.signTransaction({
    ...base, type: 'eip7702', nonce: nonce(alice.address), gas: 200_000n, to: authority.address, authorizationList: [authorization],
    data: encodeFunctionData({ abi: C.Delegate.abi, functionName: 'ping' }),
  }))

  const multicall = getContractAddress({ from: alice.address, nonce: BigInt(nonces.get(alice.address)!) })
  await send('deploy multicall', await alice.signTransaction({ ...base, nonce: nonce(alice.address), gas: 800_000n, data: C.Multicall.bytecode }))
  const calls = [
    { target: token, allowFailure: false, callData: call('balanceOf', [bob.address]) },
    { target: authority.address, allowFailure: false, callData: encodeFunctionData({ abi: C.Delegate.abi, functionName: 'ping' }) },
    { target: token, allowFailure: true, callData: call('fail') },
    { target: stranger, allowFailure: true, callData: '0x' as Hex },
  ]
  await send('multicall: nested calls, one reverting, one to the delegated EOA', await bob.signTransaction({
    ...base, nonce: nonce(bob.address), gas: 300_000n, to: multicall, data: encodeFunctionData({ abi: C.Multicall.abi, functionName: 'aggregate3', args: [calls] }),
  }))
  return { token, delegate, multicall, txs }
}

/** The storage slot of `mapping(address => ...)` at `slot` for `key` (Solidity layout). */
export function mappingSlot(key: Address, slot: bigint): Hex {
  return keccak256(encodeAbiParameters(parseAbiParameters('address, uint256'), [key, slot]))
}

/** Mosaic and a matching anvil, the scenario run on both. */
export async function startScenario(): Promise<{ mosaic: Child; anvil: Child; d: Deployed }> {
  const [mosaic, anvil] = await startMosaicAndAnvil()
  return { mosaic, anvil, d: await runScenario([mosaic.url, anvil.url]) }
}
