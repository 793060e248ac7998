import type { DeskErrorCode } from '../../../shared/contract-names'

/** A failure the desk shows as it is: a code for the renderer, a sentence for the operator. */
export class DeskError extends Error {
  constructor(
    readonly code: DeskErrorCode,
    message: string,
  ) {
    super(message)
    this.name = 'DeskError'
  }
}
