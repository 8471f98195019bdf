/** The whole tree type-checks under tsconfig.json (strict): a type error fails the suite. */
import { expect, test } from 'bun:test'
import { join } from 'node:path'

test('tsc --noEmit reports no errors', () => {
  const root = join(import.meta.dir, '..')
  const tsc = join(root, 'node_modules/typescript/bin/tsc')
  const proc = Bun.spawnSync([process.execPath, tsc, '--noEmit', '-p', root], { cwd: root, stdout: 'pipe', stderr: 'pipe' })
  const out = proc.stdout.toString() + proc.stderr.toString()
  const errors = out.split('\n').filter((l) => l.includes('error TS'))
  expect(errors).toEqual([])
  expect(proc.exitCode).toBe(0)
}, 180_000)
