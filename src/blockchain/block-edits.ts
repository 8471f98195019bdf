/**
 * Dev edits as part of a block (anvil_setBalance, setCode, setStorageAt, setNonce, setChainId):
 * a dev block's state change holds edits applied before its first transaction, which its body
 * does not carry. So the edits are stored beside the block (table `devEdits`, written in the
 * block's own batch), `mosaic export` writes them to a companion file and `mosaic import`
 * applies them when it executes that block, which is how the state root matches.
 *
 * Consumers: dev-mode mining (payload), `Blockchain.importBlock`, the export and import commands.
 */
import { bytesToBigint, bytesToHex, decodeRlp, encodeRlp, hexToBytes, rlpBytes, rlpList, type Address, type Hex } from '../primitives/index.ts'
import type { JournaledState } from '../state/index.ts'
import { blockEditsKey, decodeNumber, type KeyValueStore, type WriteBatch } from '../storage/index.ts'

/** One account's edits; absent fields are left as they are. */
export interface AccountEdit {
  address: Address
  balance?: bigint
  nonce?: bigint
  code?: Uint8Array
  storage: Map<bigint, bigint>
}

/** The edits a block carries: accounts set before its first transaction, and the chain id in force from it on. */
export interface BlockEdits {
  chainId?: bigint
  accounts: readonly AccountEdit[]
}

export const hasEdits = (e: BlockEdits): boolean => e.chainId !== undefined || e.accounts.length > 0

/** Writes the edits into a block's state before its first transaction (and before its system calls), as the miner did. */
export function applyBlockEdits(state: JournaledState, edits: BlockEdits): void {
  if (edits.accounts.length === 0) return
  state.beginTransaction({ origin: new Uint8Array(20), gasPrice: 0n, blobHashes: [] })
  for (const e of edits.accounts) {
    if (e.balance !== undefined) state.setBalance(e.address, e.balance)
    if (e.nonce !== undefined) state.setNonce(e.address, e.nonce)
    if (e.code !== undefined) state.setCode(e.address, e.code)
    for (const [slot, v] of e.storage) state.setStorage(e.address, slot, v)
  }
  state.finalizeTransaction()
}

const opt = (v: bigint | Uint8Array | undefined) => (v === undefined ? [] : [v])

function optional(item: unknown, what: string): Uint8Array | undefined {
  const l = rlpList(item as never, what)
  return l.length ? rlpBytes(l[0], what) : undefined
}

export function encodeBlockEdits(e: BlockEdits): Uint8Array {
  return encodeRlp([opt(e.chainId), e.accounts.map((a) => [a.address, opt(a.balance), opt(a.nonce), opt(a.code), [...a.storage].map(([k, v]) => [k, v])])])
}

export function decodeBlockEdits(bytes: Uint8Array): BlockEdits {
  const [chainId, list] = rlpList(decodeRlp(bytes), 'block edits')
  const id = optional(chainId, 'chain id')
  return {
    ...(id ? { chainId: bytesToBigint(id) } : {}),
    accounts: rlpList(list, 'block edits').map((item) => {
      const [address, balance, nonce, code, storage] = rlpList(item, 'account edit')
      const b = optional(balance, 'balance')
      const n = optional(nonce, 'nonce')
      return {
        address: rlpBytes(address, 'address'),
        balance: b && bytesToBigint(b),
        nonce: n && bytesToBigint(n),
        code: optional(code, 'code'),
        storage: new Map(rlpList(storage, 'storage').map((kv) => rlpList(kv, 'slot').map((x) => bytesToBigint(rlpBytes(x, 'slot'))) as [bigint, bigint])),
      }
    }),
  }
}

export function putBlockEdits(batch: WriteBatch, number: bigint, hash: Uint8Array, edits: BlockEdits): void {
  batch.put(blockEditsKey(number, hash), encodeBlockEdits(edits))
}

