/**
 * cl-mock's failures, each one line for the exit message: the engine unreachable or refusing
 * the token (401: the secret is wrong), an answer that is not what the spec says, a payload the
 * engine did not accept, a followed block that cannot become a payload.
 */
import { createReader, EngineCallError, type Reader } from '../../../engine/index.ts'
import { MosaicError } from '../../../primitives/index.ts'

export class ClMockError extends MosaicError {
  override name = 'ClMockError'
  constructor(message: string, cause?: unknown) {
    super('CL_MOCK', message, { cause })
  }
}

/** Which endpoint a call went to: its flag names the fix. */
export type Endpoint = { role: 'engine'; url: string } | { role: 'followed node'; url: string }

/** A failed call as the one line a user can act on. */
export function callFailure(err: unknown, to: Endpoint): ClMockError {
  if (!(err instanceof EngineCallError)) return err instanceof ClMockError ? err : new ClMockError(err instanceof Error ? err.message : String(err), err)
  const flag = to.role === 'engine' ? '--engine' : '--follow'
  switch (err.failure) {
    case 'unreachable':
      return new ClMockError(`cannot reach the ${to.role} at ${to.url} (check ${flag}: is the node running${to.role === 'engine' ? ' with its Engine API on that port' : ''}?): ${err.details}`, err)
    case 'http':
      if (err.httpStatus === 401) return new ClMockError(`the engine at ${to.url} refused the JWT (HTTP 401): check --jwtsecret, it must be the node's secret file: ${err.details}`, err)
      return new ClMockError(`the ${to.role} at ${to.url} answered ${err.details}`, err)
    case 'malformed':
      return new ClMockError(`the ${to.role} at ${to.url} sent a malformed answer to ${err.method}: ${err.details}`, err)
    default:
      return new ClMockError(`${err.message} (${to.role} ${to.url})`, err)
  }
}

/** A reader of answers: each failure names what was read and fails the run. */
export function answerReader(what: string): Reader {
  return createReader((m) => new ClMockError(`${what}: ${m}`))
}
