/**
 * eth protocol on an RLPx session: the Status exchange with fork-id validation (EIP-2124), then
 * typed message send/receive. A bad Status or undecodable message ends the session with the
 * fitting disconnect reason.
 *
 * Callers: the eth service (service.ts) once `Session.ready` resolves; its subscribers (txpool,
 * sync) use `EthPeer`.
 */
import { bytesToHex, equalBytes } from '../../primitives/index.ts'
import { DisconnectReason, P2pError } from '../errors.ts'
import type { Session } from '../rlpx/session.ts'
import { validateForkId, type ChainHead, type ForkSchedule } from '../../chainspec/index.ts'
import { decodeEthMessage, encodeEthMessage, type EthMessage, type EthVersion, type Status } from './messages.ts'
import { RESPONSE_OF, checkIncomingRequest, requestedCount, responseCount, tokenBucket, type EthRequest, type EthRequestInput, type EthResponse } from './requests.ts'

export interface EthStartOptions {
  /** Our Status; its version must be the negotiated eth version. */
  status: Status
  /** Our fork schedule and head, to validate the remote fork id. */
  schedule: ForkSchedule
  head: ChainHead
  /** Time allowed for the remote Status (default 5 s). */
  timeoutMs?: number
  /** Time allowed for each response to `request` (default 10 s). */
  requestTimeoutMs?: number
  /** Requests of ours awaiting a response at once (default 16). */
  maxInFlight?: number
  /** Incoming eth messages per second and burst before the peer counts as flooding (default 500/s, 1000). */
  messageRate?: number
  messageBurst?: number
  /** Told of misbehaviour short of a protocol breach (a request that timed out); the peer manager scores it. */
  penalise?: (points: number, why: string) => void
}

/** The blocks a peer serves (eth/69, EIP-7642): from its Status, then its BlockRangeUpdates. */
export interface BlockRange {
  earliest: bigint
  latest: bigint
  latestHash: Uint8Array
}

export interface EthPeer {
  session: Session
  /** Hex node id. */
  readonly key: string
  version: EthVersion
  remoteStatus: Status
  /** eth/69: the range it last announced; undefined on eth/68. */
  readonly range: BlockRange | undefined
  /**
   * Sends a message; false when it was not sent because the peer's send buffer is full
   * (Transactions and NewPooledTransactionHashes are dropped then, anything else ends the session).
   */
  send(m: EthMessage): boolean
  /**
   * Registers a handler for messages after Status (responses to `request` are not passed on).
   * Messages that arrive before the first handler (right behind the Status, in the same read)
   * are queued, up to `EARLY_QUEUE`, and delivered to it.
   */
  onMessage(h: (m: EthMessage) => void): void
  /** Sends a request under a fresh request id and resolves with its response. */
  request(m: EthRequestInput): Promise<EthResponse>
  /** Requests awaiting a response. */
  readonly inFlight: number
}

/** Messages kept for the first `onMessage` handler; beyond this they are dropped. */
export const EARLY_QUEUE = 256

/** Score points a peer loses for a request it left unanswered. */
export const REQUEST_TIMEOUT_PENALTY = 10

/** Why a remote Status is refused (or null when it is acceptable). */
export function checkStatus(local: Status, remote: Status, schedule: ForkSchedule, head: ChainHead): P2pError | null {
  const fail = (details: string) => new P2pError('STATUS', 'status rejected', { details, reason: DisconnectReason.SubprotocolError })
  if (remote.version !== local.version) return fail('version mismatch')
  if (remote.networkId !== local.networkId) return fail('network id mismatch')
  if (!equalBytes(remote.genesisHash, local.genesisHash)) return fail('genesis mismatch')
  const verdict = validateForkId(schedule, head, remote.forkId)
  if (verdict !== 'ok') return new P2pError('FORKID', 'fork id rejected', { details: verdict, reason: DisconnectReason.SubprotocolError })
  if (remote.version === 69 && remote.earliestBlock > remote.latestBlock) return fail('earliest block after latest')
  return null
}

