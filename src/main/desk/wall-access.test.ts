import { describe, expect, it } from 'vitest'
import { COMMAND_NAMES } from '../../shared/contract-names'
import { commandAllowed } from './wall-access'

describe('the wall window', () => {
  it('may read the overview (the live snapshot), and nothing else', () => {
    const allowed = COMMAND_NAMES.filter((c) => commandAllowed('wall', c))
    expect(allowed).toEqual(['overview:get'])
    expect(commandAllowed('wall', 'logs:query')).toBe(false)
    expect(commandAllowed('wall', 'allowlist:add')).toBe(false)
    expect(commandAllowed('wall', 'secret:reveal')).toBe(false)
  })
  it('leaves the desk window every command', () => {
    expect(COMMAND_NAMES.every((c) => commandAllowed('desk', c))).toBe(true)
  })
})
