/**
 * The state of one upstream block, read lazily and synchronously: accounts (nonce, balance,
 * code), storage slots and block hashes, each fetched once and then served from the fork cache
 * (./cache.ts). With `eth_getProof` (the default while the upstream offers it), every account and
 * slot is checked against the pinned block's state root (src/trie `verifyProof`) and code
 * against its hash; an upstream without it (-32601) is read with eth_getBalance,
 * eth_getTransactionCount, eth_getCode and eth_getStorageAt instead. Several keys known ahead
 * (`prefetch`) travel in one batch. Without an upstream (`--offline`) a key that is not cached is
 * a RemoteError naming the key.
 *
 * Consumer: the fork store (./fork-store.ts), which shows it to the chain as flat state.
 */
import { keccak256 } from '../crypto/index.ts'
import { bigintToHex, bigintToWord, bytesToBigint, bytesToHex, decodeRlp, equalBytes, hexToBigint, hexToBytes, isHex, rlpBytes, type Address, type Hash } from '../primitives/index.ts'
import { decodeTrieAccount, EMPTY_CODE_HASH } from '../state/index.ts'
import { EMPTY_TRIE_ROOT, verifyProof } from '../trie/index.ts'
import type { ForkCache } from './cache.ts'
import { RemoteError } from './errors.ts'
import type { SyncUpstream } from './sync-upstream.ts'
import type { RpcCall, RpcOutcome } from './upstream.ts'

export interface RemoteAccount {
  nonce: bigint
  balance: bigint
  codeHash: Hash
  code: Uint8Array
}

export interface RemoteStateOptions {
  /** Absent: offline, the cache only. */
  upstream?: SyncUpstream
  cache: ForkCache
  block: bigint
  stateRoot: Hash
  /** Try eth_getProof first (default true). */
  proofs?: boolean
}

interface CachedAccount {
  n: string
  b: string
  c: string
  /** The storage root, when a proof showed it. */
  r?: string
}

const EMPTY_ROOT_HEX = bytesToHex(EMPTY_TRIE_ROOT)

/** One key to fetch: the calls it needs and what to do with their outcomes. */
interface Fetch {
  key: string
  what: string
  calls(proofs: boolean): RpcCall[]
  finish(outcomes: RpcOutcome[], proofs: boolean): void
}

const METHOD_NOT_FOUND = -32601
const MAX_PREFETCH = 1000

class NoProofs extends Error {}

export class RemoteState {
  readonly block: bigint
  private upstream?: SyncUpstream
  private readonly cache: ForkCache
  private readonly stateRoot: Hash
  private readonly tag: string
  private proofs: boolean

  constructor(o: RemoteStateOptions) {
    this.upstream = o.upstream
    this.cache = o.cache
    this.block = o.block
    this.stateRoot = o.stateRoot
    this.tag = bigintToHex(o.block)
    this.proofs = o.proofs ?? true
  }

  get cachePath(): string | undefined {
    return this.cache.path
  }

  /** The account at the pinned block, or undefined when it does not exist there. */
  account(address: Address): RemoteAccount | undefined {
    const k = `a:${bytesToHex(address)}`
    if (!this.cache.has(k)) this.fetch([this.accountFetch(address)])
    const a = this.cache.get(k) as CachedAccount | null
    if (!a) return undefined
    const codeHash = hexToBytes(a.c)
    return { nonce: hexToBigint(a.n), balance: hexToBigint(a.b), codeHash, code: this.code(codeHash) ?? new Uint8Array(0) }
  }

  storage(address: Address, slot: bigint): bigint {
    const a = bytesToHex(address)
    const k = `s:${a}:${bigintToHex(slot)}`
    if (!this.cache.has(k)) {
      // no account, or a proven empty storage root: every slot is zero, no need to ask
      const acct = this.cache.get(`a:${a}`) as CachedAccount | null | undefined
      if (acct === null || acct?.r === EMPTY_ROOT_HEX) return 0n
      this.fetch([this.slotFetch(address, slot)])
    }
    return hexToBigint(this.cache.get(k) as string)
  }

  /** Code by hash, when an account read brought it. */
  code(codeHash: Hash): Uint8Array | undefined {
    if (equalBytes(codeHash, EMPTY_CODE_HASH)) return new Uint8Array(0)
    const c = this.cache.get(`c:${bytesToHex(codeHash)}`) as string | undefined
    return c === undefined ? undefined : hexToBytes(c)
  }

  /** Reads from now on go to `upstream` (anvil_setRpcUrl: the same chain through the pinned block, ./fork.ts). */
  useUpstream(upstream: SyncUpstream): void {
    this.upstream = upstream
  }

  /** The canonical hash of an upstream block at or below the pinned one. */
  blockHash(number: bigint): Hash | undefined {
    if (number < 0n || number > this.block) return undefined
    const k = `h:${number}`
    if (!this.cache.has(k)) this.fetch([this.hashFetch(number)])
    const h = this.cache.get(k) as string | null
    return h ? hexToBytes(h) : undefined
  }