/** Sends our Status, waits for and validates the remote's, and returns the eth peer. */
export function startEth(session: Session, opts: EthStartOptions): Promise<EthPeer> {
  const cap = session.capability('eth')
  if (!cap || (cap.version !== 68 && cap.version !== 69)) {
    session.disconnect(DisconnectReason.UselessPeer)
    return Promise.reject(new P2pError('PROTOCOL', 'eth/68 or eth/69 not negotiated', { reason: DisconnectReason.UselessPeer }))
  }
  const version = cap.version as EthVersion
  const handlers: ((m: EthMessage) => void)[] = []
  let early: EthMessage[] = []
  let remoteStatus: Status | null = null
  let range: BlockRange | undefined
  let key: string | undefined
  let nextId = BigInt(Math.floor(Math.random() * 2 ** 32))
  const pending = new Map<bigint, { kind: EthResponse['kind']; max: number; resolve(m: EthResponse): void; reject(e: Error): void; timer: ReturnType<typeof setTimeout> }>()
  const maxInFlight = opts.maxInFlight ?? 16
  const bucket = tokenBucket(opts.messageRate ?? 500, opts.messageBurst ?? 1000)
  const failPending = (e: Error) => {
    for (const p of pending.values()) {
      clearTimeout(p.timer)
      p.reject(e)
    }
    pending.clear()
  }
  return new Promise<EthPeer>((resolve, reject) => {
    const timer = setTimeout(() => abort(new P2pError('TIMEOUT', 'no eth status', { reason: DisconnectReason.PingTimeout })), opts.timeoutMs ?? 5000)
    const abort = (e: P2pError) => {
      clearTimeout(timer)
      session.disconnect(e.reason, e)
      reject(e)
    }
    void session.closed.then((c) => {
      clearTimeout(timer)
      const e = c.error ?? new P2pError('CLOSED', 'session closed', { reason: c.reason })
      failPending(e)
      reject(e)
    })
    const peer: EthPeer = {
      session,
      version,
      get key() {
        return (key ??= bytesToHex(session.remoteId!))
      },
      get remoteStatus() {
        return remoteStatus!
      },
      get range() {
        return range
      },
      send(m) {
        const { code, payload } = encodeEthMessage(version, m)
        return session.send('eth', code, payload, { droppable: m.kind === 'Transactions' || m.kind === 'NewPooledTransactionHashes' })
      },
      onMessage(h) {
        handlers.push(h)
        const queued = early
        early = []
        for (const m of queued) h(m)
      },
      get inFlight() {
        return pending.size
      },
      request(req) {
        if (pending.size >= maxInFlight) return Promise.reject(new P2pError('PROTOCOL', 'too many requests in flight', { details: `${pending.size}` }))
        const requestId = nextId++
        const m = { ...req, requestId } as unknown as EthRequest
        return new Promise((res, rej) => {
          const t = setTimeout(() => {
            pending.delete(requestId)
            opts.penalise?.(REQUEST_TIMEOUT_PENALTY, `no response to ${m.kind}`)
            rej(new P2pError('TIMEOUT', `no response to ${m.kind}`, { reason: DisconnectReason.PingTimeout }))
          }, opts.requestTimeoutMs ?? 10_000)
          pending.set(requestId, { kind: RESPONSE_OF[m.kind], max: requestedCount(m), resolve: res as (r: EthResponse) => void, reject: rej, timer: t })
          try {
            if (!peer.send(m)) throw new P2pError('CLOSED', 'session ended: send buffer full', { reason: DisconnectReason.TcpError })
          } catch (e) {
            clearTimeout(t)
            pending.delete(requestId)
            rej(e)
          }
        })
      },
    }
    session.onMessage((c, code, payload) => {
      if (c.name !== 'eth') return
      if (!bucket.take()) return abort(new P2pError('PROTOCOL', 'message flood', { reason: DisconnectReason.UselessPeer }))
      let m: EthMessage
      try {
        m = decodeEthMessage(version, code, payload)
      } catch (e) {
        const err = e instanceof P2pError ? e : new P2pError('MESSAGE_INVALID', 'bad eth message', { cause: e })
        return abort(new P2pError(err.code, err.shortMessage, { cause: err, reason: DisconnectReason.SubprotocolError }))
      }
      if (m.kind === 'Status') {
        if (remoteStatus) return abort(new P2pError('PROTOCOL', 'second status', { reason: DisconnectReason.SubprotocolError }))
        const bad = checkStatus(opts.status, m, opts.schedule, opts.head)
        if (bad) return abort(bad)
        remoteStatus = m
        if (m.version === 69) range = { earliest: m.earliestBlock, latest: m.latestBlock, latestHash: m.latestBlockHash }
        clearTimeout(timer)
        return resolve(peer)
      }
      if (!remoteStatus) return abort(new P2pError('PROTOCOL', 'message before status', { reason: DisconnectReason.SubprotocolError }))
      const badRequest = checkIncomingRequest(m)
      if (badRequest) return abort(badRequest)
      if (m.kind === 'BlockRangeUpdate') {
        if (m.earliestBlock > m.latestBlock) return abort(new P2pError('PROTOCOL', 'block range update: earliest block after latest', { reason: DisconnectReason.SubprotocolError }))
        range = { earliest: m.earliestBlock, latest: m.latestBlock, latestHash: m.latestBlockHash }
      }
      if (m.kind === 'BlockHeaders' || m.kind === 'BlockBodies' || m.kind === 'Receipts' || m.kind === 'PooledTransactions') {
        const p = pending.get(m.requestId)
        if (!p || p.kind !== m.kind) return abort(new P2pError('PROTOCOL', 'unsolicited response', { details: `${m.kind} id ${m.requestId}`, reason: DisconnectReason.SubprotocolError }))
        if (responseCount(m) > p.max) return abort(new P2pError('PROTOCOL', 'response larger than requested', { details: m.kind, reason: DisconnectReason.SubprotocolError }))
        pending.delete(m.requestId)
        clearTimeout(p.timer)
        return p.resolve(m)
      }
      if (handlers.length === 0) {
        if (early.length < EARLY_QUEUE) early.push(m)
        return
      }
      for (const h of handlers) h(m)
    })
    peer.send(opts.status)
  })
}
