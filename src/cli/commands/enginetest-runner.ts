/**
 * Runs `blockchain_test_engine` fixtures (EEST) through the Engine API of an in-process node,
 * as EEST's `consume engine` does against a client: per test, a fresh in-memory chain from the
 * genesis header and `pre` (blocktest-runner.ts's set-up) with `createEngine` over it, then
 *
 * 1. forkchoiceUpdated to the genesis block: VALID
 * 2. per payload, engine_newPayloadVn with its params: a JSON-RPC error with `errorCode` when
 *    one is given; else INVALID when `validationError` is set; else VALID, followed by
 *    forkchoiceUpdatedVn to it (VALID)
 * 3. the head must be `lastblockhash` and the state `postState` (blocktest-runner's compareEnd).
 *
 * With `fromBlocktest`, the fixture is a BlockchainTest converted by enginetest-convert.ts; a
 * block it expects to fail may then also be refused as INVALID_BLOCK_HASH or by a JSON-RPC
 * error (a malformed header field), or not reach the engine at all (its RLP does not decode).
 *
 * Consumers: `mosaic enginetest`, test/conformance/enginetest.test.ts.
 */
import { readFileSync } from 'node:fs'
import type { Blockchain } from '../../blockchain/index.ts'
import { createEngine, type Engine } from '../../engine/index.ts'
import { bytesToHex, hexToBigint, hexToBytes, ZERO_HASH, type Hex } from '../../primitives/index.ts'
import { RpcError } from '../../rpc/index.ts'
import { decodeBlock, headerHash, isForkAtLeast, parseForkName, type ForkName, type Header } from '../../types/index.ts'
import { compareEnd, openFixtureChain } from './blocktest-runner.ts'
import { fromBlockTest, type EngineFixture, type EnginePayloadCase, type RequestsOf } from './enginetest-convert.ts'

export interface EngineTestResult {
  name: string
  network: string
  pass: boolean
  /** Payloads answered as expected. */
  payloads: number
  error?: string
}

type J = Record<string, any>

export interface EngineTestOptions {
  run?: RegExp
  /** The file holds BlockchainTests, converted on the fly. */
  fromBlocktests?: boolean
}

/** A fixture's header JSON (`genesisBlockHeader`: ethereum/tests and EEST field names). */
export function headerFromJson(j: J): Header {
  const b = (k: string) => hexToBytes(j[k] as Hex)
  const n = (k: string) => hexToBigint(j[k] as Hex)
  const h: Header = {
    parentHash: b('parentHash'),
    ommersHash: b('uncleHash'),
    coinbase: b('coinbase'),
    stateRoot: b('stateRoot'),
    transactionsRoot: b('transactionsTrie'),
    receiptsRoot: b('receiptTrie'),
    logsBloom: b('bloom'),
    difficulty: n('difficulty'),
    number: n('number'),
    gasLimit: n('gasLimit'),
    gasUsed: n('gasUsed'),
    timestamp: n('timestamp'),
    extraData: b('extraData'),
    mixHash: b('mixHash'),
    nonce: b('nonce'),
  }
  if (j.baseFeePerGas !== undefined) h.baseFeePerGas = n('baseFeePerGas')
  if (j.withdrawalsRoot !== undefined) h.withdrawalsRoot = b('withdrawalsRoot')
  if (j.blobGasUsed !== undefined) h.blobGasUsed = n('blobGasUsed')
  if (j.excessBlobGas !== undefined) h.excessBlobGas = n('excessBlobGas')
  if (j.parentBeaconBlockRoot !== undefined) h.parentBeaconBlockRoot = b('parentBeaconBlockRoot')
  if (j.requestsHash !== undefined) h.requestsHash = b('requestsHash')
  return h
}

/** The genesis header of a fixture: from `genesisRLP` when there is one, else the JSON header (its `hash` checked). */
function genesisOf(t: J): Header {
  if (t.genesisRLP) return decodeBlock(hexToBytes(t.genesisRLP)).header
  const h = headerFromJson(t.genesisBlockHeader)
  const hash = bytesToHex(headerHash(h))
  if (t.genesisBlockHeader.hash && hash !== t.genesisBlockHeader.hash) throw new Error(`genesis header hashes to ${hash}, the fixture says ${t.genesisBlockHeader.hash}`)
  return h
}

/** The fixture's network (`network`, or EEST's newer `config.network`). */
const networkOf = (t: J): string => t.network ?? t.config?.network

/** EEST's `config.chainid` (default 1, as ethereum/tests assume). */
const chainIdOf = (t: J): bigint => (t.config?.chainid ? hexToBigint(t.config.chainid) : 1n)

/**
 * Execution requests of Prague blocks for the conversion: the blocks imported in order onto a
 * side chain of their own (the consensus client knows them; a block's RLP does not hold them).
 */
function sideChainRequests(fork: ForkName, t: J, genesis: Header): RequestsOf {
  let side: Blockchain | undefined
  return (block) => {
    side ??= openFixtureChain(fork, t.pre, genesis, chainIdOf(t))
    try {
      return side.importBlock(block).result?.requests
    } catch {
      return undefined
    }
  }
}