/** The edits of canonical blocks `first`..`last`, in block order (what an export writes beside the blocks). */
export function canonicalBlockEdits(db: KeyValueStore, canonicalHash: (n: bigint) => Uint8Array | undefined, first: bigint, last: bigint): { number: bigint; hash: Uint8Array; edits: BlockEdits }[] {
  const out: { number: bigint; hash: Uint8Array; edits: BlockEdits }[] = []
  for (const [k, v] of db.iterate({ gte: blockEditsKey(first, new Uint8Array(32)), lte: blockEditsKey(last, new Uint8Array(32).fill(0xff)) })) {
    const number = decodeNumber(k, 1)
    const hash = k.subarray(9)
    const canonical = canonicalHash(number)
    if (canonical && bytesToHex(canonical) === bytesToHex(hash)) out.push({ number, hash, edits: decodeBlockEdits(v) })
  }
  return out
}

/** The companion file of an export (JSON, readable): which blocks carry edits, and the edits. */
export interface EditsFile {
  format: typeof EDITS_FORMAT
  blocks: { number: string; hash: Hex; chainId?: string; accounts: { address: Hex; balance?: string; nonce?: string; code?: Hex; storage?: Record<string, string> }[] }[]
}

export const EDITS_FORMAT = 'mosaic-dev-edits/1'

const q = (n: bigint) => `0x${n.toString(16)}`

export function editsFileEntry(number: bigint, hash: Uint8Array, e: BlockEdits): EditsFile['blocks'][number] {
  return {
    number: q(number),
    hash: bytesToHex(hash),
    ...(e.chainId === undefined ? {} : { chainId: q(e.chainId) }),
    accounts: e.accounts.map((a) => ({
      address: bytesToHex(a.address),
      ...(a.balance === undefined ? {} : { balance: q(a.balance) }),
      ...(a.nonce === undefined ? {} : { nonce: q(a.nonce) }),
      ...(a.code === undefined ? {} : { code: bytesToHex(a.code) }),
      ...(a.storage.size ? { storage: Object.fromEntries([...a.storage].map(([k, v]) => [q(k), q(v)])) } : {}),
    })),
  }
}

const QTY = /^0x[0-9a-fA-F]{1,64}$/

/** The edits of an edits file by block hash (hex). Throws an Error naming the bad field. */
export function parseEditsFile(json: unknown): Map<string, BlockEdits> {
  const f = json as Partial<EditsFile>
  if (typeof f !== 'object' || f === null || f.format !== EDITS_FORMAT || !Array.isArray(f.blocks)) throw new Error(`not a ${EDITS_FORMAT} file`)
  const big = (v: unknown, at: string): bigint => {
    if (typeof v !== 'string' || !QTY.test(v)) throw new Error(`${at}: expected a hex quantity`)
    return BigInt(v)
  }
  const bytes = (v: unknown, at: string, len?: number): Uint8Array => {
    if (typeof v !== 'string' || !/^0x([0-9a-fA-F]{2})*$/.test(v) || (len !== undefined && v.length !== 2 + 2 * len)) throw new Error(`${at}: expected ${len ?? 'hex'} bytes`)
    return hexToBytes(v as Hex)
  }
  const out = new Map<string, BlockEdits>()
  f.blocks.forEach((b, i) => {
    const at = `blocks[${i}]`
    if (typeof b !== 'object' || b === null || !Array.isArray(b.accounts)) throw new Error(`${at}: expected {number, hash, accounts}`)
    const hash = bytesToHex(bytes(b.hash, `${at}.hash`, 32))
    out.set(hash, {
      ...(b.chainId === undefined ? {} : { chainId: big(b.chainId, `${at}.chainId`) }),
      accounts: b.accounts.map((a, j) => {
        const aat = `${at}.accounts[${j}]`
        if (typeof a !== 'object' || a === null) throw new Error(`${aat}: expected an object`)
        const storage = a.storage ?? {}
        if (typeof storage !== 'object' || storage === null) throw new Error(`${aat}.storage: expected an object`)
        return {
          address: bytes(a.address, `${aat}.address`, 20),
          balance: a.balance === undefined ? undefined : big(a.balance, `${aat}.balance`),
          nonce: a.nonce === undefined ? undefined : big(a.nonce, `${aat}.nonce`),
          code: a.code === undefined ? undefined : bytes(a.code, `${aat}.code`),
          storage: new Map(Object.entries(storage).map(([k, v]) => [big(k, `${aat}.storage key`), big(v, `${aat}.storage.${k}`)])),
        }
      }),
    })
  })
  return out
}
