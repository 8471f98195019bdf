/**
 * debug_trace* options (geth's TraceConfig / TraceCallConfig): which tracer — the struct logger
 * by default, `callTracer`, `prestateTracer` — with its config, and a Go duration `timeout`.
 */
import { InvalidParamsError, UnsupportedError } from '../errors.ts'
import { bool, field, knownFields, object, smallNumber, type At } from '../params.ts'
import type { CallTracerOptions } from './call-tracer.ts'
import type { PrestateOptions } from './prestate-tracer.ts'
import type { StructLoggerOptions } from './struct-logger.ts'

export type TraceConfig =
  | { tracer: 'struct'; opts: StructLoggerOptions; timeoutMs?: number }
  | { tracer: 'callTracer'; opts: CallTracerOptions; timeoutMs?: number }
  | { tracer: 'prestateTracer'; opts: PrestateOptions; timeoutMs?: number }

const UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 }

/** A Go duration ("5s", "1m30s", "250ms") in milliseconds. */
export function parseDuration(v: unknown, at: At): number {
  if (typeof v !== 'string' || v.length === 0 || v.length > 32) throw new InvalidParamsError(`invalid argument ${at}: expected a duration such as "5s"`)
  let ms = 0
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/y
  let i = 0
  while (i < v.length) {
    re.lastIndex = i
    const m = re.exec(v)
    if (!m) throw new InvalidParamsError(`invalid argument ${at}: time: invalid duration ${JSON.stringify(v)}`)
    ms += Number(m[1]) * UNITS[m[2]!]!
    i = re.lastIndex
  }
  return ms
}

const flag = (o: Record<string, unknown>, k: string, at: At) => (o[k] == null ? undefined : bool(o[k], field(at, k)))

export function parseTraceConfig(v: unknown, at: At, extra: readonly string[] = []): TraceConfig {
  const o = v == null ? {} : object(v, at)
  knownFields(o, at, ['tracer', 'tracerConfig', 'timeout', 'reexec', 'disableStack', 'enableMemory', 'disableStorage', 'enableReturnData', 'limit', 'debug', ...extra])
  const timeoutMs = o.timeout == null ? undefined : parseDuration(o.timeout, field(at, 'timeout'))
  const cfg = o.tracerConfig == null ? {} : object(o.tracerConfig, field(at, 'tracerConfig'))
  const cat = field(at, 'tracerConfig')
  switch (o.tracer ?? undefined) {
    case undefined:
    case '':
      return {
        tracer: 'struct',
        timeoutMs,
        opts: {
          disableStack: flag(o, 'disableStack', at),
          enableMemory: flag(o, 'enableMemory', at),
          disableStorage: flag(o, 'disableStorage', at),
          enableReturnData: flag(o, 'enableReturnData', at),
          limit: o.limit == null ? undefined : typeof o.limit === 'number' ? o.limit : smallNumber(o.limit, field(at, 'limit')),
        },
      }
    case 'callTracer':
      knownFields(cfg, cat, ['onlyTopCall', 'withLog'])
      return { tracer: 'callTracer', timeoutMs, opts: { onlyTopCall: flag(cfg, 'onlyTopCall', cat), withLog: flag(cfg, 'withLog', cat) } }
    case 'prestateTracer':
      knownFields(cfg, cat, ['diffMode', 'disableCode', 'disableStorage'])
      return { tracer: 'prestateTracer', timeoutMs, opts: { diffMode: flag(cfg, 'diffMode', cat), disableCode: flag(cfg, 'disableCode', cat), disableStorage: flag(cfg, 'disableStorage', cat) } }
    default:
      if (typeof o.tracer !== 'string') throw new InvalidParamsError(`invalid argument ${field(at, 'tracer')}: expected a tracer name`)
      throw new UnsupportedError(`tracer ${JSON.stringify(o.tracer)} is not supported: use the default struct logger, callTracer or prestateTracer (JavaScript tracers are not available)`)
  }
}
