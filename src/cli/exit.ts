/**
 * Ending a CLI process without losing output. `process.exit` drops whatever stdout still holds
 * when it is a pipe (Bun hands the kernel 64 KiB and keeps the rest), so `mosaic statetest
 * --json | jq` would read a cut document. Instead the exit code is set and the process ends
 * when its output has drained; a handle left open by mistake cannot keep it alive, because a
 * last timer (unref'd: it alone does not hold the process) ends it after a grace period.
 */
const GRACE_MS = 30_000

export function exitWhenDrained(code: number): void {
  process.exitCode = code
  setTimeout(() => process.exit(code), GRACE_MS).unref()
}
