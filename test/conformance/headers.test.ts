/**
 * Header and body rules over every block of BlockchainTests (Cancun): each header of a valid chain passes
 * against its parent; each block whose expected exception is a header rule is rejected with that
 * rule's name. Rules compared after execution (gas used, the roots, blob gas used: the
 * execution-specs' order) are checked by the block-import suite, not here.
 */
import { expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { relative } from 'node:path'
import { blobParamsAt, mainnet } from '../../src/chainspec/index.ts'
import { validateBody } from '../../src/executor/body-rules.ts'
import { BlockValidationError, validateHeader, type BlockErrorKind } from '../../src/executor/header-rules.ts'
import { bytesToHex, hexToBytes } from '../../src/primitives/index.ts'
import { decodeBlock, headerHash, type Block, type Header } from '../../src/types/index.ts'
import { describeFixtures, jsonFiles } from '../fixtures.ts'

const PRE_EXECUTION_RULES: ReadonlySet<string> = new Set<BlockErrorKind>([
  'INVALID_BLOCK_NUMBER',
  'INVALID_BLOCK_TIMESTAMP_OLDER_THAN_PARENT',
  'EXTRA_DATA_TOO_BIG',
  'INVALID_GASLIMIT',
  'GASLIMIT_TOO_BIG',
  'GAS_USED_OVERFLOW',
  'INVALID_BASEFEE_PER_GAS',
  'IMPORT_IMPOSSIBLE_DIFFICULTY_OVER_PARIS',
  'IMPORT_IMPOSSIBLE_UNCLES_OVER_PARIS',
  'INCORRECT_EXCESS_BLOB_GAS',
])

interface BlockEntry {
  rlp: string
  expectException?: string
}
interface BlockchainTest {
  network: string
  genesisRLP: string
  blocks: BlockEntry[]
}

// Cancun rules and blob parameters, as the fixtures' network says.
const seen = { valid: 0, rejected: 0 }
const CANCUN = { fork: 'cancun' as const, blob: blobParamsAt(mainnet, 1_710_338_135n) }

function runTest(t: BlockchainTest): void {
  const known = new Map<string, Header>()
  const genesis = decodeBlock(hexToBytes(t.genesisRLP)).header
  known.set(bytesToHex(headerHash(genesis)), genesis)
  for (const b of t.blocks) {
    let block: Block
    try {
      block = decodeBlock(hexToBytes(b.rlp))
    } catch {
      expect(b.expectException).toBeDefined() // undecodable blocks are expected failures
      continue
    }
    const header = block.header
    const parent = known.get(bytesToHex(header.parentHash))
    const expected = (b.expectException ?? '').split('|').map((e) => e.replace('BlockException.', ''))
    const headerRule = expected.find((e) => PRE_EXECUTION_RULES.has(e))
    if (!parent) {
      expect(b.expectException).toBeDefined()
      continue
    }
    let error: unknown
    try {
      validateHeader(header, parent, CANCUN)
      validateBody(header, block, CANCUN)
    } catch (e) {
      error = e
    }
    if (headerRule) {
      expect(error).toBeInstanceOf(BlockValidationError)
      expect(expected).toContain((error as BlockValidationError).kind)
      seen.rejected++
    } else if (!b.expectException) {
      if (error) throw error
      known.set(bytesToHex(headerHash(header)), header)
      seen.valid++
    }
  }
}

describeFixtures('BlockchainTests headers', ['ethereum-tests', 'BlockchainTests'], (dir) => {
  for (const file of jsonFiles(dir)) {
    test(relative(dir, file), () => {
      const tests = JSON.parse(readFileSync(file, 'utf8')) as Record<string, BlockchainTest>
      for (const [name, t] of Object.entries(tests)) {
        if (t.network !== 'Cancun') continue
        try {
          runTest(t)
        } catch (e) {
          throw new Error(`${name}: ${e instanceof Error ? e.message : String(e)}`, { cause: e })
        }
      }
    })
  }
  // Guards against a runner that silently checks nothing.
  test('checked a meaningful number of headers', () => {
    expect(seen.valid).toBeGreaterThan(1000)
    expect(seen.rejected).toBeGreaterThan(50)
  })
})
