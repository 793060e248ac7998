import { useEffect, useState } from 'react'
import { copyText } from './clipboard'
import { Icon } from './Icon'

/** Copies a value (or the value a function fetches) and says so for two seconds. */
export function CopyButton({
  value,
  label = 'Copy',
  className,
}: {
  value: string | (() => Promise<string>)
  label?: string
  className?: string
}): React.JSX.Element {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle')
  useEffect(() => {
    if (state === 'idle') return
    const t = setTimeout(() => setState('idle'), 2000)
    return () => clearTimeout(t)
  }, [state])
  const copy = async (): Promise<void> => {
    try {
      const text = typeof value === 'string' ? value : await value()
      setState((await copyText(text)) ? 'copied' : 'failed')
    } catch {
      setState('failed')
    }
  }
  return (
    <button type="button" className={`btn ${className ?? ''}`} onClick={() => void copy()}>
      <Icon name={state === 'copied' ? 'check' : 'copy'} />
      <span aria-live="polite">{state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : label}</span>
    </button>
  )
}
