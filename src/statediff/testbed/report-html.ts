/**
 * report.html: the report's per-window numbers as charts against the state's size (accounts
 * plus slots at the window's end): apply time p50, read latency p50 and bytes on disk, one line
 * per store. The SVG is drawn here, as text, so the file needs no script, no network and no
 * library to be read offline.
 */
import { cpuS, type Report } from './report.ts'

const mib = (n: number) => (n / 1024 / 1024).toFixed(1)

type Series = { name: string; points: [x: number, y: number][] }
interface Chart {
  id: string
  title: string
  unit: string
  series: Series[]
}

const W = 640
const H = 320
const M = { left: 64, right: 16, top: 16, bottom: 44 }
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf']

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

/** About five round ticks from 0 to at least `max`. */
function ticks(max: number): number[] {
  if (!(max > 0)) return [0, 1]
  const raw = max / 5
  const pow = 10 ** Math.floor(Math.log10(raw))
  const step = [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw)!
  const out = []
  for (let v = 0; v < max + step; v += step) out.push(Number(v.toPrecision(12)))
  return out
}

const label = (v: number) => (Math.abs(v) >= 1e6 ? `${Number((v / 1e6).toPrecision(3))}M` : Math.abs(v) >= 1e3 ? `${Number((v / 1e3).toPrecision(3))}k` : `${Number(v.toPrecision(3))}`)

/** One chart as an `<svg>`: axes with ticks, a polyline and dots per series, a legend. */
export function svgChart(c: Chart): string {
  const all = c.series.flatMap((s) => s.points)
  const xs = ticks(Math.max(...all.map((p) => p[0]), 0))
  const ys = ticks(Math.max(...all.map((p) => p[1]), 0))
  const xMax = xs[xs.length - 1]!
  const yMax = ys[ys.length - 1]!
  const px = (x: number) => M.left + (x / xMax) * (W - M.left - M.right)
  const py = (y: number) => H - M.bottom - (y / yMax) * (H - M.top - M.bottom)
  const parts: string[] = []
  for (const y of ys) parts.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${py(y)}" y2="${py(y)}" stroke="#eee"/><text x="${M.left - 6}" y="${py(y) + 4}" text-anchor="end">${label(y)}</text>`)
  for (const x of xs) parts.push(`<text x="${px(x)}" y="${H - M.bottom + 16}" text-anchor="middle">${label(x)}</text>`)
  parts.push(`<line x1="${M.left}" x2="${M.left}" y1="${M.top}" y2="${H - M.bottom}" stroke="#444"/><line x1="${M.left}" x2="${W - M.right}" y1="${H - M.bottom}" y2="${H - M.bottom}" stroke="#444"/>`)
  parts.push(`<text x="${(M.left + W - M.right) / 2}" y="${H - 8}" text-anchor="middle">state size (accounts + slots)</text>`)
  parts.push(`<text transform="translate(14 ${(M.top + H - M.bottom) / 2}) rotate(-90)" text-anchor="middle">${esc(c.unit)}</text>`)
  c.series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length]
    const pts = s.points.map(([x, y]) => `${px(x).toFixed(1)},${py(y).toFixed(1)}`)
    parts.push(`<g class="series" data-store="${esc(s.name)}" data-points="${s.points.length}"><polyline fill="none" stroke="${color}" stroke-width="2" points="${pts.join(' ')}"/>${pts.map((p) => `<circle r="2.5" fill="${color}" cx="${p.split(',')[0]}" cy="${p.split(',')[1]}"/>`).join('')}</g>`)
    parts.push(`<g transform="translate(${M.left + 12} ${M.top + 12 + i * 16})"><rect width="12" height="3" y="-4" fill="${color}"/><text x="18" y="0">${esc(s.name)}</text></g>`)
  })
  return `<svg class="chart" id="${c.id}" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(c.title)}" font-family="sans-serif" font-size="11">${parts.join('')}</svg>`
}

/** The charts of a report, from its per-window data. */
export function reportCharts(j: Report): Chart[] {
  const per = (y: (w: Report['stores'][number]['windows'][number]) => number): Series[] =>
    j.stores.map((s) => ({ name: s.name, points: s.windows.map((w) => [w.accounts + w.slots, y(w)] as [number, number]) }))
  return [
    { id: 'apply', title: 'Apply time per block, p50 per window', unit: 'ms', series: per((w) => w.applyMs.p50) },
    { id: 'read', title: 'Read latency of existing keys, p50 per window', unit: 'µs', series: per((w) => w.readUs.p50) },
    { id: 'disk', title: 'Bytes on disk', unit: 'MiB', series: per((w) => w.bytesOnDisk / 1024 / 1024) },
  ]
}

export function reportHtml(j: Report): string {
  const verdict = j.verdict === 'pass' ? 'every store verified' : j.verdict === 'interrupted' ? 'interrupted' : 'FAILED'
  const rows = j.stores
    .map(
      (s) =>
        `<tr><td>${esc(s.name)}</td><td>${esc(s.status)}</td><td>${s.applyMs.p50} / ${s.applyMs.p99} / ${s.applyMs.max}</td><td>${s.entriesPerSecond.toLocaleString('en-US')}</td><td>${mib(s.bytesOnDisk)}</td>` +
        `<td class="cpu">${cpuS(s.cpuMs)}</td><td class="rss">${s.rssGrowthBytes == null ? '–' : mib(s.rssGrowthBytes)}</td><td class="written">${s.writeBytes == null ? '–' : mib(s.writeBytes)}</td><td class="wamp">${s.writeAmplification ?? '–'}</td><td>${s.transitions ?? '–'}</td></tr>`,
    )
    .join('\n')
  const charts = reportCharts(j)
    .map((c) => `<figure><figcaption>${esc(c.title)} (${esc(c.unit)}), window of ${j.window} blocks</figcaption>\n${svgChart(c)}</figure>`)
    .join('\n')
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>statesync report: ${esc(verdict)}</title>
<style>body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}td:first-child,td:nth-child(2){text-align:left}figure{margin:1.5em 0}figcaption{font-weight:bold;margin-bottom:.5em}</style>
</head><body>
<h1>statesync report: ${esc(verdict)}</h1>
<p>${esc(j.chain.name)} (chain id ${esc(j.chain.chainId)}), source <code>${esc(j.source)}</code>; head block ${j.head.number}, ${j.blocksProcessed.toLocaleString('en-US')} blocks in ${(j.elapsedMs / 1000).toFixed(1)} s; ${j.state.accounts.toLocaleString('en-US')} accounts, ${j.state.slots.toLocaleString('en-US')} slots.</p>
<table id="stores"><thead><tr><th>store</th><th>status</th><th>apply p50 / p99 / max (ms)</th><th>diff entries/s</th><th>on disk (MiB)</th><th>CPU (s)</th><th>RSS growth (MiB)</th><th>written (MiB)</th><th>write amp.</th><th>transitions</th></tr></thead>
<tbody>
${rows}
</tbody></table>
${charts}
<h2>How CPU, RSS and writes are measured</h2>
<p id="method">${esc(j.method)}</p>
</body></html>
`
}
