/**
 * `make build`: one single-file executable per profile with `bun build --compile`, the native
 * addon embedded (src/crypto/native.ts requires it by a static path, which Bun bundles).
 * Prints each executable's size.
 */
import { statSync } from 'node:fs'
import { join } from 'node:path'

const root = join(import.meta.dir, '..')
/** Modules loaded as workers, embedded beside each entry (src/primitives/worker-url.ts finds them under the common root src/). */
const WORKERS = ['src/remote/bridge-worker.ts', 'src/rpc/workers/worker.ts']

const targets: { out: string; entry: string }[] = [
  { out: 'dist/mosaic', entry: 'src/cli/main.ts' },
  { out: 'dist/mosaic-execution', entry: 'src/cli/execution-main.ts' },
  { out: 'dist/mosaic-txpool', entry: 'src/cli/txpool-main.ts' },
  { out: 'dist/mosaic-node', entry: 'src/cli/node-main.ts' },
]

for (const t of targets) {
  // the Bun running this script, not one from PATH: `bun bench/node.bench.ts` may run without bun on PATH
  const proc = Bun.spawnSync([process.execPath, 'build', '--compile', '--minify', '--sourcemap', join(root, t.entry), ...WORKERS.map((w) => join(root, w)), '--outfile', join(root, t.out)], {
    stdout: 'inherit',
    stderr: 'inherit',
  })
  if (proc.exitCode !== 0) {
    console.error(`build of ${t.out} failed (exit ${proc.exitCode})`)
    process.exit(1)
  }
  const mb = statSync(join(root, t.out)).size / 1024 / 1024
  console.log(`${t.out}: ${mb.toFixed(1)} MiB`)
}
