import { Icon, type IconName } from '../../ui/Icon'
import { STATE_WORDS, type TileState } from './board-state'

const STATE_ICON: Record<TileState | 'stale', IconName> = {
  offline: 'offline',
  disabled: 'denied',
  degraded: 'degraded',
  unknown: 'unknown',
  online: 'online',
  healthy: 'online',
  stale: 'unknown',
}

/** A board tile's main state word; 'stale' while the desk cannot reach the station (never green). */
export function StateBadge({ state, size = 16 }: { state: TileState | 'stale'; size?: number }): React.JSX.Element {
  return (
    <span className={`badge state state-${state}`} data-state={state}>
      <Icon name={STATE_ICON[state]} size={size} />
      {STATE_WORDS[state]}
    </span>
  )
}
