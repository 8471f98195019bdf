/**
 * The NATS connection both ends of the JetStream stream use (./nats-sink.ts, ./nats-source.ts):
 * connecting with a clear error, and telling JetStream's API errors apart by their code.
 */
import { connect, type NatsConnection } from 'nats'
import { StateDiffError } from './errors.ts'

/** Connects to `server` (`host:port`); a server that cannot be reached is STORE_FAILED naming it and `who`. */
export async function connectNats(server: string, who: string): Promise<NatsConnection> {
  try {
    // reconnects forever while running: a restarted server is picked up again
    return await connect({ servers: server, name: who, timeout: 5000, maxReconnectAttempts: -1, reconnectTimeWait: 500 })
  } catch (e) {
    throw new StateDiffError('STORE_FAILED', `${who}: cannot connect to NATS at ${server}`, { details: e instanceof Error ? e.message : String(e), cause: e })
  }
}

/** JetStream's own error code (`err_code`, e.g. 10059 stream not found), when `e` is an API error. */
export function jsErrorCode(e: unknown): number | undefined {
  const api = (e as { api_error?: { err_code?: number } } | undefined)?.api_error
  return api?.err_code
}

export const JS_STREAM_NOT_FOUND = 10059
export const JS_CONSUMER_NOT_FOUND = 10014
export const JS_WRONG_LAST_SEQUENCE = 10071
export const JS_NO_MESSAGE = 10037

export const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e))
