// A windowed list for fixed-height rows: only the rows in view (plus a few) are in the DOM, so a
// burst that replaces the feed ten times a second re-renders a screenful, not 200 rows.
import { useEffect, useRef, useState, type ReactNode } from 'react'

export function VirtualList<T>(props: {
  items: T[]
  rowHeight: number
  keyOf: (item: T) => string | number
  renderRow: (item: T) => ReactNode
  label: string
  testId?: string
  overscan?: number
}): React.JSX.Element {
  const ref = useRef<HTMLOListElement>(null)
  const [view, setView] = useState({ top: 0, height: 800 })
  useEffect(() => {
    const el = ref.current
    if (!el) return
    let frame = 0
    const measure = (): void => {
      cancelAnimationFrame(frame)
      frame = requestAnimationFrame(() => setView({ top: el.scrollTop, height: el.clientHeight }))
    }
    measure()
    const resize = new ResizeObserver(measure)
    resize.observe(el)
    el.addEventListener('scroll', measure, { passive: true })
    return () => {
      cancelAnimationFrame(frame)
      resize.disconnect()
      el.removeEventListener('scroll', measure)
    }
  }, [])
  const overscan = props.overscan ?? 6
  const first = Math.max(0, Math.floor(view.top / props.rowHeight) - overscan)
  const last = Math.min(props.items.length, Math.ceil((view.top + view.height) / props.rowHeight) + overscan)
  return (
    <ol ref={ref} className="virtual-list" aria-label={props.label} data-testid={props.testId} tabIndex={0}>
      <li aria-hidden="true" style={{ height: first * props.rowHeight }} className="virtual-spacer" />
      {props.items.slice(first, last).map((item) => (
        <li key={props.keyOf(item)} style={{ height: props.rowHeight }}>
          {props.renderRow(item)}
        </li>
      ))}
      <li aria-hidden="true" style={{ height: (props.items.length - last) * props.rowHeight }} className="virtual-spacer" />
    </ol>
  )
}
