/** The on-disk size of a database directory, for the `db_size_bytes` gauge. */
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

/** Bytes of the files under `dir` (0 when it is absent); RocksDB keeps a few hundred files at most. */
export function directorySize(dir: string): number {
  let total = 0
  let entries
  try {
    entries = readdirSync(dir, { withFileTypes: true })
  } catch {
    return 0
  }
  for (const e of entries) {
    const p = join(dir, e.name)
    try {
      total += e.isDirectory() ? directorySize(p) : e.isFile() ? statSync(p).size : 0
    } catch {
      // a file removed by a compaction between the listing and the stat
    }
  }
  return total
}
