/** Bytes a directory's files take on disk (allocated blocks, as `du` counts them). */
import { lstatSync, readdirSync } from 'node:fs'
import { join } from 'node:path'

export function diskUsage(path: string): number {
  let st: ReturnType<typeof lstatSync>
  try {
    st = lstatSync(path)
  } catch {
    return 0
  }
  if (!st.isDirectory()) return st.blocks * 512
  let total = 0
  for (const name of readdirSync(path)) total += diskUsage(join(path, name))
  return total
}
