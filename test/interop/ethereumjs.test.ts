/**
 * Interoperability with a second execution client, @ethereumjs/client 0.10.5 (installed by
 * `make deps` into test/interop/ethereumjs-client), on loopback, on Cancun genesis files:
 *
 * 1. Mosaic syncs from it: `mosaic cl-mock` drives ethereumjs (alone, `--isSingleNode`) to
 *    build a chain with transfers sent to its RPC; an empty node-profile Mosaic adds it as a peer,
 *    is named the head by engine_forkchoiceUpdatedV3 (SYNCING), fetches headers and bodies over
 *    eth/68 and reaches the same head hash, state root and balances; eth_syncing false after.
 *    Then a transfer sent to ethereumjs reaches Mosaic's pool (eth/68 gossip), and the blocks
 *    ethereumjs builds next are VALID on Mosaic's Engine API (`cl-mock --follow`).
 * 2. It syncs from Mosaic: cl-mock drives a node-profile Mosaic to build a chain with
 *    transfers and blob transactions; an empty ethereumjs finds Mosaic through discv4 (Mosaic its
 *    bootnode) and dials it, is given the head by engine_newPayloadV3 (which is what starts its
 *    sync) and forkchoiceUpdatedV3, and reaches Mosaic's head. (In 1 Mosaic dials out.)
 * 3. A transfer sent to Mosaic reaches ethereumjs's pool; the payloads Mosaic builds next
 *    (blob transactions among them) are accepted by ethereumjs's Engine API (`cl-mock --follow`
 *    Mosaic's RPC, feeding ethereumjs): same head and state root.
 *
 * Skipped, with a message, only when the client is not installed. `INTEROP_BLOCKS` changes the
 * chain length (default 256); `INTEROP_LOG_DIR=DIR` keeps every process's log there (`ETHEREUMJS_LOG_LEVEL=debug` for more of ethereumjs's).
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { DEV_PRIVATE_KEYS } from '../../src/chainspec/index.ts'
import { bytesToHex, hexToBytes, type Hex } from '../../src/primitives/index.ts'
import { sampleBlobTx } from '../../src/txpool/index.ts'
import { decodeBlock } from '../../src/types/index.ts'
import { blockToPayload } from '../../src/cli/commands/cl-mock/follow.ts'
import { CHAIN_ID, transfer } from '../engine/helpers.ts'
import { clMock } from '../engine-cli/nodes.ts'
import { forkchoice, removeDirs, rpc, startNode, tmpDir, until, ZERO, type NodeProc } from '../sync/nodes.ts'
import { ethereumjsInstalled, freePort, interopGenesis, startEthereumjs, writeGenesis, type EthereumjsNode } from './ethereumjs.ts'

const BLOCKS = Number(process.env.INTEROP_BLOCKS ?? 256)
const ROUNDS = 4
const TXS_PER_ROUND = 5
/** Blocks added after the sync, fed through the Engine API by cl-mock --follow. */
const FOLLOWED = 16

const installed = ethereumjsInstalled()
if (!installed) console.warn('test/interop/ethereumjs.test.ts skipped: @ethereumjs/client is not installed in test/interop/ethereumjs-client (run `make deps`), or node is not on PATH')

type Head = { hash: Hex; number: Hex; stateRoot: Hex; transactions: unknown[]; blobGasUsed: Hex }
const head = (url: string, tag = 'latest') => rpc(url, 'eth_getBlockByNumber', [tag, false]) as Promise<Head>
const hexN = (n: number) => `0x${n.toString(16)}`

const procs: { kill(): Promise<unknown> }[] = []
/** Every process by name, for `INTEROP_LOG_DIR`. */
const named: Record<string, { log(): string }> = {}
let work: string
let secretFile: string

beforeAll(() => {
  if (!installed) return
  work = tmpDir('mosaic-interop-')
  secretFile = join(work, 'jwt.hex')
  writeFileSync(secretFile, '42'.repeat(32))
})

afterAll(async () => {
  const logDir = process.env.INTEROP_LOG_DIR
  if (logDir) for (const [name, p] of Object.entries(named)) writeFileSync(join(logDir, `${name}.log`), p.log())
  // SIGTERM (ethereumjs takes about 8 s to stop cleanly), SIGKILL 10 s later
  await Promise.all(procs.splice(0).map((p) => p.kill()))
  removeDirs()
}, 30_000)

async function runClMock(args: string[], what: string): Promise<string> {
  const { done } = clMock(args)
  const r = await done
  if (r.code !== 0) throw new Error(`cl-mock ${what} exited ${r.code}:\n${r.log}`)
  return r.log
}

