/**
 * Structured logging: a message plus key=value fields, at geth's verbosity levels (0 silent,
 * 1 error, 2 warn, 3 info, 4 debug, 5 trace), written as text (`INFO [12-01|21:05:07.123]
 * message key=value`) or one JSON object per line (`--log.format json`). Errors go to stderr,
 * like geth, and so does everything else: stdout stays free for command output. On a terminal
 * the logger can keep one status line (a progress bar, status-line.ts) below its lines.
 */
import type { StatusLine } from './status-line.ts'

export type LogLevel = 'error' | 'warn' | 'info' | 'debug' | 'trace'
export type LogFields = Record<string, unknown>

const LEVELS: Record<LogLevel, number> = { error: 1, warn: 2, info: 3, debug: 4, trace: 5 }
const LABEL: Record<LogLevel, string> = { error: 'ERROR', warn: 'WARN ', info: 'INFO ', debug: 'DEBUG', trace: 'TRACE' }

export interface Logger {
  error(msg: string, fields?: LogFields): void
  warn(msg: string, fields?: LogFields): void
  info(msg: string, fields?: LogFields): void
  debug(msg: string, fields?: LogFields): void
  trace(msg: string, fields?: LogFields): void
  /** A logger that adds `fields` to every line (e.g. the component's name). */
  with(fields: LogFields): Logger
  /** Present on a terminal: shows `text` as the status line below the log lines (undefined removes it). */
  status?(text: string | undefined): void
}

export interface LoggerOptions {
  /** 0-5 as geth's --verbosity (default 3). */
  verbosity?: number
  format?: 'text' | 'json'
  write?: (line: string) => void
  /** A status line on the same output: lines are printed above it (and `Logger.status` sets it). */
  status?: StatusLine
  now?: () => Date
}

function show(v: unknown): string {
  if (typeof v === 'bigint') return v.toString()
  if (v instanceof Uint8Array) return `0x${Buffer.from(v).toString('hex')}`
  if (typeof v === 'string') return /[\s"=]/.test(v) ? JSON.stringify(v) : v
  if (v instanceof Error) return JSON.stringify(v.message)
  return JSON.stringify(v) ?? String(v)
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0')

export function createLogger(opts: LoggerOptions = {}, base: LogFields = {}): Logger {
  const verbosity = opts.verbosity ?? 3
  const status = opts.status
  const write = status ? status.print : (opts.write ?? ((line: string) => process.stderr.write(line)))
  const now = opts.now ?? (() => new Date())
  const emit = (level: LogLevel, msg: string, fields: LogFields = {}) => {
    if (LEVELS[level] > verbosity) return
    const all = { ...base, ...fields }
    const t = now()
    if (opts.format === 'json') {
      const rec: Record<string, unknown> = { t: t.toISOString(), lvl: level, msg }
      for (const [k, v] of Object.entries(all)) rec[k] = typeof v === 'bigint' ? v.toString() : v instanceof Uint8Array ? show(v) : v instanceof Error ? v.message : v
      write(`${JSON.stringify(rec)}\n`)
      return
    }
    const stamp = `${pad(t.getMonth() + 1)}-${pad(t.getDate())}|${pad(t.getHours())}:${pad(t.getMinutes())}:${pad(t.getSeconds())}.${pad(t.getMilliseconds(), 3)}`
    const kv = Object.entries(all).map(([k, v]) => `${k}=${show(v)}`).join(' ')
    write(`${LABEL[level]} [${stamp}] ${msg.padEnd(40)}${kv ? ` ${kv}` : ''}\n`)
  }
  return {
    error: (m, f) => emit('error', m, f),
    warn: (m, f) => emit('warn', m, f),
    info: (m, f) => emit('info', m, f),
    debug: (m, f) => emit('debug', m, f),
    trace: (m, f) => emit('trace', m, f),
    with: (fields) => createLogger(opts, { ...base, ...fields }),
    ...(status ? { status: (text: string | undefined) => status.set(text) } : {}),
  }
}

/** A logger that drops everything (tests, embedding). */
export const silentLogger: Logger = createLogger({ verbosity: 0 })
