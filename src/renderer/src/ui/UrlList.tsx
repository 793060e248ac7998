import { CopyButton } from './CopyButton'

/** URLs to hand to a gateway installer, each with its own copy button. */
export function UrlList({ urls, className, testId }: { urls: readonly string[]; className?: string; testId?: string }): React.JSX.Element {
  return (
    <ul className={className ? `url-list ${className}` : 'url-list'} data-testid={testId}>
      {urls.map((url) => (
        <li key={url}>
          <code>{url}</code>
          <CopyButton value={url} className="btn-small" />
        </li>
      ))}
    </ul>
  )
}