/** The next nonces of a chain's two senders: the funded account's transfers, dev account 1's blob transactions. */
interface Nonces {
  transfer: bigint
  blob: bigint
}
const BLOB_KEY = hexToBytes(DEV_PRIVATE_KEYS[1] as Hex)
/** EIP-4844: the gas of one blob. */
const BLOB_GAS = 131_072n

/**
 * Builds `blocks` blocks on an engine in `ROUNDS` runs of cl-mock (`--blobs`: each payload's
 * bundle checked against its blob transactions), sending `TXS_PER_ROUND` transfers and, with
 * `blobs`, one blob transaction (a real KZG sidecar) to `rpcUrl` before each; returns the
 * recipients and how many transactions were sent. (ethereumjs 0.10.5's eth_sendRawTransaction
 * fails every blob transaction with "Missing parameter value for blobGasPerBlob", so its own
 * chains carry none.)
 */
async function buildChain(o: { engineUrl: string; secretFile: string; rpcUrl: string; chainFile?: string; blocks: number; nonces: Nonces; tag: number; blobs: boolean }): Promise<{ sent: number; recipients: Hex[] }> {
  const recipients: Hex[] = []
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < TXS_PER_ROUND; i++) {
      const to = `0x${(o.tag * 1000 + round * TXS_PER_ROUND + i + 1).toString(16).padStart(40, '0')}` as Hex
      recipients.push(to)
      await rpc(o.rpcUrl, 'eth_sendRawTransaction', [transfer(o.nonces.transfer++, { to, value: BigInt(round + 1) * 10n ** 15n })])
    }
    if (o.blobs) {
      const blob = sampleBlobTx({ chainId: CHAIN_ID, nonce: o.nonces.blob++, key: BLOB_KEY, seeds: [o.tag * 10 + round] })
      await rpc(o.rpcUrl, 'eth_sendRawTransaction', [bytesToHex(blob.raw)])
    }
    const n = Math.floor(o.blocks / ROUNDS) + (round === ROUNDS - 1 ? o.blocks % ROUNDS : 0)
    await runClMock(['--engine', o.engineUrl, '--jwtsecret', o.secretFile, '--slot-time', '0', '--blocks', String(n), '--blobs', ...(o.chainFile ? ['--chain', o.chainFile] : [])], `on ${o.engineUrl}`)
  }
  return { sent: ROUNDS * (TXS_PER_ROUND + (o.blobs ? 1 : 0)), recipients }
}

/** Sends a transfer to `from`'s RPC and waits until `to`'s pool holds it (eth/68 announcement, then GetPooledTransactions). */
async function gossiped(from: string, to: string, nonce: bigint, what: string, log: () => string): Promise<void> {
  const raw = transfer(nonce, { to: `0x${'0d'.repeat(20)}` })
  const hash = (await rpc(from, 'eth_sendRawTransaction', [raw])) as Hex
  await until(async () => JSON.stringify(await rpc(to, 'txpool_content')).includes(hash), 20_000, `${what} gets ${hash}\n${log().slice(-4000)}`)
}

/** The transactions in blocks 1..upTo, and the blob gas they used. */
async function contents(url: string, upTo: number): Promise<{ txs: number; blobGas: bigint }> {
  let txs = 0
  let blobGas = 0n
  for (let b = 1; b <= upTo; b++) {
    const block = await head(url, hexN(b))
    txs += block.transactions.length
    blobGas += BigInt(block.blobGasUsed)
  }
  return { txs, blobGas }
}

async function sameBalances(a: string, b: string, accounts: Hex[]): Promise<void> {
  for (const acct of accounts) expect(await rpc(b, 'eth_getBalance', [acct, 'latest'])).toBe(await rpc(a, 'eth_getBalance', [acct, 'latest']))
}

