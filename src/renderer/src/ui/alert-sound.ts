// Short tones for new alerts, made with WebAudio (no files to load): a falling two-tone for
// critical, one tone for a warning, nothing for info.
import type { AlertSeverity } from '../../../shared/domain'

let context: AudioContext | null = null

/** Browsers only let audio start after a user gesture: create/resume the context on the first one. */
export function unlockAudioOnGesture(): () => void {
  const unlock = (): void => {
    try {
      context ??= new AudioContext()
      void context.resume()
    } catch {
      /* no audio device */
    }
  }
  window.addEventListener('pointerdown', unlock, { capture: true })
  window.addEventListener('keydown', unlock, { capture: true })
  return () => {
    window.removeEventListener('pointerdown', unlock, { capture: true })
    window.removeEventListener('keydown', unlock, { capture: true })
  }
}

function tone(ctx: AudioContext, frequency: number, start: number, duration: number): void {
  const osc = ctx.createOscillator()
  const gain = ctx.createGain()
  osc.type = 'sine'
  osc.frequency.value = frequency
  // Soft attack and release: audible across a room, not a startle.
  gain.gain.setValueAtTime(0.0001, start)
  gain.gain.exponentialRampToValueAtTime(0.25, start + 0.02)
  gain.gain.exponentialRampToValueAtTime(0.0001, start + duration)
  osc.connect(gain).connect(ctx.destination)
  osc.start(start)
  osc.stop(start + duration + 0.05)
}

export function playAlertSound(severity: AlertSeverity): void {
  if (severity === 'info') return
  try {
    context ??= new AudioContext()
    const ctx = context
    if (ctx.state === 'suspended') void ctx.resume()
    const t = ctx.currentTime + 0.02
    if (severity === 'critical') {
      tone(ctx, 880, t, 0.22)
      tone(ctx, 587, t + 0.26, 0.32)
    } else {
      tone(ctx, 660, t, 0.3)
    }
  } catch {
    /* no audio: the banner and the tray still show the alert */
  }
}
