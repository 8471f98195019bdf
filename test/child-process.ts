/**
 * A child process for the process tests: a command spawned with one output stream read (stderr
 * or stdout, the other ignored) until each of a set of named patterns matches the text so far,
 * or it fails (the child exits first, or a deadline passes; the child is SIGKILLed). After
 * start-up the stream keeps being drained, so a chatty child never blocks on a full pipe, and
 * collected up to a size cap. Every child still running when the test process exits is
 * SIGKILLed, whatever a test's afterAll did.
 */
import { basename } from 'node:path'

export type Proc = ReturnType<typeof Bun.spawn>

export interface ChildOptions<K extends string> {
  /** All must match the text read before the child counts as started. */
  ready: Record<K, RegExp>
  /** The stream read and collected; the other one is ignored. Default stderr. */
  read?: 'stderr' | 'stdout'
  /** How long to wait for `ready` (ms); without it, until the child exits. */
  timeoutMs?: number
  /** The child's environment (default: this process's). */
  env?: Record<string, string | undefined>
  /** Its working directory (default: this process's). */
  cwd?: string
  /** Names it in errors (default: the command's file name). */
  name?: string
  /** After start-up, text is collected while there is less than this (default 64 M characters). */
  maxLog?: number
}

export interface Spawned<K extends string> {
  proc: Proc
  /** Each `ready` pattern's match. */
  match: Record<K, RegExpMatchArray>
  /** What it wrote up to start-up. */
  startLog: string
  /** What it has written so far (up to the cap). */
  log(): string
  /** Sends `signal` (SIGTERM) unless it has ended, SIGKILL 10 s later if it is still running; its exit code. */
  stop(signal?: NodeJS.Signals): Promise<number>
}

const live = new Set<Proc>()
process.once('exit', () => {
  for (const p of live) p.kill('SIGKILL')
})

/** Spawns `cmd` and resolves once every `ready` pattern has matched what it wrote on the stream read. */
export async function startChild<K extends string>(cmd: string[], opts: ChildOptions<K>): Promise<Spawned<K>> {
  const read = opts.read ?? 'stderr'
  const name = opts.name ?? basename(cmd[0]!)
  const cap = opts.maxLog ?? 64 * 1024 * 1024
  const proc = Bun.spawn(cmd, {
    stdin: 'ignore',
    stdout: read === 'stdout' ? 'pipe' : 'ignore',
    stderr: read === 'stderr' ? 'pipe' : 'ignore',
    ...(opts.env ? { env: opts.env } : {}),
    ...(opts.cwd ? { cwd: opts.cwd } : {}),
  })
  live.add(proc)
  void proc.exited.then(() => live.delete(proc))

  let text = ''
  let started = false
  let ended = false
  let wake = () => {}
  const reader = (proc[read] as ReadableStream<Uint8Array>).getReader()
  const decoder = new TextDecoder()
  void (async () => {
    for (;;) {
      const r = await reader.read().catch(() => ({ done: true as const, value: undefined }))
      if (r.done) break
      if (!started || text.length < cap) text += decoder.decode(r.value, { stream: true })
      wake()
    }
    ended = true
    wake()
  })()
  // a child that exits while something else holds the pipe open: give the last output a moment
  void proc.exited.then(() => Bun.sleep(500)).then(() => {
    ended = true
    wake()
  })

  const deadline = opts.timeoutMs === undefined ? Infinity : Date.now() + opts.timeoutMs
  try {
    for (;;) {
      const entries = Object.entries<RegExp>(opts.ready).map(([k, re]) => [k, text.match(re)] as const)
      if (entries.every(([, m]) => m)) {
        started = true
        return {
          proc,
          match: Object.fromEntries(entries) as Record<K, RegExpMatchArray>,
          startLog: text,
          log: () => text,
          async stop(signal = 'SIGTERM') {
            if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal)
            const t = setTimeout(() => proc.kill('SIGKILL'), 10_000)
            const code = await proc.exited
            clearTimeout(t)
            return code
          },
        }
      }
      if (ended) {
        const code = await Promise.race([proc.exited, Bun.sleep(500).then(() => 'its output closed')])
        throw new Error(`${name} exited (${code}) before it was ready:\n${text}`)
      }
      if (Date.now() >= deadline) throw new Error(`${name} did not start in ${opts.timeoutMs} ms:\n${text}`)
      await new Promise<void>((resolve) => {
        const t = deadline === Infinity ? undefined : setTimeout(resolve, deadline - Date.now())
        wake = () => {
          clearTimeout(t)
          resolve()
        }
      })
    }
  } catch (e) {
    proc.kill('SIGKILL')
    throw e
  }
}
