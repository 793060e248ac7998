// Turns zod issues into the doc's error map: { "<dot.path>": ["The <field> field is required"] }.
import type { z } from 'zod'

export type FieldErrors = Record<string, string[]>

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let at: unknown = root
  for (const key of path) {
    if (at === null || typeof at !== 'object') return undefined
    if (!Object.prototype.hasOwnProperty.call(at, key)) return undefined
    at = (at as Record<PropertyKey, unknown>)[key]
  }
  return at
}

const article = (t: string): string => (/^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`)

function describe(issue: z.core.$ZodIssue, field: string, input: unknown, present: boolean): string {
  switch (issue.code) {
    case 'invalid_type':
      if (!present || input === null) return `The ${field} field is required`
      return `The ${field} field must be ${article(issue.expected === 'object' ? 'object' : String(issue.expected))}`
    case 'too_big':
      if (issue.origin === 'string') return `The ${field} field must not be greater than ${issue.maximum} characters`
      if (issue.origin === 'array') return `The ${field} field must not have more than ${issue.maximum} items`
      return `The ${field} field must not be greater than ${issue.maximum}`
    case 'too_small':
      if (issue.origin === 'string') {
        return Number(issue.minimum) <= 1
          ? `The ${field} field is required`
          : `The ${field} field must be at least ${issue.minimum} characters`
      }
      if (issue.origin === 'array') return `The ${field} field must have at least ${issue.minimum} items`
      return `The ${field} field must be at least ${issue.minimum}`
    case 'invalid_format':
      if (issue.format === 'email') return `The ${field} field must be a valid email address`
      if (issue.format === 'datetime')
        return `The ${field} field must be an ISO 8601 date-time with a time zone (e.g. 2024-01-15T10:30:00Z)`
      if (issue.format === 'regex') return `The ${field} field ${issue.message}`
      return `The ${field} field format is invalid`
    case 'invalid_value':
      return `The selected ${field} is invalid (expected one of: ${issue.values.map(String).join(', ')})`
    case 'custom':
      return `The ${field} field ${issue.message}`
    case 'unrecognized_keys':
      return `The ${field} field has unknown keys: ${issue.keys.join(', ')}`
    default:
      return `The ${field} field is invalid`
  }
}

/** Formats zod issues as the doc's `errors` map, keyed by dot path (`attendees.0.email`). */
export function fieldErrors(issues: readonly z.core.$ZodIssue[], input: unknown, prefix = ''): FieldErrors {
  const out: FieldErrors = {}
  for (const issue of issues) {
    const path = issue.path.map(String)
    const key = prefix + (path.length > 0 ? path.join('.') : 'body')
    const field = path.length > 0 ? key : 'body'
    const present = path.length === 0 || valueAt(input, issue.path) !== undefined
    const message =
      path.length === 0 && issue.code === 'invalid_type'
        ? 'The request body must be a JSON object'
        : describe(issue, field, valueAt(input, issue.path), present)
    const list = (out[key] ??= [])
    if (!list.includes(message)) list.push(message)
  }
  return out
}