describe.skipIf(!installed)('@ethereumjs/client 0.10.5', () => {
  let ejsA: EthereumjsNode
  let mosaicA: NodeProc
  let genesisA: string
  const noncesA: Nonces = { transfer: 0n, blob: 0n }

  test(`Mosaic syncs a ${BLOCKS}-block chain that ethereumjs built: same head, state root and balances; eth_syncing false after`, async () => {
    const t0 = performance.now()
    mkdirSync(join(work, 'a'))
    // ethereumjs builds this chain alone: a second per block from a genesis that far back
    genesisA = writeGenesis(work, 'interop-a', interopGenesis(Math.floor(Date.now() / 1000) - BLOCKS - FOLLOWED - 60))
    ejsA = await startEthereumjs({ genesisFile: genesisA, dataDir: join(work, 'a', 'ejs'), secretFile, singleNode: true })
    procs.push(ejsA)
    named.ethereumjsA = ejsA
    const built = await buildChain({ engineUrl: ejsA.engineUrl, secretFile, rpcUrl: ejsA.rpcUrl, chainFile: genesisA, blocks: BLOCKS, nonces: noncesA, tag: 1, blobs: false })
    const target = await head(ejsA.rpcUrl)
    expect(Number(target.number)).toBe(BLOCKS)
    const made = await contents(ejsA.rpcUrl, BLOCKS)
    expect(made).toEqual({ txs: built.sent, blobGas: 0n })
    const t1 = performance.now()

    mosaicA = await startNode(join(work, 'a', 'mosaic'), [], { chain: genesisA })
    procs.push(mosaicA)
    named.mosaicA = mosaicA
    expect((await head(mosaicA.rpcUrl, '0x0')).hash).toBe((await head(ejsA.rpcUrl, '0x0')).hash)
    expect(await rpc(mosaicA.rpcUrl, 'admin_addPeer', [ejsA.enode])).toBe(true)
    await until(async () => Number(await rpc(mosaicA.rpcUrl, 'net_peerCount')) >= 1, 15_000, `Mosaic connects to ethereumjs\n${mosaicA.log()}`)
    const peer = (await rpc(mosaicA.rpcUrl, 'admin_peers'))[0]
    expect(peer.name).toStartWith('EthereumJS/0.10.5')
    expect(peer.protocols.eth.version).toBe(68)

    const t2 = performance.now()
    expect(await forkchoice(mosaicA, target.hash)).toBe('SYNCING')
    await until(async () => (await rpc(mosaicA.rpcUrl, 'eth_blockNumber')) === target.number && (await rpc(mosaicA.rpcUrl, 'eth_syncing')) === false, 60_000, `Mosaic reaches block ${BLOCKS}\n${mosaicA.log()}`)
    const t3 = performance.now()
    const got = await head(mosaicA.rpcUrl)
    expect([got.hash, got.stateRoot]).toEqual([target.hash, target.stateRoot])
    expect(await contents(mosaicA.rpcUrl, BLOCKS)).toEqual(made)
    await sameBalances(ejsA.rpcUrl, mosaicA.rpcUrl, built.recipients)
    expect(await forkchoice(mosaicA, target.hash)).toBe('VALID')
    await until(async () => mosaicA.log().includes('Sync complete'), 5_000, 'the Sync complete line') // the log comes in bursts
    console.log(
      `ethereumjs built ${BLOCKS} blocks (${built.sent} transfers) in ${((t1 - t0) / 1000).toFixed(1)} s; Mosaic synced them in ${((t3 - t2) / 1000).toFixed(2)} s`,
    )
  }, 150_000)

  test(`a transaction sent to ethereumjs reaches Mosaic's pool over eth/68; the blocks ethereumjs builds next are VALID on Mosaic's Engine API (cl-mock --follow ethereumjs's RPC)`, async () => {
    expect(mosaicA).toBeDefined()
    await gossiped(ejsA.rpcUrl, mosaicA.rpcUrl, noncesA.transfer++, "Mosaic's pool", mosaicA.log)
    const more = await buildChain({ engineUrl: ejsA.engineUrl, secretFile, rpcUrl: ejsA.rpcUrl, chainFile: genesisA, blocks: FOLLOWED, nonces: noncesA, tag: 2, blobs: false })
    const target = await head(ejsA.rpcUrl)
    const secret = join(mosaicA.datadir, 'jwt.hex')
    await runClMock(['--follow', ejsA.rpcUrl, '--engine', mosaicA.engineUrl, '--jwtsecret', secret, '--blocks', String(FOLLOWED)], 'following ethereumjs')
    const got = await head(mosaicA.rpcUrl)
    expect([got.hash, got.stateRoot]).toEqual([target.hash, target.stateRoot])
    await sameBalances(ejsA.rpcUrl, mosaicA.rpcUrl, more.recipients)
  }, 90_000)

  let mosaicB: NodeProc
  let ejsB: EthereumjsNode
  const noncesB: Nonces = { transfer: 0n, blob: 0n }

  test(`ethereumjs syncs a ${BLOCKS}-block chain that Mosaic built, from Mosaic over eth/68`, async () => {
    mkdirSync(join(work, 'b'))
    // ahead of the clock, for ethereumjs's guess of a peer's head (see ethereumjs.ts)
    const genesisB = writeGenesis(work, 'interop-b', interopGenesis(Math.floor(Date.now() / 1000) + 60))
    // discovery on (on loopback), one port for TCP and UDP: ethereumjs takes a bootnode's TCP port as its UDP port
    mosaicB = await startNode(join(work, 'b', 'mosaic'), ['--nodiscover', 'false', '--port', String(await freePort())], { chain: genesisB })
    // it finds Mosaic through discv4 and dials it (Mosaic's side of the handshake: inbound)
    const starting = startEthereumjs({ genesisFile: genesisB, dataDir: join(work, 'b', 'ejs'), secretFile, bootnodes: [mosaicB.enode] })
    procs.push(mosaicB)
    named.mosaicB = mosaicB
    const t0 = performance.now()
    const built = await buildChain({ engineUrl: mosaicB.engineUrl, secretFile: join(mosaicB.datadir, 'jwt.hex'), rpcUrl: mosaicB.rpcUrl, blocks: BLOCKS, nonces: noncesB, tag: 3, blobs: true })
    const t1 = performance.now()
    const target = await head(mosaicB.rpcUrl)
    expect(Number(target.number)).toBe(BLOCKS)
    const made = await contents(mosaicB.rpcUrl, BLOCKS)
    expect(made).toEqual({ txs: built.sent, blobGas: BigInt(ROUNDS) * BLOB_GAS })
    ejsB = await starting
    procs.push(ejsB)
    named.ethereumjsB = ejsB
    expect((await head(ejsB.rpcUrl, '0x0')).hash).toBe((await head(mosaicB.rpcUrl, '0x0')).hash)

    await until(async () => Number(await rpc(ejsB.rpcUrl, 'net_peerCount')) >= 1, 15_000, `ethereumjs finds and dials Mosaic\n${ejsB.log()}\n${mosaicB.log()}`)
    const peer = (await rpc(mosaicB.rpcUrl, 'admin_peers'))[0]
    expect([peer.name.startsWith('EthereumJS/0.10.5'), peer.network.inbound, peer.protocols.eth.version]).toEqual([true, true, 68])
    const t2 = performance.now()
    const raw = (await rpc(mosaicB.rpcUrl, 'debug_getRawBlock', ['latest'])) as Hex
    const payload = blockToPayload(decodeBlock(hexToBytes(raw)), 'the head')
    const engine = ejsB.engine()
    const status = await engine.call<{ status: string }>(`engine_newPayloadV${payload.newPayload}`, payload.params)
    expect(['ACCEPTED', 'SYNCING']).toContain(status.status)
    const fcu = async () => (await engine.call<{ payloadStatus: { status: string } }>('engine_forkchoiceUpdatedV3', [{ headBlockHash: target.hash, safeBlockHash: ZERO, finalizedBlockHash: ZERO }, null])).payloadStatus.status
    let last = await fcu()
    // ethereumjs's backfill can stall for good when its peer drops mid-way on a loaded machine;
    // the head's newPayload again restarts it (as a consensus client resends the head each slot)
    let nudged = performance.now()
    await until(
      async () => {
        await Bun.sleep(500)
        last = await fcu()
        if (last !== 'VALID' && performance.now() - nudged > 15_000) {
          nudged = performance.now()
          await engine.call(`engine_newPayloadV${payload.newPayload}`, payload.params)
        }
        return last === 'VALID'
      },
      120_000,
      `ethereumjs reaches block ${BLOCKS} (last forkchoiceUpdated: ${last})\n${ejsB.log().slice(-6000)}`,
    )
    const t3 = performance.now()
    const got = await head(ejsB.rpcUrl)
    expect([got.hash, got.stateRoot]).toEqual([target.hash, target.stateRoot])
    expect(await contents(ejsB.rpcUrl, BLOCKS)).toEqual(made)
    await sameBalances(mosaicB.rpcUrl, ejsB.rpcUrl, built.recipients)
    console.log(`Mosaic built ${BLOCKS} blocks (${built.sent} transactions, ${ROUNDS} of them blob-carrying) in ${((t1 - t0) / 1000).toFixed(1)} s; ethereumjs synced them from Mosaic in ${((t3 - t2) / 1000).toFixed(1)} s`)
  }, 180_000)

  test(`a transaction sent to Mosaic reaches ethereumjs's pool over eth/68; the payloads Mosaic builds next are VALID on ethereumjs's Engine API (cl-mock --follow Mosaic's RPC)`, async () => {
    expect(ejsB).toBeDefined()
    await gossiped(mosaicB.rpcUrl, ejsB.rpcUrl, noncesB.transfer++, "ethereumjs's pool", ejsB.log)
    const more = await buildChain({ engineUrl: mosaicB.engineUrl, secretFile: join(mosaicB.datadir, 'jwt.hex'), rpcUrl: mosaicB.rpcUrl, blocks: FOLLOWED, nonces: noncesB, tag: 4, blobs: true })
    const target = await head(mosaicB.rpcUrl)
    await runClMock(['--follow', mosaicB.rpcUrl, '--engine', ejsB.engineUrl, '--jwtsecret', secretFile, '--blocks', String(FOLLOWED)], 'following Mosaic')
    const got = await head(ejsB.rpcUrl)
    expect([got.hash, got.stateRoot]).toEqual([target.hash, target.stateRoot])
    await sameBalances(mosaicB.rpcUrl, ejsB.rpcUrl, more.recipients)
  }, 90_000)
})
