import { useMemo } from 'react'
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts'
import { useLive } from '../../store/LiveProvider'
import { useMinute } from '../../store/use-now'
import { useThrottled } from '../../store/use-throttled'
import { useThemeColors } from '../../ui/theme-colors'
import { Panel } from '../../ui/Panel'
import { lastHour } from './chart-series'
import { count } from '../../ui/format'
import { scansTooltip } from './chart-words'

/** Scans per minute over the last hour, granted and denied stacked; denied is also hatched. */
export function ScansChart(): React.JSX.Element {
  // Charts redraw at most every 3 s: under a burst, batches arrive ten times a second and a
  // redraw costs tens of milliseconds (the counters stay exact and immediate).
  const minutes = useThrottled(
    useLive((s) => s.minutes),
    3000,
  )
  const minuteNow = useMinute()
  const data = useMemo(() => lastHour(minutes ?? [], minuteNow * 60_000), [minutes, minuteNow])
  const c = useThemeColors()
  const granted = data.reduce((n, s) => n + s.granted, 0)
  const denied = data.reduce((n, s) => n + s.denied, 0)
  return (
    <Panel
      title="Scans per minute"
      id="scans-chart"
      actions={
        <span className="hint">
          last hour · {count(granted)} granted · {count(denied)} denied
        </span>
      }
    >
      <BarChart
        responsive
        style={{ width: '100%', height: 170 }}
        data={data}
        margin={{ top: 8, right: 8, bottom: 0, left: -16 }}
        barCategoryGap={1}
      >
        <defs>
          <pattern id="denied-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
            <rect width="6" height="6" fill={c.denied} />
            <line x1="0" y1="0" x2="0" y2="6" stroke={c.surface} strokeWidth="2" strokeOpacity="0.55" />
          </pattern>
        </defs>
        <CartesianGrid vertical={false} stroke={c.grid} />
        <XAxis dataKey="label" interval={9} tick={{ fill: c.dim, fontSize: 12 }} stroke={c.grid} tickLine={false} />
        <YAxis allowDecimals={false} tick={{ fill: c.dim, fontSize: 12 }} stroke={c.grid} tickLine={false} width={48} />
        <Tooltip
          cursor={{ fill: c.grid, opacity: 0.4 }}
          contentStyle={{ background: c.surface, border: `1px solid ${c.grid}`, color: c.text }}
          labelFormatter={scansTooltip.label}
          formatter={scansTooltip.value}
        />
        <Legend
          itemSorter={null}
          wrapperStyle={{ fontSize: 13, color: c.text }}
          formatter={(value: string) => (value === 'Granted' ? '✔ Granted scans per minute' : '✖ Denied scans per minute')}
        />
        <Bar dataKey="granted" name="Granted" stackId="scans" fill={c.granted} isAnimationActive={false} />
        <Bar dataKey="denied" name="Denied" stackId="scans" fill="url(#denied-hatch)" isAnimationActive={false} />
      </BarChart>
    </Panel>
  )
}