  /** Fetches the accounts and slots not yet cached in one go (batched, several requests in flight). */
  prefetch(accounts: readonly Address[], slots: readonly [Address, bigint][] = []): void {
    if (!this.upstream) return // offline: the reads themselves say what is missing
    const todo: Fetch[] = []
    const seen = new Set<string>()
    const add = (f: Fetch) => !this.cache.has(f.key) && !seen.has(f.key) && seen.add(f.key) && todo.push(f)
    for (const a of accounts) add(this.accountFetch(a))
    for (const [a, s] of slots) add(this.slotFetch(a, s))
    if (todo.length > 0) this.fetch(todo.slice(0, MAX_PREFETCH))
  }

  private fetch(items: Fetch[]): void {
    if (!this.upstream) {
      const where = this.cache.path ? `the fork cache ${this.cache.path}` : 'the fork cache'
      throw new RemoteError('offline-miss', `--offline: ${items[0]!.what} at block ${this.block} is not in ${where}`, { details: 'run once with the upstream reachable to cache it' })
    }
    const proofs = this.proofs
    const calls = items.map((i) => i.calls(proofs))
    const what = items.length === 1 ? `${items[0]!.what} at block ${this.block}` : `${items.length} keys at block ${this.block} (${items[0]!.what}, …)`
    const outcomes = this.upstream.batchSync(calls.flat(), what)
    let at = 0
    const retry: Fetch[] = []
    for (const [i, item] of items.entries()) {
      const mine = outcomes.slice(at, (at += calls[i]!.length))
      try {
        item.finish(mine, proofs)
      } catch (err) {
        if (!(err instanceof NoProofs)) throw err
        retry.push(item)
      }
    }
    if (retry.length > 0) {
      this.proofs = false
      this.fetch(retry)
    }
  }

  private result(o: RpcOutcome, what: string, proofs: boolean): unknown {
    if ('error' in o) {
      if (proofs && o.error.code === METHOD_NOT_FOUND) throw new NoProofs()
      throw new RemoteError('rpc-error', `upstream ${this.upstream!.url} refused ${what} at block ${this.block}: ${o.error.message} (code ${o.error.code})`)
    }
    return o.result
  }

  private hexField(v: unknown, field: string, what: string): string {
    if (!isHex(v)) throw new RemoteError('bad-response', `upstream ${this.upstream!.url} sent a bad ${field} for ${what}: ${JSON.stringify(v)}`)
    return v
  }

  private badProof(what: string, why: string): RemoteError {
    // anvil's genesis header claims the empty root while its state holds the dev accounts
    const hint = equalBytes(this.stateRoot, EMPTY_TRIE_ROOT) ? { details: `block ${this.block} claims an empty state (as anvil's genesis does): use a later block, or read without proofs (--fork.proofs=false)` } : {}
    return new RemoteError('bad-proof', `upstream ${this.upstream!.url}: the proof of ${what} does not verify against block ${this.block}'s state root ${bytesToHex(this.stateRoot)}: ${why}`, hint)
  }

  /** The account leaf a proof shows, checked against the state root and the fields sent beside it. */
  private verifiedAccount(p: Record<string, unknown>, address: Address, what: string): { nonce: bigint; balance: bigint; codeHash: Hash; storageHash: Hash } | undefined {
    const nodes = Array.isArray(p.accountProof) ? p.accountProof.map((n) => hexToBytes(this.hexField(n, 'accountProof', what))) : undefined
    if (!nodes) throw this.badProof(what, 'no accountProof')
    let leaf: Uint8Array | undefined
    try {
      leaf = verifyProof(this.stateRoot, address, nodes, { secure: true })
    } catch (err) {
      throw this.badProof(what, err instanceof Error ? err.message : String(err))
    }
    const sent = {
      nonce: hexToBigint(this.hexField(p.nonce, 'nonce', what)),
      balance: hexToBigint(this.hexField(p.balance, 'balance', what)),
      codeHash: hexToBytes(this.hexField(p.codeHash, 'codeHash', what)),
      storageHash: hexToBytes(this.hexField(p.storageHash, 'storageHash', what)),
    }
    if (!leaf) {
      if (sent.nonce !== 0n || sent.balance !== 0n) throw this.badProof(what, 'the proof shows no account, the answer has one')
      return undefined
    }
    const t = decodeTrieAccount(leaf)
    if (t.nonce !== sent.nonce || t.balance !== sent.balance || !equalBytes(t.codeHash, sent.codeHash) || !equalBytes(t.storageRoot, sent.storageHash))
      throw this.badProof(what, 'the proven account differs from the one sent')
    return { nonce: t.nonce, balance: t.balance, codeHash: t.codeHash, storageHash: t.storageRoot }
  }

