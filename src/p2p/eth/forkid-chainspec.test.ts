/** Fork ids computed from Mosaic's chain specs (src/chainspec) match EIP-2124 and geth. */
import { expect, test } from 'bun:test'
import { forkPoints, genesisHash, mainnet, type ChainSpec } from '../../chainspec/index.ts'
import { bytesToHex } from '../../primitives/index.ts'
import { computeForkId } from '../../chainspec/index.ts'

test('fork ids from the specs match EIP-2124 / geth values', () => {
  const id = (spec: ChainSpec, number: bigint, time: bigint) => {
    const { blockForks, timeForks } = forkPoints(spec)
    const f = computeForkId({ genesisHash: genesisHash(spec), genesisTime: spec.genesis.timestamp, blockForks, timeForks }, { number, time })
    return f.hash
  }
  expect(bytesToHex(id(mainnet, 0n, 0n))).toBe('0xfc64ec04')
  expect(bytesToHex(id(mainnet, 1_150_000n, 0n))).toBe('0x97c2c34c')
  expect(bytesToHex(id(mainnet, 30_000_000n, 1_710_338_135n))).toBe('0x9f3d2254')
  expect(bytesToHex(id(mainnet, 30_000_000n, 1_767_747_671n))).toBe('0x07c9462e')
})
