/**
 * Root of 100,000 random 32-byte key / 100-byte value pairs: Mosaic's native whole-set root and
 * its incremental trie, against @ethereumjs/mpt, on the same data in the same run.
 */
import { MerklePatriciaTrie } from '@ethereumjs/mpt'
import { bytesToHex } from '../src/primitives/index.ts'
import { Trie, trieRoot } from '../src/trie/index.ts'
import { report, timeOnce } from './harness.ts'

export async function run(n = 100_000): Promise<void> {
  const entries: [Uint8Array, Uint8Array][] = Array.from({ length: n }, () => [
    crypto.getRandomValues(new Uint8Array(32)),
    crypto.getRandomValues(new Uint8Array(100)),
  ])
  const roots = new Set<string>()
  const peer = await timeOnce('@ethereumjs/mpt put x n, root', async () => {
    const t = new MerklePatriciaTrie()
    for (const [k, v] of entries) await t.put(k, v)
    roots.add(bytesToHex(t.root()))
  }, 1)
  const native = await timeOnce('mosaic trieRoot (native, one call)', () => roots.add(bytesToHex(trieRoot(entries))))
  const incremental = await timeOnce('mosaic Trie put x n, commit', () => {
    const t = new Trie()
    for (const [k, v] of entries) t.put(k, v)
    t.commit()
    roots.add(bytesToHex(t.root()))
  })
  if (roots.size !== 1) throw new Error(`roots disagree: ${[...roots].join(', ')}`)
  report(`trie root of ${n.toLocaleString('en-US')} pairs (32-byte keys, 100-byte values); roots/s`, [peer, native, incremental], peer)
}

if (import.meta.main) await run()
