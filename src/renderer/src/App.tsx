import { useEffect, useState } from 'react'
import { call } from './api/desk'
import type { Overview } from '../../shared/contract'

export function App(): React.JSX.Element {
  const [overview, setOverview] = useState<Overview | null>(null)
  useEffect(() => {
    void call('overview:get', {}).then(setOverview)
  }, [])
  return (
    <main>
      <h1>Gatehouse</h1>
      <pre>{overview ? JSON.stringify(overview.counters) : 'connecting…'}</pre>
    </main>
  )
}
