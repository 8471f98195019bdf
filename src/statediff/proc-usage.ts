/**
 * Reading a process's and its threads' resource counters from Linux's /proc: CPU (utime +
 * stime), bytes written (`write_bytes`, `wchar` of .../io) and RSS. Used by the testbed's
 * per-store measurements (./testbed/usage.ts) and by stores whose work another process does
 * (the PostgreSQL server's backend, ./stores/postgres.ts). Elsewhere than Linux they read 0.
 */
import { readdirSync, readFileSync } from 'node:fs'

export interface IoCounters {
  /** Bytes the kernel counted as sent to storage (page-dirtying time). */
  writeBytes: number
  /** Bytes passed to write calls. */
  wchar: number
}

const TICK_MS = 10 // USER_HZ is 100 on Linux

export function readIo(path: string): IoCounters {
  try {
    const t = readFileSync(path, 'utf8')
    const field = (k: string) => Number(new RegExp(`^${k}: (\\d+)$`, 'm').exec(t)?.[1] ?? 0)
    return { writeBytes: field('write_bytes'), wchar: field('wchar') }
  } catch {
    return { writeBytes: 0, wchar: 0 }
  }
}

/** utime + stime of a /proc stat file, ms (ticks of 10 ms). */
function readCpuMs(path: string): number {
  try {
    const t = readFileSync(path, 'utf8')
    const f = t.slice(t.lastIndexOf(')') + 2).split(' ')
    return (Number(f[11]) + Number(f[12])) * TICK_MS
  } catch {
    return 0
  }
}

/** CPU, I/O and RSS of another process (a database server's backend), from /proc/<pid>. */
export function processUsage(pid: number): { cpuMs: number; rssBytes: number } & IoCounters {
  let rssBytes = 0
  try {
    rssBytes = Number(/^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024
  } catch {}
  return { cpuMs: readCpuMs(`/proc/${pid}/stat`), rssBytes, ...readIo(`/proc/${pid}/io`) }
}

/** The counters of this process's threads whose name starts with `prefix`. */
export function threadsUsage(prefix: string): { cpuMs: number; threads: number } & IoCounters {
  const out = { cpuMs: 0, threads: 0, writeBytes: 0, wchar: 0 }
  let tids: string[] = []
  try {
    tids = readdirSync('/proc/self/task')
  } catch {
    return out
  }
  for (const tid of tids) {
    let comm = ''
    try {
      comm = readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim()
    } catch {
      continue
    }
    if (!comm.startsWith(prefix)) continue
    const io = readIo(`/proc/self/task/${tid}/io`)
    out.threads++
    out.cpuMs += readCpuMs(`/proc/self/task/${tid}/stat`)
    out.writeBytes += io.writeBytes
    out.wchar += io.wchar
  }
  return out
}
