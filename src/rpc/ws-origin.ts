/**
 * Which web pages may open a WebSocket (`--ws.origins`), as geth decides it. A browser sends
 * the page's Origin with every upgrade and, unlike a POST, a WebSocket needs no CORS preflight:
 * without this check any page the user visits could drive the node (a dev node's unlocked
 * accounts). So:
 * - no Origin header (curl, a script, another server): allowed;
 * - no --ws.origins: only pages served from this machine (localhost, 127.0.0.1, ::1; any
 *   scheme and port);
 * - --ws.origins LIST: those origins (`*` for any); an entry without a scheme matches any
 *   scheme, one without a port any port (`localhost` allows `http://localhost:3000`).
 */
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]'])

interface OriginParts {
  scheme?: string
  host: string
  port?: string
}

/** `scheme://host:port` (each part but the host optional), lower-cased; undefined when it is not one. */
function parts(origin: string): OriginParts | undefined {
  const m = /^(?:([a-z][a-z0-9+.-]*):\/\/)?(\[[0-9a-f:.]+\]|[^/:[\]]+)(?::([0-9]{1,5}))?\/?$/i.exec(origin.trim())
  if (!m) return undefined
  return { scheme: m[1]?.toLowerCase(), host: m[2]!.toLowerCase(), port: m[3] }
}

/** Whether a WebSocket upgrade carrying `origin` (null: no header) is let in under `allowed`. */
export function wsOriginAllowed(origin: string | null, allowed: readonly string[] | undefined): boolean {
  if (origin === null) return true
  const o = parts(origin)
  if (!o) return false
  if (!allowed || allowed.length === 0) return LOCAL_HOSTS.has(o.host)
  return allowed.some((entry) => {
    if (entry === '*') return true
    const a = parts(entry)
    return !!a && a.host === o.host && (a.scheme === undefined || a.scheme === o.scheme) && (a.port === undefined || a.port === o.port)
  })
}
