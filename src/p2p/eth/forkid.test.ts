import { describe, expect, test } from 'bun:test'
import { encodeRlp, hexToBytes, bytesToHex } from '../../primitives/index.ts'
import { checksumToBytes, checksumUpdate, computeForkId, validateForkId, type ForkIdVerdict, type ForkSchedule } from '../../chainspec/index.ts'
import { forkIdFromRlp, forkIdToRlp } from './forkid.ts'
import { decodeRlp } from '../../primitives/index.ts'

const MAINNET_GENESIS = hexToBytes('0xd4e56740f876aef8c010b86a40d5f56745a118d0906a34e69aec8c0db1cb8fa3')
// Homestead, DAO, Tangerine, Spurious (EIP-155 and EIP-158, duplicated on purpose), Byzantium,
// Constantinople = Petersburg, Istanbul, Muir Glacier, Berlin, London, Arrow Glacier, Gray Glacier
const MAINNET_BLOCKS = [0n, 1150000n, 1920000n, 2463000n, 2675000n, 2675000n, 4370000n, 7280000n, 7280000n, 9069000n, 9200000n, 12244000n, 12965000n, 13773000n, 15050000n]
// Shanghai, Cancun, Prague, Osaka, BPO1, BPO2
const MAINNET_TIMES = [1681338455n, 1710338135n, 1746612311n, 1764798551n, 1765290071n, 1767747671n]
const mainnet: ForkSchedule = { genesisHash: MAINNET_GENESIS, blockForks: MAINNET_BLOCKS, timeForks: MAINNET_TIMES }
const legacy: ForkSchedule = { genesisHash: MAINNET_GENESIS, blockForks: MAINNET_BLOCKS, timeForks: [] }

const id = (crc: number, next: bigint) => ({ hash: checksumToBytes(crc), next })
const MAX = (1n << 64n) - 1n

// EIP-2124 "Test cases" and geth core/forkid/forkid_test.go TestCreation (mainnet).
const creation: [bigint, bigint, number, bigint][] = [
  [0n, 0n, 0xfc64ec04, 1150000n],
  [1149999n, 0n, 0xfc64ec04, 1150000n],
  [1150000n, 0n, 0x97c2c34c, 1920000n],
  [1919999n, 0n, 0x97c2c34c, 1920000n],
  [1920000n, 0n, 0x91d1f948, 2463000n],
  [2462999n, 0n, 0x91d1f948, 2463000n],
  [2463000n, 0n, 0x7a64da13, 2675000n],
  [2674999n, 0n, 0x7a64da13, 2675000n],
  [2675000n, 0n, 0x3edd5b10, 4370000n],
  [4369999n, 0n, 0x3edd5b10, 4370000n],
  [4370000n, 0n, 0xa00bc324, 7280000n],
  [7279999n, 0n, 0xa00bc324, 7280000n],
  [7280000n, 0n, 0x668db0af, 9069000n],
  [9068999n, 0n, 0x668db0af, 9069000n],
  [9069000n, 0n, 0x879d6e30, 9200000n],
  [9199999n, 0n, 0x879d6e30, 9200000n],
  [9200000n, 0n, 0xe029e991, 12244000n],
  [12243999n, 0n, 0xe029e991, 12244000n],
  [12244000n, 0n, 0x0eb440f6, 12965000n],
  [12964999n, 0n, 0x0eb440f6, 12965000n],
  [12965000n, 0n, 0xb715077d, 13773000n],
  [13772999n, 0n, 0xb715077d, 13773000n],
  [13773000n, 0n, 0x20c327fc, 15050000n],
  [15049999n, 0n, 0x20c327fc, 15050000n],
  [15050000n, 0n, 0xf0afd0e3, 1681338455n],
  [20000000n, 1681338454n, 0xf0afd0e3, 1681338455n],
  [20000000n, 1681338455n, 0xdce96c2d, 1710338135n], // Shanghai
  [30000000n, 1710338134n, 0xdce96c2d, 1710338135n],
  [30000000n, 1710338135n, 0x9f3d2254, 1746612311n], // Cancun
  [30000000n, 1746022486n, 0x9f3d2254, 1746612311n],
  [30000000n, 1746612311n, 0xc376cf8b, 1764798551n], // Prague
  [30000000n, 1764798550n, 0xc376cf8b, 1764798551n],
  [30000000n, 1764798551n, 0x5167e2a6, 1765290071n], // Osaka
  [30000000n, 1765290070n, 0x5167e2a6, 1765290071n],
  [30000000n, 1765290071n, 0xcba2a1c0, 1767747671n], // BPO1
  [30000000n, 1767747670n, 0xcba2a1c0, 1767747671n],
  [30000000n, 1767747671n, 0x07c9462e, 0n], // BPO2
  [50000000n, 2000000000n, 0x07c9462e, 0n],
]

