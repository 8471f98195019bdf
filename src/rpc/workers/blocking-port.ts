/**
 * A synchronous request over a MessagePort, for a worker whose code cannot await (the EVM reads
 * state synchronously): post, then sleep in Atomics.wait until the other side has posted the
 * answer and notified, then take the answer with receiveMessageOnPort. The other side answers
 * from its event loop (`answerBlocking`), so it is never blocked itself.
 */
import { receiveMessageOnPort, type MessagePort } from 'node:worker_threads'

const WAKE_MS = 1_000

/** The requester's side: `ask(msg)` returns the answer. */
export function blockingRequester(port: MessagePort, signal: SharedArrayBuffer): (msg: unknown) => unknown {
  const word = new Int32Array(signal)
  return (msg) => {
    Atomics.store(word, 0, 0)
    port.postMessage(msg)
    for (;;) {
      const got = receiveMessageOnPort(port)
      if (got) return got.message
      // a notify may come before the wait; the short timeout covers it
      Atomics.wait(word, 0, 0, WAKE_MS)
    }
  }
}

/**
 * The answering side: each request through `answer`, its reply posted and the requester woken.
 * `answer` must not throw (the requester would sleep for good): it turns failures into replies.
 */
export function answerBlocking(port: MessagePort, signal: SharedArrayBuffer, answer: (msg: unknown) => unknown): void {
  const word = new Int32Array(signal)
  port.on('message', (msg: unknown) => {
    port.postMessage(answer(msg))
    Atomics.store(word, 0, 1)
    Atomics.notify(word, 0)
  })
}