const rpcCodeOf = (e: unknown): number | undefined => (e instanceof RpcError ? e.rpcCode : undefined)
const ZERO = bytesToHex(ZERO_HASH)
const fcu = (engine: Engine, version: string | number, head: Hex) =>
  engine.call(`engine_forkchoiceUpdatedV${Number(version)}`, [{ headBlockHash: head, safeBlockHash: ZERO, finalizedBlockHash: ZERO }, null]) as Promise<{
    payloadStatus: { status: string; validationError: string | null }
  }>

/**
 * Whether a payload status refuses a payload the fixture expects to fail: INVALID; for a
 * converted BlockchainTest also INVALID_BLOCK_HASH, and SYNCING for a block whose parent the
 * fixture never gives (UNKNOWN_PARENT): for an unknown parent the Engine API answers SYNCING
 * (paris.md newPayloadV1: the client cannot validate it), leaving the block out of the chain.
 */
function refused(status: string, expected: string, loose: boolean): boolean {
  if (status === 'INVALID') return true
  if (!loose) return false
  return status === 'INVALID_BLOCK_HASH' || (status === 'SYNCING' && /UNKNOWN_PARENT/.test(expected))
}

/** One payload: undefined when the engine answered as the fixture expects, else what it did. */
async function sendPayload(engine: Engine, p: EnginePayloadCase, loose: boolean): Promise<string | undefined> {
  if (p.undecodable !== undefined) return p.validationError ? undefined : `the block's RLP does not decode (${p.undecodable})`
  const method = `engine_newPayloadV${Number(p.newPayloadVersion)}`
  let answer: { status: string; validationError: string | null }
  try {
    answer = (await engine.call(method, p.params)) as typeof answer
  } catch (e) {
    const code = rpcCodeOf(e)
    if (code === undefined) throw e
    if (p.errorCode !== undefined) return code === Number(p.errorCode) ? undefined : `${method} failed with ${code}, expected ${p.errorCode}`
    if (loose && p.validationError) return undefined
    return `${method} failed with ${code}: ${e instanceof Error ? e.message : e}`
  }
  const got = `${method} answered ${answer.status}${answer.validationError ? ` (${answer.validationError})` : ''}`
  if (p.errorCode !== undefined) return `${got}, expected error ${p.errorCode}`
  if (p.validationError) return refused(answer.status, p.validationError, loose) ? undefined : `${got}, expected INVALID (${p.validationError})`
  if (answer.status !== 'VALID') return `${got}, expected VALID`
  const head = (p.params[0] as { blockHash: Hex }).blockHash
  const fc = await fcu(engine, p.forkchoiceUpdatedVersion, head)
  if (fc.payloadStatus.status !== 'VALID') return `forkchoiceUpdatedV${p.forkchoiceUpdatedVersion} to ${head} answered ${fc.payloadStatus.status}`
  return undefined
}

/** Runs one fixture (an engine test, or with `fromBlocktest` a BlockchainTest). */
export async function runEngineTest(name: string, t: J, opts: { fromBlocktest?: boolean } = {}): Promise<EngineTestResult> {
  const network = networkOf(t)
  const r: EngineTestResult = { name, network, pass: false, payloads: 0 }
  const fork = parseForkName(network)
  if (!fork) return { ...r, error: `unsupported network ${network}` }
  let engine: Engine | undefined
  try {
    const genesis = genesisOf(t)
    const chain = openFixtureChain(fork, t.pre, genesis, chainIdOf(t))
    const fixture: EngineFixture = opts.fromBlocktest ? fromBlockTest(t, chain.spec, sideChainRequests(fork, t, genesis)) : (t as EngineFixture)
    if (!Array.isArray(fixture.engineNewPayloads)) return { ...r, error: 'no engineNewPayloads (a BlockchainTest? run it with --from-blocktests)' }
    engine = createEngine({ chain })
    const first = fixture.engineNewPayloads.find((p) => p.undecodable === undefined)
    if (first) {
      const fc = await fcu(engine, first.forkchoiceUpdatedVersion, bytesToHex(chain.headBlockHash()))
      if (fc.payloadStatus.status !== 'VALID') return { ...r, error: `forkchoiceUpdated to genesis answered ${fc.payloadStatus.status}` }
    }
    for (const [i, p] of fixture.engineNewPayloads.entries()) {
      const wrong = await sendPayload(engine, p, opts.fromBlocktest ?? false)
      if (wrong) return { ...r, error: `payload ${i}: ${wrong}` }
      r.payloads++
    }
    const end = compareEnd(chain, fixture)
    return end ? { ...r, error: end } : { ...r, pass: true }
  } catch (e) {
    return { ...r, error: `crash: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}` }
  } finally {
    engine?.stop()
  }
}

/** Every test of a file whose network has the Engine API (Paris on); the others are counted as skipped. */
export async function runEngineTestFile(file: string, opts: EngineTestOptions = {}): Promise<{ results: EngineTestResult[]; skipped: number }> {
  const doc = JSON.parse(readFileSync(file, 'utf8')) as Record<string, J>
  const results: EngineTestResult[] = []
  let skipped = 0
  for (const [name, t] of Object.entries(doc)) {
    if (opts.run && !opts.run.test(name)) continue
    const fork = parseForkName(networkOf(t))
    if (!fork || !isForkAtLeast(fork, 'paris')) {
      skipped++
      continue
    }
    results.push(await runEngineTest(name, t, { fromBlocktest: opts.fromBlocktests }))
  }
  return { results, skipped }
}
