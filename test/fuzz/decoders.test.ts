/**
 * Fuzzes every decoder with random bytes, with mutations of valid encodings (truncated,
 * extended, bit-flipped, bytes inserted or removed) and with structural changes of their RLP
 * (rlp-mutate.ts), from a fixed seed and a bounded count (`make fuzz` runs the same targets
 * for a chosen time: run.ts).
 * Each call must return or throw a MosaicError, never another exception, and never hang. When a
 * decoder accepts an input, re-encoding a fresh copy of the result must give the same bytes:
 * decoders are canonical. Decoded transactions also go through validation and recovery.
 */
import { describe, expect, test } from 'bun:test'
import { bytesToHex, MosaicError } from '../../src/primitives/index.ts'
import { DECODER_TARGETS, mutate, readCorpus, rng, type Target } from './decoder-targets.ts'
import { mutateRlp } from './rlp-mutate.ts'
import { WIRE_TARGETS } from './wire-targets.ts'

const TARGETS = [...DECODER_TARGETS, ...WIRE_TARGETS]

const SEED = 0x6d6f7361

function check(target: Target, input: Uint8Array, stats: { accepted: number; rejected: number }) {
  let reencoded: Uint8Array | null
  try {
    reencoded = target.run(input)
  } catch (err) {
    if (!(err instanceof MosaicError)) {
      throw new Error(`${target.name}: ${bytesToHex(input.subarray(0, 64))}… threw ${String(err)}`, { cause: err })
    }
    stats.rejected++
    return
  }
  stats.accepted++
  if (reencoded) expect(bytesToHex(reencoded)).toBe(bytesToHex(input))
}

describe('decoders under random and mutated input', () => {
  TARGETS.forEach((target, ti) => {
    test(
      target.name,
      () => {
        const r = rng(SEED + ti)
        const stats = { accepted: 0, rejected: 0 }
        for (const seed of target.seeds) check(target, seed, stats)
        expect(stats.accepted).toBe(target.seeds.length)
        // what `make fuzz` kept (test/fuzz/corpus) is replayed too
        for (const input of readCorpus(target.name)) check(target, input, stats)
        for (let i = 0; i < target.iterations; i++) {
          // One in four inputs is random bytes (some starting with a type byte), one in four a
          // structural change of a seed's RLP, the rest byte mutations.
          const seed = target.seeds[r.int(target.seeds.length)]!
          const input =
            i % 4 === 0
              ? r.int(3) === 0
                ? new Uint8Array([1 + r.int(4), ...r.bytes(r.int(200))])
                : r.bytes(r.int(300))
              : i % 4 === 1
                ? mutateRlp(r, seed)
                : mutate(r, seed)
          check(target, input, stats)
        }
        expect(stats.rejected).toBeGreaterThan(0)
      },
      20_000,
    )
  })
})
