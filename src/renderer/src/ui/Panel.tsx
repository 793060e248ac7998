import type { ReactNode } from 'react'

/** A titled section of a view; `actions` sit at the right of the title. */
export function Panel(props: {
  title: ReactNode
  actions?: ReactNode
  className?: string
  children: ReactNode
  id?: string
}): React.JSX.Element {
  const headingId = props.id ? `${props.id}-title` : undefined
  return (
    <section className={`panel ${props.className ?? ''}`} aria-labelledby={headingId} id={props.id}>
      <header className="panel-head">
        <h2 id={headingId}>{props.title}</h2>
        {props.actions && <div className="panel-actions">{props.actions}</div>}
      </header>
      <div className="panel-body">{props.children}</div>
    </section>
  )
}

/** A line of feedback after an action: polite for success, assertive for errors. */
export function Notice({ kind, children }: { kind: 'ok' | 'error' | 'info' | 'warn'; children: ReactNode }): React.JSX.Element {
  return (
    <p className={`notice notice-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {children}
    </p>
  )
}

export function Empty({ children }: { children: ReactNode }): React.JSX.Element {
  return <p className="empty">{children}</p>
}
