/**
 * Runs BlockchainTests fixtures: per test, a chain on a fresh store from the test's genesis and
 * pre-state; every block is imported in order (each valid one becomes the head); blocks marked
 * `expectException` must be rejected with one of the named exceptions; at the end the head must
 * be `lastblockhash` and the flat state must equal `postState` account by account.
 *
 * Consumers: `mosaic blocktest`, test/conformance/blockchain.test.ts; `mosaic enginetest` reuses
 * its chain set-up and end-of-test comparison.
 */
import { readFileSync } from 'node:fs'
import { Blockchain, ChainError } from '../../blockchain/index.ts'
import { singleForkSpec, type GenesisAccount } from '../../chainspec/index.ts'
import { BlockValidationError, InvalidTransactionError, type RuleOrder } from '../../executor/index.ts'
import { fillerRuleOrder } from '../fixture-command.ts'
import { bytesToHex, hexToBigint, hexToBytes, parseAddress } from '../../primitives/index.ts'
import { addressKey } from '../../state/index.ts'
import { openMemoryStore, Tables } from '../../storage/index.ts'
import { decodeBlock, isForkAtLeast, parseForkName, TransactionError, type Block, type ForkName, type Header } from '../../types/index.ts'

export interface BlockTestResult {
  name: string
  network: string
  pass: boolean
  /** Blocks imported / rejected as expected. */
  blocks: number
  error?: string
}

type J = Record<string, any>

/** The fixture's name for an error: `BlockException.X` or `TransactionException.X`. */
export function exceptionName(e: unknown): string {
  if (e instanceof BlockValidationError) {
    const tx = e.kind === 'INVALID_TRANSACTION' ? e.walk((x) => x instanceof InvalidTransactionError) : undefined
    return tx instanceof InvalidTransactionError ? `TransactionException.${tx.exception}` : `BlockException.${e.kind}`
  }
  if (e instanceof ChainError) return `ChainError.${e.kind}`
  return `crash: ${e instanceof Error ? e.message : String(e)}`
}

/** A fixture's `pre` (or `postState`) as genesis accounts, zero storage slots left out. */
export function allocOf(pre: J): Map<string, GenesisAccount> {
  const alloc = new Map<string, GenesisAccount>()
  for (const [addr, a] of Object.entries(pre as Record<string, J>)) {
    const storage = new Map<bigint, bigint>()
    for (const [k, v] of Object.entries((a.storage ?? {}) as Record<string, string>)) if (hexToBigint(v) !== 0n) storage.set(hexToBigint(k), hexToBigint(v))
    alloc.set(bytesToHex(parseAddress(addr)), { balance: hexToBigint(a.balance ?? '0x0'), nonce: hexToBigint(a.nonce ?? '0x0'), code: hexToBytes(a.code ?? '0x'), storage })
  }
  return alloc
}

/**
 * A fresh in-memory chain with `fork`'s rules from genesis, the `pre` accounts and the fixture's
 * genesis header (its hash must be the one the spec and alloc give), chain id 1 unless the
 * fixture's `config.chainid` says otherwise. Consumers: blocktest and enginetest.
 */
export function openFixtureChain(fork: ForkName, pre: J, genesisHeader: Header, chainId = 1n, ruleOrder?: RuleOrder): Blockchain {
  return Blockchain.open(openMemoryStore(), singleForkSpec(fork, allocOf(pre), chainId), { genesisHeader, ruleOrder })
}

/** Compares the chain's flat state with the fixture's `postState`; returns the first difference. */
export function comparePostState(chain: Blockchain, post: J): string | undefined {
  const state = chain.latestState()
  const expected = allocOf(post)
  for (const [addr, want] of expected) {
    const address = hexToBytes(addr)
    const got = state.getAccount(address)
    if (!got) return `account ${addr} is missing`
    if (got.nonce !== want.nonce) return `${addr} nonce ${got.nonce}, expected ${want.nonce}`
    if (got.balance !== want.balance) return `${addr} balance ${got.balance}, expected ${want.balance}`
    if (bytesToHex(got.code) !== bytesToHex(want.code)) return `${addr} code differs`
    const slots = new Map(state.storageEntries(address))
    if (slots.size !== want.storage.size) return `${addr} has ${slots.size} storage slots, expected ${want.storage.size}`
    for (const [k, v] of want.storage) if (slots.get(k) !== v) return `${addr} slot ${k}: ${slots.get(k) ?? 0n}, expected ${v}`
  }
  let count = 0
  for (const [k] of chain.db.iterate({ prefix: Tables.accounts.prefix })) {
    count++
    if (!expected.has(`0x${addressKey(k.subarray(1))}`)) return `unexpected account 0x${addressKey(k.subarray(1))}`
  }
  if (count !== expected.size) return `${count} accounts, expected ${expected.size}`
  return undefined
}

