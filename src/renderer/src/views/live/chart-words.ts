// What the charts' tooltips say: words and units, never a series key ("granted: 3").
import { count } from '../../ui/format'

const plural = (n: number, one: string, many: string): string => `${count(n)} ${n === 1 ? one : many}`

export const scansTooltip = {
  label: (label: unknown): string => `Minute from ${String(label)}`,
  value: (value: unknown, name: unknown): [string, string] => [plural(Number(value), 'scan', 'scans'), String(name)],
}

export const requestsTooltip = {
  label: (label: unknown): string => `HTTP ${String(label)}`,
  value: (value: unknown): [string, string] => [plural(Number(value), 'request', 'requests'), 'Last hour'],
}
