import { describe, expect, test } from 'bun:test'
import { decodeBlock } from '../../types/index.ts'
import { Tables } from '../../storage/index.ts'
import { generateWorkload, openWorkloadChain, parseWorkloadSpec } from './index.ts'

function count(chain: ReturnType<typeof openWorkloadChain>, prefix: Uint8Array): number {
  let n = 0
  for (const _ of chain.db.iterate({ prefix })) n++
  return n
}

describe('workload generator', () => {
  test('grows the state to about the accounts and slots asked, with creations, self-destructs and reorgs', () => {
    const spec = parseWorkloadSpec('generate:blocks=40,accounts=400,slots=2000,seed=3,reorgs=10')
    const chain = openWorkloadChain(spec)
    const blocks = [...generateWorkload(chain, spec)]
    expect(chain.head().number).toBe(40n)
    expect(blocks.filter((b) => b.reorg).length).toBe(3)
    expect(blocks.length).toBeGreaterThan(43)
    const accounts = count(chain, Tables.accounts.prefix)
    const slots = count(chain, Tables.storage.prefix)
    expect(accounts).toBeGreaterThan(360)
    expect(accounts).toBeLessThan(460)
    expect(slots).toBeGreaterThan(1700)
    expect(slots).toBeLessThan(2300)
    // self-destructs happened: fewer live contracts than created ones are left
    expect(blocks.some((b) => b.block.transactions.some((tx) => tx.to === null))).toBe(true)
  })

  test('is deterministic: the same spec gives the same blocks', () => {
    const spec = parseWorkloadSpec('generate:blocks=5,accounts=50,slots=100,seed=9')
    const a = [...generateWorkload(openWorkloadChain(spec), spec)].map((b) => b.hash.toHex())
    const b = [...generateWorkload(openWorkloadChain(spec), spec)].map((b) => b.hash.toHex())
    expect(a).toEqual(b)
    const other = [...generateWorkload(openWorkloadChain({ ...spec, seed: 10 }), { ...spec, seed: 10 })].map((b) => b.hash.toHex())
    expect(other[0]).not.toBe(a[0])
  })

  test('its blocks import into another chain of the same genesis, reorgs included, to the same head', () => {
    const spec = parseWorkloadSpec('generate:blocks=12,accounts=60,slots=200,seed=4,reorgs=4')
    const chain = openWorkloadChain(spec)
    const blocks = [...generateWorkload(chain, spec)]
    const other = openWorkloadChain(spec)
    for (const b of blocks) other.importBlock(decodeBlock(b.rlp))
    expect(other.headBlockHash()).toEqual(chain.headBlockHash())
  })

  test('refuses a malformed spec', () => {
    expect(() => parseWorkloadSpec('generate:blocks=x')).toThrow('blocks must be a whole number')
    expect(() => parseWorkloadSpec('generate:color=red')).toThrow('unknown key')
    expect(() => parseWorkloadSpec('generate:fork=prague')).toThrow('fork must be')
  })
})
