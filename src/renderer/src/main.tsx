import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './App'
import { readPreference } from './store/preferences'
import './styles/theme.css'
import './styles/base.css'
import './styles/shell.css'
import './styles/live.css'
import './styles/views.css'
import './styles/settings.css'
import './styles/alerts.css'
import './styles/wall.css'

// Before the first paint, so a light-theme desk never flashes dark.
document.documentElement.dataset.theme = readPreference('theme', 'dark') === 'light' ? 'light' : 'dark'

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
