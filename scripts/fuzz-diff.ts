/**
 * `make fuzz-diff`: differential fuzzing of Mosaic against anvil (revm), Prague and Osaka.
 * Environment: COUNT (cases per fork, default 1000) or SECONDS (time per fork), SEED (first
 * seed, default 1), FORKS (default "prague,osaka"), KIND (only one case kind). Each case runs
 * from one seed and includes the t8n round trip; a difference prints the seed, the case shrunk
 * to what still differs, and the command that replays it; the exit code is 1 when any case
 * differs. At the end: cases run, opcodes and precompiles reached.
 */
import { fuzzDiff } from '../test/fuzz-diff/campaign.ts'

import { KINDS } from '../test/fuzz-diff/generate.ts'

const env = process.env
function whole(name: string, fallback: number): number {
  const v = env[name] === undefined || env[name] === '' ? fallback : Number(env[name])
  if (!Number.isSafeInteger(v) || v < 0) usage(`${name} must be a whole number, got ${env[name]}`)
  return v
}
function usage(why: string): never {
  console.error(`fuzz-diff: ${why}\nUsage: [COUNT=N | SECONDS=N] [SEED=N] [FORKS=prague,osaka] [KIND=${KINDS.join('|')}] make fuzz-diff`)
  process.exit(2)
}
const forks = (env.FORKS || 'prague,osaka').split(',').map((f) => f.trim())
for (const f of forks) if (f !== 'prague' && f !== 'osaka') usage(`unknown fork ${f} (prague or osaka)`)
if (env.KIND && !(KINDS as readonly string[]).includes(env.KIND)) usage(`unknown kind ${env.KIND}`)
const code = await fuzzDiff({
  count: env.SECONDS ? undefined : whole('COUNT', 1000),
  seconds: env.SECONDS ? whole('SECONDS', 0) : undefined,
  seed: whole('SEED', 1),
  forks: forks as ('prague' | 'osaka')[],
  kind: (env.KIND || undefined) as never,
  log: (line) => console.log(line),
})
process.exit(code)
