// Preloaded into @ethereumjs/client with `node --import` (test/interop/ethereumjs.ts): its RLPx
// listener and discovery socket bind to 0.0.0.0 with no flag to change it, and the interop tests
// stay on loopback. Every listen/bind on an unspecified host (none, '', 0.0.0.0, ::) is moved to
// 127.0.0.1; explicit hosts and unix sockets are left alone.
import dgram from 'node:dgram'
import net from 'node:net'

const LOOPBACK = '127.0.0.1'
const unspecified = (host) => host === undefined || host === null || host === '' || host === '0.0.0.0' || host === '::'

/** `(port, host?, ...rest)` with the host made loopback when it is missing or unspecified. */
function withHost(args) {
  if (typeof args[1] === 'string') {
    if (unspecified(args[1])) args[1] = LOOPBACK
  } else args.splice(1, 0, LOOPBACK)
  return args
}

const listen = net.Server.prototype.listen
net.Server.prototype.listen = function (...args) {
  const first = args[0]
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) withHost(args)
  else if (first && typeof first === 'object' && first.path === undefined && first.fd === undefined && first._handle === undefined && first.handle === undefined) {
    if (unspecified(first.host)) args[0] = { ...first, host: LOOPBACK }
  } else if (first === undefined || typeof first === 'function') args.unshift(0, LOOPBACK)
  return listen.apply(this, args)
}

const bind = dgram.Socket.prototype.bind
dgram.Socket.prototype.bind = function (...args) {
  const first = args[0]
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) withHost(args)
  else if (first && typeof first === 'object') {
    if (first.fd === undefined && unspecified(first.address)) args[0] = { ...first, address: LOOPBACK }
  } else if (first === undefined || typeof first === 'function') args.unshift(0, LOOPBACK)
  return bind.apply(this, args)
}
