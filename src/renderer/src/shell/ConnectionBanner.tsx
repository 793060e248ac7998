import { useConnected, useNeedsToken } from '../store/use-connection'
import { Icon } from '../ui/Icon'

/** Says plainly when the screen may be stale: the station is unreachable and the desk is retrying. */
export function ConnectionBanner(): React.JSX.Element | null {
  const connected = useConnected()
  const needsToken = useNeedsToken()
  if (connected) return null
  if (needsToken) {
    return (
      <div className="alert-banner banner-critical" role="alert" data-testid="connection-banner">
        <Icon name="offline" size={22} />
        <strong className="banner-severity">Access token required</strong>
        <span className="banner-message">
          The station no longer accepts this browser&apos;s token (it changes at each start). Open the dashboard address the station
          printed, the one ending in ?token=…
        </span>
      </div>
    )
  }
  return (
    <div className="alert-banner banner-critical" role="alert" data-testid="connection-banner">
      <Icon name="offline" size={22} />
      <strong className="banner-severity">Disconnected</strong>
      <span className="banner-message">Lost the connection to the station. Reconnecting; what you see may be out of date.</span>
    </div>
  )
}
