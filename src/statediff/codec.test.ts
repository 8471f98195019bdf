import { afterAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { utf8ToBytes } from '../primitives/index.ts'
import {
  chainDiffSource,
  createDiffFileSink,
  createStateDiffStream,
  decodeNotificationJson,
  decodeNotificationRlp,
  encodeNotificationJson,
  encodeNotificationRlp,
  invertDiff,
  readDiffFile,
  type Notification,
} from './index.ts'
import { generateWorkload, openWorkloadChain, parseWorkloadSpec } from './workload/index.ts'

const dir = mkdtempSync(join(tmpdir(), 'mosaic-statediff-codec-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** The notifications of a workload with reorgs and self-destructs, as a subscriber from genesis gets them. */
async function workloadNotifications(): Promise<Notification[]> {
  const spec = parseWorkloadSpec('generate:blocks=30,accounts=200,slots=800,seed=11,reorgs=7')
  const chain = openWorkloadChain(spec)
  const stream = createStateDiffStream(chainDiffSource(chain))
  const seen: Notification[] = []
  const sub = stream.subscribe({ onNotification: (n) => void seen.push(n) }, { name: 'codec' })
  for (const _ of generateWorkload(chain, spec)) await sub.caughtUp()
  stream.close()
  return seen
}

const notifications = await workloadNotifications()

describe('wire formats', () => {
  test('the workload covers every shape: reorgs, wiped storage, destructed accounts, new code', () => {
    expect(notifications.some((n) => n.kind === 'reorged')).toBe(true)
    const diffs = notifications.flatMap((n) => [...n.old, ...n.new])
    expect(diffs.some((d) => d.accounts.some((a) => a.wiped && a.slots.length > 0))).toBe(true)
    expect(diffs.some((d) => d.accounts.some((a) => a.before && !a.after))).toBe(true)
    expect(diffs.some((d) => d.codes.length > 0)).toBe(true)
  })

  test('JSON lines: every notification round-trips', () => {
    for (const n of notifications) {
      const line = encodeNotificationJson(n)
      expect(line.includes('\n')).toBe(false)
      expect(decodeNotificationJson(line)).toEqual(n)
    }
  })

  test('RLP: every notification round-trips, and is smaller than its JSON', () => {
    let rlp = 0
    let json = 0
    for (const n of notifications) {
      const bytes = encodeNotificationRlp(n)
      expect(decodeNotificationRlp(bytes)).toEqual(n)
      rlp += bytes.length
      json += encodeNotificationJson(n).length
    }
    expect(rlp * 2).toBeLessThan(json)
  })

  test('a reverted notification and an account without before or after round-trip', () => {
    const d = notifications[1]!.new[0]!
    const reverted: Notification = { kind: 'reverted', old: [invertDiff(d)], new: [] }
    expect(decodeNotificationRlp(encodeNotificationRlp(reverted))).toEqual(reverted)
    expect(decodeNotificationJson(encodeNotificationJson(reverted))).toEqual(reverted)
  })

  test('malformed input is refused with MALFORMED', () => {
    const n = notifications[2]!
    const line = JSON.parse(encodeNotificationJson(n))
    const bad = (mutate: (o: any) => void) => {
      const o = structuredClone(line)
      mutate(o)
      return () => decodeNotificationJson(JSON.stringify(o))
    }
    expect(() => decodeNotificationJson('{')).toThrow('invalid JSON')
    expect(bad((o) => (o.kind = 'reorged'))).toThrow('kind "reorged" with 0 old')
    expect(bad((o) => (o.new[0].hash = '0x12'))).toThrow('new[0].hash is not 32 bytes')
    expect(bad((o) => (o.new[0].accounts[0].slots = [['0x1', '0x2']]))).toThrow('is not [slot, before, after]')
    expect(bad((o) => (o.new[0].number = 5))).toThrow('new[0].number is not a quantity')
    const bytes = encodeNotificationRlp(n)
    expect(() => decodeNotificationRlp(bytes.subarray(0, bytes.length - 1))).toThrow('not a state-diff notification')
    expect(() => decodeNotificationRlp(utf8ToBytes('hello'))).toThrow()
  })

  test('file sink and reader, JSON lines and RLP, plain and gzip', async () => {
    for (const name of ['diffs.jsonl', 'diffs.jsonl.gz', 'diffs.rlp', 'diffs.rlp.gz']) {
      const path = join(dir, name)
      const sink = createDiffFileSink(path)
      for (const n of notifications) await sink.onNotification!(n)
      await sink.close()
      expect(sink.count).toBe(notifications.length)
      const back: Notification[] = []
      for await (const n of readDiffFile(path)) back.push(n)
      expect(back).toEqual(notifications)
    }
  })

  test('a cut RLP diff file is reported', async () => {
    const path = join(dir, 'cut.rlp')
    const whole = encodeNotificationRlp(notifications[0]!)
    writeFileSync(path, whole.subarray(0, whole.length - 3))
    const read = async () => {
      for await (const _ of readDiffFile(path));
    }
    await expect(read()).rejects.toMatchObject({ code: 'MALFORMED', shortMessage: `${path} ends inside a notification at offset 0` })
  })
})