/**
 * The end of a test: the head must be `lastblockhash` and the state `postState` (or, in fixtures
 * that give only its root, `postStateHash`). The first difference, or undefined.
 */
export function compareEnd(chain: Blockchain, t: J): string | undefined {
  const head = bytesToHex(chain.headBlockHash())
  if (head !== t.lastblockhash) return `head ${head}, expected ${t.lastblockhash}`
  if (t.postState) {
    const diff = comparePostState(chain, t.postState)
    if (diff) return `post state: ${diff}`
  } else if (t.postStateHash && bytesToHex(chain.head().stateRoot) !== t.postStateHash) {
    return `state root ${bytesToHex(chain.head().stateRoot)}, expected ${t.postStateHash}`
  }
  return undefined
}

/** The transaction rule behind a decoding failure, as the fixtures name it. */
function decodingRule(e: unknown): string[] {
  if (e instanceof TransactionError && e.kind === 'create-not-allowed' && (e.txType === 3 || e.txType === 4)) return [`TransactionException.TYPE_${e.txType}_TX_CONTRACT_CREATION`]
  return []
}

/** Whether `got` is one of the `A|B` names of `expected`. */
function matches(expected: string, got: string): boolean {
  return expected.split('|').some((e) => e.trim() === got)
}

export function runBlockTest(name: string, t: J): BlockTestResult {
  const r: BlockTestResult = { name, network: t.network, pass: false, blocks: 0 }
  const fork = parseForkName(t.network)
  if (!fork) return { ...r, error: `unsupported network ${t.network}` }
  try {
    const chain = openFixtureChain(fork, t.pre, decodeBlock(hexToBytes(t.genesisRLP)).header, 1n, fillerRuleOrder(t))
    for (const [i, b] of (t.blocks as J[]).entries()) {
      const expect: string | undefined = b.expectException
      let block: Block
      try {
        block = decodeBlock(hexToBytes(b.rlp))
      } catch (e) {
        // a block whose RLP does not decode; a transaction in it that does not decode is named
        // by its own rule too (a blob or set-code transaction without `to`)
        const names = ['BlockException.RLP_STRUCTURES_ENCODING', ...decodingRule(e)]
        if (expect && names.some((n) => matches(expect, n))) {
          r.blocks++
          continue
        }
        return { ...r, error: `block ${i}: undecodable (${names.join('|')}${expect ? `, expected ${expect}` : ''}): ${e instanceof Error ? e.message : e}` }
      }
      try {
        chain.importBlock(block)
      } catch (e) {
        const got = exceptionName(e)
        if (!expect) return { ...r, error: `block ${i} (${block.header.number}) rejected: ${got}: ${e instanceof Error ? e.message : e}` }
        if (!matches(expect, got)) return { ...r, error: `block ${i}: exception ${got}, expected ${expect}` }
        r.blocks++
        continue
      }
      if (expect) return { ...r, error: `block ${i} (${block.header.number}) accepted, expected ${expect}` }
      r.blocks++
    }
    const end = compareEnd(chain, t)
    return end ? { ...r, error: end } : { ...r, pass: true }
  } catch (e) {
    return { ...r, error: `crash: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}` }
  }
}

export interface BlockTestOptions {
  run?: RegExp
  /** Only this network (default: every network the EVM supports). */
  network?: string
}

export function runBlockTestFile(file: string, opts: BlockTestOptions = {}): { results: BlockTestResult[]; skipped: number } {
  const doc = JSON.parse(readFileSync(file, 'utf8')) as Record<string, J>
  const results: BlockTestResult[] = []
  let skipped = 0
  for (const [name, t] of Object.entries(doc)) {
    if (opts.run && !opts.run.test(name)) continue
    const fork = parseForkName(t.network)
    if (opts.network ? t.network !== opts.network : !fork || !isForkAtLeast(fork, 'paris')) {
      skipped++
      continue
    }
    results.push(runBlockTest(name, t))
  }
  return { results, skipped }
}
