/**
 * engine_getClientVersionV1 (identification.md): the consensus client's ClientVersionV1 in, an
 * array with this client's one out. Mosaic's code is `MS` (unreserved in the spec's list and
 * clashing with no reserved code), the commit the first 4 bytes of the build's git commit.
 * Never logs (rule 1); any two-letter code from the caller is accepted (rule 2).
 */
import { params, positional } from '../fields.ts'
import type { EngineHandler } from '../types.ts'

export const CLIENT_CODE = 'MS'
export const CLIENT_NAME = 'Mosaic'

export interface ClientVersionV1 {
  code: string
  name: string
  version: string
  /** `DATA`, 4 bytes. */
  commit: string
}

/**
 * The build's commit as 4 bytes of hex: `MOSAIC_COMMIT` when a build sets it, else the git
 * checkout's HEAD, else zeros. Asked once, on first use.
 */
export function detectCommit(env: Record<string, string | undefined> = process.env, cwd = import.meta.dir): string {
  const fromEnv = env.MOSAIC_COMMIT?.replace(/^0x/, '')
  if (fromEnv && /^[0-9a-fA-F]{8,}$/.test(fromEnv)) return `0x${fromEnv.slice(0, 8).toLowerCase()}`
  try {
    const r = Bun.spawnSync(['git', 'rev-parse', 'HEAD'], { cwd, stdout: 'pipe', stderr: 'ignore' })
    const out = r.stdout.toString().trim()
    if (r.exitCode === 0 && /^[0-9a-f]{40,64}$/.test(out)) return `0x${out.slice(0, 8)}`
  } catch {
    // no git here: a compiled binary away from its checkout
  }
  return '0x00000000'
}

/** `version`: the node's (src/node/version.ts VERSION); `commit`: `0x` + 8 hex digits, or how to find it. */
export function getClientVersionV1(deps: { version: string; commit?: string | (() => string) }): EngineHandler {
  let commit: string | undefined
  const ours = (): ClientVersionV1 => {
    commit ??= typeof deps.commit === 'string' ? deps.commit : (deps.commit ?? detectCommit)()
    return { code: CLIENT_CODE, name: CLIENT_NAME, version: deps.version, commit }
  }
  return (raw) => {
    const theirs = params.object(positional(raw, 1)[0], 'clientVersion', ['code', 'name', 'version', 'commit'])
    for (const k of ['code', 'name', 'version', 'commit']) if (typeof theirs[k] !== 'string') params.fail(`clientVersion.${k}`, 'expected a string')
    return [ours()]
  }
}
