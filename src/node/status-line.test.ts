/** The terminal status line: drawn, redrawn only when it changes, kept below the lines printed above it. */
import { expect, test } from 'bun:test'
import { createLogger } from './log.ts'
import { createStatusLine, progressBar, statusLineWanted } from './status-line.ts'

const CLEAR = '\r\x1b[2K'

test('set draws and redraws in place, print keeps the status line below the printed lines, done leaves it as a line', () => {
  const out: string[] = []
  const s = createStatusLine({ write: (t) => void out.push(t) })
  s.print('before\n')
  s.set('bar 1')
  s.set('bar 1') // unchanged: nothing written
  s.print('a log line\n')
  s.set('bar 2')
  s.done()
  s.print('after\n')
  expect(out).toEqual(['before\n', `${CLEAR}bar 1`, `${CLEAR}a log line\nbar 1`, `${CLEAR}bar 2`, '\n', 'after\n'])
  s.set('x')
  s.set(undefined)
  s.set(undefined)
  expect(out.slice(6)).toEqual([`${CLEAR}x`, CLEAR])
})

test('a status line wider than the terminal is cut to fit (a wrapped one could not be redrawn)', () => {
  const out: string[] = []
  const s = createStatusLine({ write: (t) => void out.push(t), columns: () => 10 })
  s.set('0123456789abcdef')
  expect(out).toEqual([`${CLEAR}012345678`])
})

test('progressBar fills its width by the fraction, clamped', () => {
  expect(progressBar(0, 10)).toBe('[          ]')
  expect(progressBar(0.5, 10)).toBe('[=====>    ]')
  expect(progressBar(1, 10)).toBe('[==========]')
  expect(progressBar(2, 4)).toBe('[====]')
  expect(progressBar(Number.NaN, 4)).toBe('[    ]')
})

test('a status line only on a terminal without NO_COLOR or TERM=dumb', () => {
  expect(statusLineWanted(true, {})).toBe(true)
  expect(statusLineWanted(false, {})).toBe(false)
  expect(statusLineWanted(true, { NO_COLOR: '1' })).toBe(false)
  expect(statusLineWanted(true, { TERM: 'dumb' })).toBe(false)
})

test('a logger with a status line prints its lines above it and sets it through Logger.status', () => {
  const out: string[] = []
  const log = createLogger({ status: createStatusLine({ write: (t) => void out.push(t) }), now: () => new Date(2024, 0, 2, 3, 4, 5, 6) }).with({ component: 'sync' })
  log.status!('Syncing [=>  ]')
  log.info('Syncing', { number: 5 })
  expect(out).toEqual([`${CLEAR}Syncing [=>  ]`, `${CLEAR}INFO  [01-02|03:04:05.006] ${'Syncing'.padEnd(40)} component=sync number=5\nSyncing [=>  ]`])
  expect(createLogger({ write: () => {} }).status).toBeUndefined()
})
