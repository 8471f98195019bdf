/** 0xa0–0xa4 LOG0–LOG4: 375 + 375 per topic (static) + 8 per byte + memory. */
import type { Frame } from '../frame.ts'
import { useMemory } from '../frame-memory.ts'
import { charge } from '../gas-meter.ts'
import { S } from '../status.ts'
import { G_LOG_DATA } from '../gas.ts'

export function makeLog(topics: number): (f: Frame) => void {
  return (f) => {
    const s = f.stack
    const sp = (f.sp -= 2 + topics)
    const off = s[sp + topics + 1], size = s[sp + topics]
    if (f.isStatic) {
      f.status = S.StaticStateChange
      return
    }
    if (!useMemory(f, off, size)) return
    const n = Number(size)
    if (!charge(f, G_LOG_DATA * n)) return
    const t: bigint[] = new Array(topics)
    for (let i = 0; i < topics; i++) t[i] = s[sp + topics - 1 - i]!
    const start = n === 0 ? 0 : Number(off)
    f.ctx.logs.push({ address: f.address, topics: t, data: f.mem.slice(start, start + n) })
  }
}
