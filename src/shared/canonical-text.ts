// Credentials and names in one canonical form, so two "identical" strings are one string: Unicode
// NFC, surrounding whitespace (NBSP and the other Unicode spaces included) trimmed, and no control
// or format characters (Unicode Cc and Cf: NUL, ESC, zero-width, bidi overrides), which are
// refused rather than silently removed — a badge that scans with them is not the badge on file.
import { z } from 'zod'

// Unicode White_Space (NBSP, ideographic space…), not String.trim's set, which also eats U+FEFF.
const SURROUNDING_SPACE = /^\p{White_Space}+|\p{White_Space}+$/gu
const CONTROL_OR_FORMAT = /[\p{Cc}\p{Cf}]/u
// Cc, and Cf but for ZWNJ/ZWJ (U+200C/U+200D), which Persian, Indic and emoji spellings need.
const CONTROL_OR_FORMAT_IN_NAME = /(?![\u200C\u200D])[\p{Cc}\p{Cf}]/u

/** The canonical form of a credential, id or name: NFC, trimmed. */
export const canonical = (text: string): string => text.normalize('NFC').replace(SURROUNDING_SPACE, '')

/** True when the text carries a control or format character a credential or id must not have. */
export const hasControlOrFormat = (text: string): boolean => CONTROL_OR_FORMAT.test(text)

const REFUSED = 'must not contain control or invisible formatting characters (NUL, ESC, zero-width, bidi overrides)'

/** Text that identifies something (a credential, an id, a type): canonical, no Cc/Cf at all. */
export const canonicalText = (min: number, max: number) =>
  z
    .string()
    .transform(canonical)
    .pipe(
      z
        .string()
        .min(min)
        .max(max)
        .refine((s) => !CONTROL_OR_FORMAT.test(s), REFUSED),
    )

/** An identifier or credential: canonical text of 1..max characters. */
export const canonicalId = (max: number) => canonicalText(1, max)

/** A person's name or other free text shown to staff: as canonicalId, but ZWNJ and ZWJ are spelling. */
export const canonicalName = (min: number, max: number) =>
  z
    .string()
    .transform(canonical)
    .pipe(
      z
        .string()
        .min(min)
        .max(max)
        .refine((s) => !CONTROL_OR_FORMAT_IN_NAME.test(s), REFUSED),
    )
