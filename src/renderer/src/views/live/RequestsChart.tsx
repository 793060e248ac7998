import { Bar, BarChart, CartesianGrid, Cell, Tooltip, XAxis, YAxis } from 'recharts'
import { useLive } from '../../store/LiveProvider'
import { useThrottled } from '../../store/use-throttled'
import { useThemeColors } from '../../ui/theme-colors'
import { Panel, Empty } from '../../ui/Panel'
import { STATUS_WORDS, count, statusClass } from '../../ui/format'
import { requestsTooltip } from './chart-words'

/** Webhook requests of the last hour by HTTP status: refusals (401, 403, 429) stand out. */
export function RequestsChart(): React.JSX.Element {
  const byStatus =
    useThrottled(
      useLive((s) => s.requestsByStatus),
      3000,
    ) ?? []
  const c = useThemeColors()
  const total = byStatus.reduce((n, s) => n + s.count, 0)
  const refused = byStatus.filter((s) => s.status >= 400).reduce((n, s) => n + s.count, 0)
  const data = byStatus.map((s) => ({ ...s, label: `${s.status} ${STATUS_WORDS[s.status] ?? ''}`.trim() }))
  const fill = (status: number): string => ({ ok: c.granted, client: c.warn, server: c.denied })[statusClass(status)]
  return (
    <Panel
      title="Requests by status"
      id="requests-chart"
      actions={
        <span className="hint">
          last hour · {count(refused)} of {count(total)} refused
        </span>
      }
    >
      {data.length === 0 ? (
        <Empty>No webhook requests in the last hour.</Empty>
      ) : (
        <BarChart
          responsive
          style={{ width: '100%', height: 170 }}
          data={data}
          layout="vertical"
          margin={{ top: 4, right: 48, bottom: 0, left: 8 }}
        >
          <CartesianGrid horizontal={false} stroke={c.grid} />
          <XAxis
            type="number"
            allowDecimals={false}
            tickFormatter={(v: number) => count(v)}
            tick={{ fill: c.dim, fontSize: 12 }}
            stroke={c.grid}
            tickLine={false}
          />
          <YAxis type="category" dataKey="label" width={165} tick={{ fill: c.text, fontSize: 13 }} stroke={c.grid} tickLine={false} />
          <Tooltip
            cursor={{ fill: c.grid, opacity: 0.4 }}
            contentStyle={{ background: c.surface, border: `1px solid ${c.grid}`, color: c.text }}
            labelFormatter={requestsTooltip.label}
            formatter={requestsTooltip.value}
          />
          <Bar
            dataKey="count"
            name="Requests"
            isAnimationActive={false}
            label={{ position: 'right', fill: c.text, fontSize: 13, formatter: (v: unknown) => count(Number(v)) }}
            maxBarSize={22}
          >
            {data.map((d) => (
              <Cell key={d.status} fill={fill(d.status)} />
            ))}
          </Bar>
        </BarChart>
      )}
    </Panel>
  )
}
