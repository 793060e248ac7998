// An on/off switch: a button with role="switch", so Space and Enter flip it, and its state is
// read out and shown as a word ("On"/"Off"), never by colour or position alone.
import { useId } from 'react'

export function Switch(props: {
  checked: boolean
  label: string
  onChange: (next: boolean) => void
  disabled?: boolean
  busy?: boolean
  describedBy?: string
  testId?: string
  /** Keep the label for screen readers only (a table column already names the switch). */
  hideLabel?: boolean
}): React.JSX.Element {
  const labelId = useId()
  return (
    <button
      type="button"
      role="switch"
      aria-checked={props.checked}
      aria-labelledby={labelId}
      aria-describedby={props.describedBy}
      aria-busy={props.busy || undefined}
      className={`switch ${props.checked ? 'is-on' : 'is-off'}`}
      onClick={() => props.onChange(!props.checked)}
      disabled={props.disabled || props.busy}
      data-testid={props.testId}
    >
      <span className="switch-track" aria-hidden="true">
        <span className="switch-thumb" />
      </span>
      <span id={labelId} className={props.hideLabel ? 'sr-only' : 'switch-label'}>
        {props.label}
      </span>
      <span className="switch-state" aria-hidden="true">
        {props.busy ? '…' : props.checked ? 'On' : 'Off'}
      </span>
    </button>
  )
}
