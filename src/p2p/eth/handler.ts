/**
 * eth protocol on an RLPx session: the Status exchange with fork-id validation (EIP-2124), then
 * typed message send/receive. A bad Status or undecodable message ends the session with the
 * fitting disconnect reason.
 *
 * Callers: the peer manager once `Session.ready` resolves; txpool and sync use `EthPeer`.
 */
import { equalBytes } from '../../primitives/index.ts'
import { DisconnectReason, P2pError } from '../errors.ts'
import type { Session } from '../rlpx/session.ts'
import { validateForkId, type ChainHead, type ForkSchedule } from './forkid.ts'
import { decodeEthMessage, encodeEthMessage, type EthMessage, type EthVersion, type Status } from './messages.ts'

export interface EthStartOptions {
  /** Our Status; its version must be the negotiated eth version. */
  status: Status
  /** Our fork schedule and head, to validate the remote fork id. */
  schedule: ForkSchedule
  head: ChainHead
  /** Time allowed for the remote Status (default 5 s). */
  timeoutMs?: number
}

export interface EthPeer {
  session: Session
  version: EthVersion
  remoteStatus: Status
  send(m: EthMessage): void
  /** Registers a handler for messages after Status. */
  onMessage(h: (m: EthMessage) => void): void
}

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
  let remoteStatus: Status | null = null
  return new Promise<EthPeer>((resolve, reject) => {
    const timer = setTimeout(() => abort(new P2pError('TIMEOUT', 'no eth status', { reason: DisconnectReason.PingTimeout })), opts.timeoutMs ?? 5000)
    const abort = (e: P2pError) => {
      clearTimeout(timer)
      session.disconnect(e.reason)
      reject(e)
    }
    void session.closed.then((c) => {
      clearTimeout(timer)
      reject(c.error ?? new P2pError('CLOSED', 'session closed during eth handshake', { reason: c.reason }))
    })
    const peer: EthPeer = {
      session,
      version,
      get remoteStatus() {
        return remoteStatus!
      },
      send(m) {
        const { code, payload } = encodeEthMessage(version, m)
        session.send('eth', code, payload)
      },
      onMessage(h) {
        handlers.push(h)
      },
    }
    session.onMessage((c, code, payload) => {
      if (c.name !== 'eth') return
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
        clearTimeout(timer)
        return resolve(peer)
      }
      if (!remoteStatus) return abort(new P2pError('PROTOCOL', 'message before status', { reason: DisconnectReason.SubprotocolError }))
      for (const h of handlers) h(m)
    })
    peer.send(opts.status)
  })
}
