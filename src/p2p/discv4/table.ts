/**
 * Kademlia routing table for discv4 (devp2p discv4.md "Kademlia Table"): 256 buckets by
 * log-distance between keccak256(node id) values, 16 live entries per bucket (most recently seen
 * first) and a replacement list of 10; revalidation pings the least recently seen entry of a
 * random bucket and swaps in a replacement when it fails.
 *
 * Plain data and functions; the discv4 server owns one table.
 */
import { keccak256 } from '../../crypto/index.ts'
import { equalBytes } from '../../primitives/index.ts'
import type { NodeRecord } from './packet.ts'

export const BUCKET_SIZE = 16
export const MAX_REPLACEMENTS = 10
export const BUCKET_COUNT = 256

export interface TableEntry extends NodeRecord {
  /** keccak256(id): the point in the Kademlia id space. */
  hash: Uint8Array
  addedAt: number
  /** Successful revalidations. */
  livenessChecks: number
}

export interface Bucket {
  entries: TableEntry[]
  replacements: TableEntry[]
}

export interface Table {
  selfHash: Uint8Array
  buckets: Bucket[]
}

export function newTable(selfId: Uint8Array): Table {
  return { selfHash: keccak256(selfId), buckets: Array.from({ length: BUCKET_COUNT }, () => ({ entries: [], replacements: [] })) }
}

/** log2 distance: 256 minus the count of leading zero bits of a ^ b (0 when equal). */
export function logDistance(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < 32; i++) {
    const x = a[i]! ^ b[i]!
    if (x !== 0) return (32 - i) * 8 - (Math.clz32(x) - 24)
  }
  return 0
}

/** -1, 0, 1 as a is closer to, as close as, or farther from target than b (XOR metric). */
export function compareDistance(target: Uint8Array, a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < 32; i++) {
    const da = a[i]! ^ target[i]!
    const db = b[i]! ^ target[i]!
    if (da !== db) return da < db ? -1 : 1
  }
  return 0
}

function bucketOf(t: Table, hash: Uint8Array): Bucket | null {
  const d = logDistance(t.selfHash, hash)
  return d === 0 ? null : t.buckets[d - 1]!
}

function toEntry(n: NodeRecord): TableEntry {
  return { id: n.id, ip: n.ip, udpPort: n.udpPort, tcpPort: n.tcpPort, hash: keccak256(n.id), addedAt: Date.now(), livenessChecks: 0 }
}

/**
 * Adds a node that answered us (or moves it to the front when known). Returns 'added',
 * 'updated', 'replacement' (bucket full) or 'self'.
 */
export function addNode(t: Table, n: NodeRecord): 'added' | 'updated' | 'replacement' | 'self' {
  const e = toEntry(n)
  const b = bucketOf(t, e.hash)
  if (!b) return 'self'
  const i = b.entries.findIndex((x) => equalBytes(x.id, n.id))
  if (i >= 0) {
    const [old] = b.entries.splice(i, 1)
    b.entries.unshift({ ...old!, ip: n.ip, udpPort: n.udpPort, tcpPort: n.tcpPort })
    return 'updated'
  }
  if (b.entries.length < BUCKET_SIZE) {
    b.entries.unshift(e)
    b.replacements = b.replacements.filter((x) => !equalBytes(x.id, n.id))
    return 'added'
  }
  b.replacements = b.replacements.filter((x) => !equalBytes(x.id, n.id))
  b.replacements.unshift(e)
  if (b.replacements.length > MAX_REPLACEMENTS) b.replacements.pop()
  return 'replacement'
}

export function findNode(t: Table, id: Uint8Array): TableEntry | undefined {
  const b = bucketOf(t, keccak256(id))
  return b?.entries.find((x) => equalBytes(x.id, id))
}

/** Removes a node (e.g. failed revalidation); the most recent replacement takes its place. */
export function removeNode(t: Table, id: Uint8Array): TableEntry | undefined {
  const b = bucketOf(t, keccak256(id))
  if (!b) return undefined
  const i = b.entries.findIndex((x) => equalBytes(x.id, id))
  if (i < 0) return undefined
  b.entries.splice(i, 1)
  const r = b.replacements.shift()
  if (r) b.entries.push(r)
  return r
}

/** The `count` known nodes closest to `targetHash` (a keccak256 id hash). */
export function closest(t: Table, targetHash: Uint8Array, count = BUCKET_SIZE): TableEntry[] {
  const all = t.buckets.flatMap((b) => b.entries)
  return all.sort((a, b) => compareDistance(targetHash, a.hash, b.hash)).slice(0, count)
}

export function tableSize(t: Table): number {
  return t.buckets.reduce((n, b) => n + b.entries.length, 0)
}

/** The least recently seen entry of a random non-empty bucket, to ping. */
export function revalidationCandidate(t: Table, random = Math.random): TableEntry | undefined {
  const nonEmpty = t.buckets.filter((b) => b.entries.length > 0)
  if (nonEmpty.length === 0) return undefined
  const b = nonEmpty[Math.floor(random() * nonEmpty.length)]!
  return b.entries[b.entries.length - 1]
}

/** Records the result of a revalidation ping. */
export function revalidated(t: Table, id: Uint8Array, alive: boolean): void {
  if (!alive) {
    removeNode(t, id)
    return
  }
  const b = bucketOf(t, keccak256(id))
  const i = b ? b.entries.findIndex((x) => equalBytes(x.id, id)) : -1
  if (!b || i < 0) return
  const [e] = b.entries.splice(i, 1)
  e!.livenessChecks++
  b.entries.unshift(e!)
}
