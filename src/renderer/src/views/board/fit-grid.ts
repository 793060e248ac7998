// How many columns and how tall the rows of a board of n tiles, so that all of them fit the box
// they are given: the largest tiles that fit, never smaller than a readable minimum (below it the
// board asks for the height it needs and the view scrolls, rather than shrinking text away).

export interface GridFit {
  columns: number
  rowHeight: number
  /** The height the grid needs at this fit (rows and gaps). */
  height: number
  /** The least height all n tiles fit in at the readable minimum: the board never gets less. */
  minimum: number
  /** 'roomy' tiles have room for a third line, 'compact' ones only for the id and the state. */
  density: 'roomy' | 'normal' | 'compact'
}

export interface FitLimits {
  minWidth: number
  minHeight: number
  maxHeight: number
  gap: number
  /** Width over height a tile looks best at. */
  aspect: number
}

export const READER_TILE: FitLimits = { minWidth: 84, minHeight: 38, maxHeight: 76, gap: 5, aspect: 3 }

export function fitGrid(n: number, width: number, height: number, limits: FitLimits = READER_TILE): GridFit {
  const { minWidth, minHeight, maxHeight, gap, aspect } = limits
  const maxColumns = Math.max(1, Math.floor((width + gap) / (minWidth + gap)))
  const count = Math.max(1, n)
  let best: { columns: number; rowHeight: number; score: number } | null = null
  for (let columns = 1; columns <= Math.min(count, maxColumns); columns++) {
    const rows = Math.ceil(count / columns)
    const tileWidth = (width - (columns - 1) * gap) / columns
    const rowHeight = Math.min(maxHeight, Math.floor((height - (rows - 1) * gap) / rows))
    if (rowHeight < minHeight) continue
    // A tile is as good as its smaller side allows, measured against the aspect it looks best at.
    const score = Math.min(tileWidth / aspect, rowHeight)
    // Ties go to more columns: as large, and in rows the eye reads across rather than one long list.
    if (!best || score >= best.score) best = { columns, rowHeight, score }
  }
  const columns = best?.columns ?? Math.min(count, maxColumns)
  const rowHeight = best?.rowHeight ?? minHeight
  const rows = Math.ceil(count / columns)
  const leastRows = Math.ceil(count / Math.min(count, maxColumns))
  const density = rowHeight >= 64 ? 'roomy' : rowHeight >= 50 ? 'normal' : 'compact'
  return {
    columns,
    rowHeight,
    height: rows * rowHeight + (rows - 1) * gap,
    minimum: leastRows * minHeight + (leastRows - 1) * gap,
    density,
  }
}

/** The wall display's reader tiles: a 28 px name over a 22 px state word, read from 3 m. */
export const WALL_TILE: FitLimits = { minWidth: 150, minHeight: 76, maxHeight: 150, gap: 8, aspect: 2.2 }
