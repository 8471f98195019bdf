import { describe, expect, test } from 'bun:test'
import { keccak256 } from '../../crypto/index.ts'
import { addNode, closest, compareDistance, findNode, logDistance, newTable, removeNode, revalidated, revalidationCandidate, tableSize, BUCKET_SIZE } from './table.ts'

const node = (i: number) => {
  const id = new Uint8Array(64)
  new DataView(id.buffer).setUint32(60, i + 1)
  return { id, ip: new Uint8Array([127, 0, 0, 1]), udpPort: 30000 + i, tcpPort: 0 }
}

describe('kademlia table', () => {
  test('log distance', () => {
    const a = new Uint8Array(32)
    const b = new Uint8Array(32)
    expect(logDistance(a, b)).toBe(0)
    b[31] = 1
    expect(logDistance(a, b)).toBe(1)
    b[31] = 0x80
    expect(logDistance(a, b)).toBe(8)
    b[0] = 0x80
    expect(logDistance(a, b)).toBe(256)
    b[0] = 0x01
    expect(logDistance(a, b)).toBe(249)
  })

  test('buckets fill up to 16, overflow goes to replacements, removal promotes a replacement', () => {
    const self = node(100000).id
    const t = newTable(self)
    expect(addNode(t, { ...node(100000) })).toBe('self')
    // most random ids land in the farthest buckets: add many, check bucket limits hold
    const results = Array.from({ length: 400 }, (_, i) => addNode(t, node(i)))
    expect(results.filter((r) => r === 'replacement').length).toBeGreaterThan(0)
    for (const b of t.buckets) {
      expect(b.entries.length).toBeLessThanOrEqual(BUCKET_SIZE)
      expect(b.replacements.length).toBeLessThanOrEqual(10)
    }
    const full = t.buckets.find((b) => b.entries.length === BUCKET_SIZE && b.replacements.length > 0)!
    const victim = full.entries[3]!
    const promoted = full.replacements[0]!
    expect(removeNode(t, victim.id)?.id).toEqual(promoted.id)
    expect(findNode(t, victim.id)).toBeUndefined()
    expect(findNode(t, promoted.id)).toBeDefined()
    expect(addNode(t, node(0))).toBe(findNode(t, node(0).id) ? 'updated' : 'replacement')
  })

  test('closest is ordered by XOR distance to the target hash', () => {
    const t = newTable(node(99999).id)
    for (let i = 0; i < 50; i++) addNode(t, node(i))
    const target = keccak256(node(7).id)
    const c = closest(t, target, 10)
    expect(c.length).toBe(10)
    for (let i = 1; i < c.length; i++) expect(compareDistance(target, c[i - 1]!.hash, c[i]!.hash)).toBeLessThanOrEqual(0)
    if (findNode(t, node(7).id)) expect(c[0]!.id).toEqual(node(7).id)
  })

  test('revalidation: alive moves to front, dead is removed', () => {
    const t = newTable(node(99999).id)
    for (let i = 0; i < 5; i++) addNode(t, node(i))
    const c = revalidationCandidate(t, () => 0)!
    revalidated(t, c.id, true)
    expect(findNode(t, c.id)!.livenessChecks).toBe(1)
    const n = tableSize(t)
    revalidated(t, c.id, false)
    expect(tableSize(t)).toBe(n - 1)
  })
})
