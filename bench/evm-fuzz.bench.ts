/**
 * The compiling tier against the interpreter on random programs (src/evm/testing/differential.ts:
 * jumps, loops, calls, reverts, out-of-gas at every depth): `bun bench/evm-fuzz.bench.ts [N]`
 * (default 100,000 cases, MOSAIC_FUZZ_SEED picks the seed). Any difference fails the run with
 * the program printed. Prints cases per second.
 */
import { fuzzTiers } from '../src/evm/testing/differential.ts'

export async function run(count = Number(process.argv[2] ?? 100_000)): Promise<void> {
  const seed = Number(process.env.MOSAIC_FUZZ_SEED ?? Date.now() % 1_000_000)
  console.log(`\nEVM tiers, differential: ${count} random programs, seed ${seed}`)
  const t = performance.now()
  const diffs = fuzzTiers(seed, count)
  const s = (performance.now() - t) / 1000
  if (diffs.length > 0) throw new Error(`compiled tier differs from the interpreter:\n${diffs.join('\n')}`)
  console.log(`  ${count} cases agree (status, gas, refund, output, logs, storage) in ${s.toFixed(1)} s, ${(count / s).toFixed(0)} cases/s`)
}

if (import.meta.main) await run()