  private accountFetch(address: Address): Fetch {
    const a = bytesToHex(address)
    const what = `account ${a}`
    return {
      key: `a:${a}`,
      what,
      calls: (proofs) =>
        proofs
          ? [{ method: 'eth_getProof', params: [a, [], this.tag] }, { method: 'eth_getCode', params: [a, this.tag] }]
          : [{ method: 'eth_getBalance', params: [a, this.tag] }, { method: 'eth_getTransactionCount', params: [a, this.tag] }, { method: 'eth_getCode', params: [a, this.tag] }],
      finish: (o, proofs) => {
        let nonce: bigint, balance: bigint, codeHash: Hash | undefined, storageRoot: Hash | undefined, exists: boolean
        const code = hexToBytes(this.hexField(this.result(o[o.length - 1]!, `the code of ${a}`, false), 'code', what))
        if (proofs) {
          const p = this.result(o[0]!, what, true) as Record<string, unknown>
          if (!p || typeof p !== 'object') throw new RemoteError('bad-response', `upstream ${this.upstream!.url} sent no proof object for ${what}`)
          const acct = this.verifiedAccount(p, address, what)
          exists = acct !== undefined
          nonce = acct?.nonce ?? 0n
          balance = acct?.balance ?? 0n
          codeHash = acct?.codeHash
          storageRoot = acct?.storageHash
        } else {
          balance = hexToBigint(this.hexField(this.result(o[0]!, `the balance of ${a}`, false), 'balance', what))
          nonce = hexToBigint(this.hexField(this.result(o[1]!, `the nonce of ${a}`, false), 'nonce', what))
          exists = nonce !== 0n || balance !== 0n || code.length > 0
        }
        const hash = keccak256(code)
        if (codeHash && !equalBytes(codeHash, hash)) throw this.badProof(what, `its code hashes to ${bytesToHex(hash)}, the proof says ${bytesToHex(codeHash)}`)
        if (code.length > 0) this.cache.put(`c:${bytesToHex(hash)}`, bytesToHex(code))
        const cached: CachedAccount = { n: bigintToHex(nonce), b: bigintToHex(balance), c: bytesToHex(hash), ...(storageRoot ? { r: bytesToHex(storageRoot) } : {}) }
        this.cache.put(`a:${a}`, exists ? cached : null)
      },
    }
  }

  private slotFetch(address: Address, slot: bigint): Fetch {
    const a = bytesToHex(address)
    const s = bigintToHex(slot)
    const what = `storage slot ${s} of ${a}`
    return {
      key: `s:${a}:${s}`,
      what,
      calls: (proofs) => [proofs ? { method: 'eth_getProof', params: [a, [bytesToHex(bigintToWord(slot))], this.tag] } : { method: 'eth_getStorageAt', params: [a, bytesToHex(bigintToWord(slot)), this.tag] }],
      finish: (o, proofs) => {
        let value: bigint
        if (proofs) {
          const p = this.result(o[0]!, what, true) as Record<string, unknown>
          if (!p || typeof p !== 'object') throw new RemoteError('bad-response', `upstream ${this.upstream!.url} sent no proof object for ${what}`)
          const acct = this.verifiedAccount(p, address, what)
          const sp = (Array.isArray(p.storageProof) ? p.storageProof[0] : undefined) as { value?: unknown; proof?: unknown } | undefined
          if (!sp || !Array.isArray(sp.proof)) throw this.badProof(what, 'no storageProof')
          value = hexToBigint(this.hexField(sp.value, 'storage value', what))
          const root = acct?.storageHash ?? EMPTY_TRIE_ROOT
          let leaf: Uint8Array | undefined
          try {
            leaf = verifyProof(root, bigintToWord(slot), sp.proof.map((n) => hexToBytes(this.hexField(n, 'storageProof', what))), { secure: true })
          } catch (err) {
            throw this.badProof(what, err instanceof Error ? err.message : String(err))
          }
          const proven = leaf ? bytesToBigint(rlpBytes(decodeRlp(leaf), 'slot value')) : 0n
          if (proven !== value) throw this.badProof(what, `the proof shows ${bigintToHex(proven)}, the answer says ${bigintToHex(value)}`)
        } else value = hexToBigint(this.hexField(this.result(o[0]!, what, false), 'storage value', what))
        this.cache.put(`s:${a}:${s}`, bigintToHex(value))
      },
    }
  }

  private hashFetch(number: bigint): Fetch {
    const what = `the hash of block ${number}`
    return {
      key: `h:${number}`,
      what,
      calls: () => [{ method: 'eth_getBlockByNumber', params: [bigintToHex(number), false] }],
      finish: (o) => {
        const b = this.result(o[0]!, what, false) as { hash?: unknown } | null
        this.cache.put(`h:${number}`, b ? this.hexField(b.hash, 'hash', what) : null)
      },
    }
  }
}
