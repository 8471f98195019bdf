/**
 * What a store costs in CPU, memory and writes, measured rather than guessed. All the stores
 * run in this one process, so the process's totals cannot be split; instead:
 *
 * - Around each of a store's calls (apply, revert, flush), run one at a time by the testbed,
 *   the calling thread's counters: CPU from `process.threadCpuUsage()` (getrusage of the
 *   thread, µs), bytes written from /proc/thread-self/io — `write_bytes` (what the kernel
 *   accounts as sent to storage, counted when page-cache pages are dirtied; a page rewritten
 *   before write-back counts once) and `wchar` (bytes handed to write(2)-like calls) — and the
 *   process's RSS before and after a synchronous call (its growth while the store's code ran: a
 *   store's own maps and caches, not memory freed later by the garbage collector). A synchronous store (memory,
 *   SQLite, LMDB, RocksDB's foreground writes) does all its work in these calls.
 * - A store's own background threads (RocksDB's flush and compaction pool, threads named
 *   `rocksdb:*`), read from /proc/self/task/<tid>/{comm,stat,io}: counted to the RocksDB store when
 *   it is the process's only RocksDB user (the chain in memory), else reported as shared.
 * - A store whose work is done by another process (a PostgreSQL server) reports that process's
 *   counters itself (`StateStore.usage()`: its backend's /proc/<pid>/{stat,io,status}).
 *
 * Write amplification is bytes written (write_bytes, all three sources) over the logical bytes
 * of the diffs applied (`diffLogicalBytes`). Linux only: elsewhere the counters read 0.
 */
import { encodeFlatAccount } from '../../state/index.ts'
import { readIo } from '../proc-usage.ts'
import type { BlockDiff } from '../types.ts'

/** One store's calls, summed: CPU of the calling thread, its writes, and RSS growth. */
export class CallUsage {
  cpuMs = 0
  writeBytes = 0
  wchar = 0
  rssGrowthBytes = 0
  calls = 0

  /**
   * Runs `fn` and adds what the thread used meanwhile. RSS growth is counted only for a call
   * that completes synchronously: while an asynchronous one waits (for its server), other code
   * runs and the garbage collector with it.
   */
  async measure<T>(fn: () => T | Promise<T>): Promise<T> {
    const cpu = process.threadCpuUsage()
    const io = readIo('/proc/thread-self/io')
    const rss = process.memoryUsage.rss()
    let waited = false
    try {
      const r = fn()
      if (!(r instanceof Promise)) return r
      waited = true
      return await r
    } finally {
      const c = process.threadCpuUsage(cpu)
      const io2 = readIo('/proc/thread-self/io')
      this.cpuMs += (c.user + c.system) / 1000
      this.writeBytes += io2.writeBytes - io.writeBytes
      this.wchar += io2.wchar - io.wchar
      if (!waited) this.rssGrowthBytes += process.memoryUsage.rss() - rss
      this.calls++
    }
  }
}

/**
 * The logical bytes a diff writes, in the units of the chain's flat tables (as the testbed's
 * full comparison counts the state): per account its 20-byte key and its flat encoding (none
 * when deleted), per slot its 52-byte key and its value's minimal bytes, per code its hash and
 * its bytes.
 */
export function diffLogicalBytes(d: BlockDiff): number {
  let n = 0
  for (const c of d.codes) n += 32 + c.code.length
  for (const a of d.accounts) {
    n += 20 + (a.after ? encodeFlatAccount(a.after).length : 0)
    for (const [, , v] of a.slots) n += 52 + (v === 0n ? 0 : Math.ceil(v.toString(16).length / 2))
  }
  return n
}
