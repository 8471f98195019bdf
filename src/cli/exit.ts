/**
 * Ending a CLI process without losing output. `process.exit` drops whatever stdout still holds
 * when it is a pipe (Bun hands the kernel 64 KiB and keeps the rest), so `mosaic statetest
 * --json | jq` would read a cut document. Instead the exit code is set and the process ends
 * when its output has drained; a handle left open by mistake cannot keep it alive, because a
 * last timer (unref'd: it alone does not hold the process) ends it after a grace period.
 *
 * A reader that goes away (`mosaic statetest --json | head`) makes the next write fail with
 * EPIPE; without a handler that is an uncaught error with a stack trace. `guardOutput` turns it
 * into exit status 141 (128 + SIGPIPE, what a tool killed by SIGPIPE reports), silently as
 * Unix tools do; any other write error on stdout or stderr exits 1 with one line.
 */
const GRACE_MS = 30_000

/** Exit status when stdout or stderr lost its reader (EPIPE). */
export const EPIPE_EXIT = 141

export function exitWhenDrained(code: number): void {
  process.exitCode = code
  setTimeout(() => process.exit(code), GRACE_MS).unref()
}

/** Installs the stdout/stderr write-error handlers (once, at the entry point). */
export function guardOutput(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(EPIPE_EXIT)
      const which = stream === process.stdout ? 'stdout' : 'stderr'
      try {
        if (stream !== process.stderr) process.stderr.write(`mosaic: writing ${which}: ${err.message}\n`)
      } finally {
        process.exit(1)
      }
    })
  }
}
