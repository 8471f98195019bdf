/**
 * The URL of a module loaded as a worker. From source it sits beside its caller; in a
 * `bun build --compile` executable (scripts/build.ts embeds every worker module as an entry
 * point) it is under the embedded root, which is src/ (the entry points' common folder), while
 * `import.meta.url` names the executable.
 */
export function workerUrl(callerUrl: string, beside: string, fromSrc: string): URL {
  return callerUrl.includes('/$bunfs/') ? new URL(fromSrc, callerUrl) : new URL(beside, callerUrl)
}