// geth TestValidation: [schedule, head, time, remote id, verdict]
const OK: ForkIdVerdict = 'ok'
const STALE: ForkIdVerdict = 'remote-stale'
const BAD: ForkIdVerdict = 'local-incompatible-or-stale'
const validation: [ForkSchedule, bigint, bigint, number, bigint, ForkIdVerdict][] = [
  [legacy, 15050000n, 0n, 0xf0afd0e3, 0n, OK],
  [legacy, 15050000n, 0n, 0xf0afd0e3, MAX, OK],
  [legacy, 7279999n, 0n, 0xa00bc324, 0n, OK],
  [legacy, 7279999n, 0n, 0xa00bc324, 7280000n, OK],
  [legacy, 7279999n, 0n, 0xa00bc324, MAX, OK],
  [legacy, 7280000n, 0n, 0xa00bc324, 7280000n, OK],
  [legacy, 7987396n, 0n, 0xa00bc324, 7280000n, OK],
  [legacy, 7987396n, 0n, 0x3edd5b10, 4370000n, OK],
  [legacy, 7279999n, 0n, 0x668db0af, 0n, OK],
  [legacy, 4369999n, 0n, 0xa00bc324, 0n, OK],
  [legacy, 7987396n, 0n, 0xa00bc324, 0n, STALE],
  [legacy, 7987396n, 0n, 0x5cddc0e1, 0n, BAD],
  [legacy, 7279999n, 0n, 0x5cddc0e1, 0n, BAD],
  [legacy, 7987396n, 0n, 0xafec6b27, 0n, BAD],
  [legacy, 88888888n, 0n, 0xf0afd0e3, 88888888n, BAD],
  [legacy, 7279999n, 0n, 0xa00bc324, 7279999n, BAD],
  [mainnet, 15050000n, 0n, 0xf0afd0e3, 0n, OK],
  [mainnet, 15050000n, 0n, 0xf0afd0e3, 1681338455n, OK],
  [mainnet, 15050000n, 0n, 0xf0afd0e3, MAX, OK],
  [mainnet, 20000000n, 1681338455n, 0xf0afd0e3, 1681338455n, OK],
  [mainnet, 20123456n, 1681338456n, 0xf0afd0e3, 1681338455n, OK],
  [mainnet, 20000000n, 1681338455n, 0x20c327fc, 15050000n, OK],
  [mainnet, 15050000n, 0n, 0xdce96c2d, 0n, OK],
  [mainnet, 13773000n, 0n, 0xf0afd0e3, 0n, OK],
  [mainnet, 20000000n, 1681338455n, 0xf0afd0e3, 0n, STALE],
  [mainnet, 15050000n, 0n, checksumUpdate(0xf0afd0e3, MAX), 0n, BAD],
  [mainnet, 15050000n, 0n, checksumUpdate(0xdce96c2d, MAX), 0n, BAD],
  [mainnet, 888888888n, 1660000000n, 0xf0afd0e3, 1660000000n, BAD],
  [mainnet, 19999999n, 1667999999n, 0xf0afd0e3, 1667999999n, BAD],
  [mainnet, 20000000n, 1681338455n, 0xdce96c2d, 0n, OK],
  [mainnet, 20000000n, 1681338455n, 0xdce96c2d, MAX, OK],
  [mainnet, 20000000n, 1668000000n, 0xdce96c2d, 0n, OK],
  [mainnet, 20000000n, 1668000000n, 0xdce96c2d, 1710338135n, OK],
  [mainnet, 20000000n, 1668000000n, 0xdce96c2d, MAX, OK],
  [mainnet, 21000000n, 1710338135n, 0xdce96c2d, 1710338135n, OK],
  [mainnet, 21123456n, 1710338136n, 0xdce96c2d, 1710338135n, OK],
  [mainnet, 0n, 0n, 0x3edd5b10, 1710338135n, OK],
  [mainnet, 21000000n, 1700000000n, 0x9f3d2254, 0n, OK],
  [mainnet, 21000000n, 1678000000n, 0xc376cf8b, 0n, OK],
  [mainnet, 21000000n, 1710338135n, 0xdce96c2d, 0n, STALE],
  [mainnet, 20000000n, 1681338455n, checksumUpdate(0xdce96c2d, MAX), 0n, BAD],
  [mainnet, 20000000n, 1668000000n, checksumUpdate(0x9f3d2254, MAX), 0n, BAD],
  [mainnet, 20000000n, 1681338455n, 0x12345678, 0n, BAD],
  [mainnet, 88888888n, 8888888888n, 0x07c9462e, 8888888888n, BAD],
  [mainnet, 20999999n, 1699999999n, 0x71147644, 1700000000n, BAD],
]

