import { describe, expect, test } from 'bun:test'
import { createDispatcher } from './dispatch.ts'
import { testNode } from './testing/harness.ts'
import { WsConnection, type WsSocket } from './ws.ts'

function fakeSocket(buffered: () => number = () => 0) {
  const sent: string[] = []
  const events: string[] = []
  const socket: WsSocket = {
    send: (d) => (sent.push(d), d.length),
    getBufferedAmount: buffered,
    close: (code) => events.push(`close ${code}`),
    terminate: () => events.push('terminate'),
  }
  return { socket, sent, events }
}

describe('WsConnection', () => {
  test('requests beyond the pending limit close the connection', async () => {
    const n = testNode({ limits: { wsMaxPendingRequests: 3 } })
    const slow = createDispatcher({ slow_call: () => Bun.sleep(20).then(() => 1) })
    const { socket, sent, events } = fakeSocket()
    const conn = new WsConnection(socket, slow, n.ctx)
    for (let i = 0; i < 3; i++) conn.receive(JSON.stringify({ jsonrpc: '2.0', id: i, method: 'slow_call' }))
    expect(events).toEqual([])
    conn.receive(JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'slow_call' }))
    expect(events).toEqual(['close 1008'])
    expect(conn.closed).toBe(true)
    await Bun.sleep(80)
    // what was still waiting is not answered on a closed connection
    expect(sent).toEqual([])
  })

  test('responses are in request order; a full send queue drops the client and its subscriptions', async () => {
    const n = testNode({ limits: { wsMaxSendQueueBytes: 100 } })
    let buffered = 0
    const { socket, sent, events } = fakeSocket(() => buffered)
    const d = createDispatcher({ a_one: () => Bun.sleep(10).then(() => 1), a_two: () => 2 })
    const conn = new WsConnection(socket, d, n.ctx)
    conn.receive(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'a_one' }))
    conn.receive(JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'a_two' }))
    await Bun.sleep(40)
    expect(sent.map((s) => JSON.parse(s).id)).toEqual([1, 2])
    let stopped = false
    expect(conn.add('0xsub', () => (stopped = true))).toBe(true)
    buffered = 1000
    expect(conn.send('x')).toBe(false)
    expect(events).toEqual(['terminate'])
    expect(stopped).toBe(true)
    expect(conn.notify('0xsub', 1)).toBe(false)
  })
})
