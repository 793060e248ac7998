// Chart colours come from the theme's CSS variables, re-read when the theme switches.
import { useSyncExternalStore } from 'react'

export interface ThemeColors {
  granted: string
  denied: string
  warn: string
  text: string
  dim: string
  grid: string
  surface: string
}

let cached: { theme: string; colors: ThemeColors } | null = null

function read(): ThemeColors {
  const theme = document.documentElement.dataset.theme ?? 'dark'
  if (cached?.theme === theme) return cached.colors
  const style = getComputedStyle(document.documentElement)
  const v = (name: string): string => style.getPropertyValue(name).trim()
  const colors = {
    granted: v('--granted'),
    denied: v('--denied'),
    warn: v('--warn'),
    text: v('--text'),
    dim: v('--text-dim'),
    grid: v('--grid'),
    surface: v('--surface-2'),
  }
  cached = { theme, colors }
  return colors
}

function subscribe(listener: () => void): () => void {
  const observer = new MutationObserver(listener)
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] })
  return () => observer.disconnect()
}

export function useThemeColors(): ThemeColors {
  return useSyncExternalStore(subscribe, read)
}
