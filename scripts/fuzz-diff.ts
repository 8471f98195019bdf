/**
 * `make fuzz-diff`: differential fuzzing of Mosaic against anvil (revm), Prague and Osaka.
 * Environment: COUNT (cases per fork, default 1000) or SECONDS (time per fork), SEED (first
 * seed, default 1), FORKS (default "prague,osaka"), KIND (only one case kind). Each case runs
 * from one seed and includes the t8n round trip; a difference prints the seed, the case shrunk
 * to what still differs, and the command that replays it; the exit code is 1 when any case
 * differs. At the end: cases run, opcodes and precompiles reached.
 */
import { fuzzDiff } from '../test/fuzz-diff/campaign.ts'

const env = process.env
const code = await fuzzDiff({
  count: env.SECONDS ? undefined : Number(env.COUNT ?? 1000),
  seconds: env.SECONDS ? Number(env.SECONDS) : undefined,
  seed: Number(env.SEED ?? 1),
  forks: (env.FORKS ?? 'prague,osaka').split(',').map((f) => f.trim()) as ('prague' | 'osaka')[],
  kind: env.KIND as never,
  log: (line) => console.log(line),
})
process.exit(code)
