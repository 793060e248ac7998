import { PRIORITIES, priorityFilterText } from '../../../../shared/notify'

/** Which alerts a target gets: priority 1 (the most urgent) up to the chosen one. */
export function PriorityPicker(props: {
  value: number
  onChange: (next: number) => void
  label: string
  hideLabel?: boolean
}): React.JSX.Element {
  return (
    <label className="field">
      <span className={props.hideLabel ? 'sr-only' : undefined}>{props.label}</span>
      <select value={props.value} onChange={(ev) => props.onChange(Number(ev.target.value))}>
        {PRIORITIES.map((p) => (
          <option key={p} value={p}>
            Priority {priorityFilterText(p)}
          </option>
        ))}
      </select>
    </label>
  )
}
