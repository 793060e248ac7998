// The operator's name, asked where an action needs one and remembered for the session's next.
import { usePreference } from '../../store/preferences'

export function useOperator(): [string, (name: string) => void] {
  return usePreference('operator', '')
}

export function OperatorField({ label = 'Your name' }: { label?: string }): React.JSX.Element {
  const [operator, setOperator] = useOperator()
  return (
    <label className="field">
      <span>{label}</span>
      <input value={operator} onChange={(e) => setOperator(e.target.value)} autoComplete="name" required aria-label="Operator name" />
    </label>
  )
}