describe('EIP-2124 fork id', () => {
  test('mainnet creation vectors (Frontier through BPO2)', () => {
    for (const [number, time, crc, next] of creation) {
      const got = computeForkId(mainnet, { number, time })
      expect({ at: `${number}/${time}`, hash: bytesToHex(got.hash), next: got.next }).toEqual({
        at: `${number}/${time}`,
        hash: bytesToHex(checksumToBytes(crc)),
        next,
      })
    }
  })

  test('validation vectors', () => {
    validation.forEach(([s, number, time, crc, next, want], i) => {
      expect({ i, v: validateForkId(s, { number, time }, id(crc, next)) }).toEqual({ i, v: want })
    })
  })

  test('time forks at or before genesis time are not hashed', () => {
    const t = 1690475657n
    const g = hexToBytes(`0x${'11'.repeat(32)}`)
    const base = computeForkId({ genesisHash: g, genesisTime: t, blockForks: [], timeForks: [] }, { number: 0n, time: t })
    for (const [sh, cn] of [[t - 1n, t + 1n], [t, t + 1n], [t + 1n, t + 2n]] as const) {
      const got = computeForkId({ genesisHash: g, genesisTime: t, blockForks: [0n], timeForks: [sh, cn] }, { number: 0n, time: t })
      expect(got).toEqual({ hash: base.hash, next: t + 1n })
    }
  })

  test('RLP encoding', () => {
    expect(bytesToHex(encodeRlp(forkIdToRlp(id(0, 0n))))).toBe('0xc6840000000080')
    expect(bytesToHex(encodeRlp(forkIdToRlp(id(0xdeadbeef, 0xbaddcafen))))).toBe('0xca84deadbeef84baddcafe')
    expect(bytesToHex(encodeRlp(forkIdToRlp(id(0xffffffff, MAX))))).toBe('0xce84ffffffff88ffffffffffffffff')
    expect(forkIdFromRlp(decodeRlp(hexToBytes('0xca84deadbeef84baddcafe')))).toEqual(id(0xdeadbeef, 0xbaddcafen))
    expect(() => forkIdFromRlp(decodeRlp(hexToBytes('0xc9830000008480000000')))).toThrow()
  })
})
