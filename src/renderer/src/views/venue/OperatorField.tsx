// The operator's name where an action is recorded with it: the desk session's, shown, not typed
// (the station records every action under the session's name whatever a form sends).
import { useSession } from '../../session/session-store'

export function useOperator(): [string, (name: string) => void] {
  const session = useSession()
  return [session?.operator ?? '', () => undefined]
}

export function OperatorField({ label = 'Recorded as' }: { label?: string }): React.JSX.Element {
  const [operator] = useOperator()
  return (
    <label className="field">
      <span>{label}</span>
      <input value={operator} readOnly aria-label="Operator name" />
    </label>
  )
}
