// The status line (run state, epoch, the latest message) and the notes/notices under it.
import type { EpochProgress } from '../src/core/types';
import type { RunInfo, RunState } from '../src/shared/protocol';
import { t } from './l10n';

const LABELS: Record<RunState, string> = {
  queued: t('Queued'),
  starting: t('Starting…'),
  running: t('Running'),
  paused: t('Paused'),
  stopped: t('Stopped'),
  done: t('Done'),
  diverged: t('Diverged'),
  crashed: t('Crashed'),
};

const LINE_INTERVAL_MS = 1000;

export const RESTORED_TEXT = t('Restored after reload: showing the finished run’s history; training is not resumed.');

export interface StatusInput {
  run: RunInfo | undefined;
  state: RunState;
  message: string | undefined;
  stateEpoch: number | undefined;
  latest: { epoch: number; loss: number; accuracy: number } | undefined;
  /** Epochs whose per-step rows the host's budget dropped. */
  droppedRows?: number;
  restored: boolean;
  /** A long epoch part-way through: said while it is newer than `latest`. */
  progress?: EpochProgress;
}

/**
 * A long epoch part-way through, in words, while it is newer than the newest epoch shown
 * (`latestEpoch`, −1 before any); undefined otherwise. The training panel's status line and the
 * compare panel's column captions both say it.
 */
export function progressText(p: EpochProgress | undefined, state: RunState, latestEpoch: number): string | undefined {
  if (!p || state !== 'running' || p.epoch <= latestEpoch) return undefined;
  // Floor, so 100% is said only by the epoch itself.
  return t('epoch #{0} in progress: {1}% of the text, loss so far {2}', p.epoch, Math.floor((100 * p.done) / p.total), p.loss.toFixed(4));
}

/** Adds what the user can do about a bad ending to the host's message. */
export function stateMessage(s: StatusInput): string {
  const parts: string[] = [];
  if (s.state === 'diverged') {
    const at = s.stateEpoch ?? (s.latest ? s.latest.epoch + 1 : undefined);
    parts.push(s.message ?? (at !== undefined ? t('Training diverged at epoch #{0} (the loss became NaN or infinite).', at) : t('Training diverged (the loss became NaN or infinite).')));
    // An explosion before any update is not the learning rate's doing: the core's message then
    // says what is (σ_max(W_hh) and the activation) and what to do, so no generic advice follows.
    // The message arrives in the display language; the bundle test holds the translated phrase
    // inside the translated message, so either language's marker tells.
    const untrained = s.message !== undefined && (s.message.includes('before any update') || s.message.includes(t('before any update')));
    if (!untrained) parts.push(t('Try a lower learning rate, gradient clipping (for example clip 5) or truncated BPTT, then Restart.'));
  } else if (s.state === 'crashed') {
    parts.push(s.message ?? t('The training worker crashed.'));
    parts.push(t('The history received so far is kept; use Restart to try again.'));
  } else if (s.message) {
    parts.push(s.message);
  }
  return parts.join(' ');
}

export class StatusView {
  readonly element: HTMLElement;
  private readonly line: HTMLElement;
  private readonly message: HTMLElement;
  private readonly notes: HTMLElement;
  private readonly notices: HTMLElement;
  private lastLine = '';
  private lastWrite = 0;
  private lastState: RunState | undefined;
  private flush: ReturnType<typeof setTimeout> | undefined;
  private lastMessage = '';
  private newest: StatusInput | undefined;

  constructor() {
    this.element = document.createElement('div');
    this.element.className = 'status';
    this.line = document.createElement('div');
    this.line.className = 'status-line';
    this.line.setAttribute('role', 'status');
    this.line.id = 'status-line';
    this.message = document.createElement('div');
    this.message.className = 'status-message';
    this.message.setAttribute('role', 'status');
    this.message.id = 'status-message';
    this.notes = document.createElement('ul');
    this.notes.className = 'notes';
    this.notices = document.createElement('ul');
    this.notices.className = 'notices';
    this.notices.setAttribute('aria-live', 'polite');
    this.element.append(this.line, this.message, this.notes, this.notices);
  }

  update(s: StatusInput): void {
    const parts = [LABELS[s.state] ?? s.state];
    if (s.latest && s.run) {
      const done = s.latest.epoch - s.run.firstEpoch + 1;
      parts.push(t('epoch #{0} ({1} of {2})', s.latest.epoch, done, s.run.config.epochs));
      parts.push(t('loss {0}', s.latest.loss.toFixed(6)));
      parts.push(t('accuracy {0}', s.latest.accuracy.toFixed(4)));
    }
    const going = progressText(s.progress, s.state, s.latest?.epoch ?? -1);
    if (going) parts.push(going);
    const line = parts.join(' · ');
    // A live region re-announces on every write: while epochs stream in, the counter is
    // written at most once a second; a change of run state is written at once.
    const now = Date.now();
    const stateChanged = s.state !== this.lastState;
    if (line !== this.lastLine && (stateChanged || now - this.lastWrite >= LINE_INTERVAL_MS)) {
      this.line.textContent = line;
      this.lastLine = line;
      this.lastWrite = now;
      this.lastState = s.state;
    } else if (line !== this.lastLine && this.flush === undefined) {
      // The delayed write shows the newest input, not the one that scheduled it.
      this.flush = setTimeout(() => {
        this.flush = undefined;
        if (this.newest) this.update(this.newest);
      }, LINE_INTERVAL_MS);
    }
    this.newest = s;
    // The host gives a restored run its own restore note as the message; the webview's text
    // stands in only when there is none (a state saved by an older build), so it is said once.
    const dropped = s.droppedRows
      ? t('The gradient rows of the {0} oldest epochs were dropped to keep the run within its memory budget (their loss, accuracy and σ_max are kept).', s.droppedRows)
      : '';
    const msg = [s.restored && !s.message ? RESTORED_TEXT : stateMessage(s), dropped].filter(Boolean).join(' ');
    if (msg !== this.lastMessage) {
      this.message.textContent = msg;
      this.message.classList.toggle('error', s.state === 'diverged' || s.state === 'crashed');
      this.lastMessage = msg;
    }
  }

  setNotes(notes: readonly string[]): void {
    this.notes.textContent = '';
    for (const n of notes) {
      const li = document.createElement('li');
      li.textContent = n;
      this.notes.append(li);
    }
  }

  notice(level: 'info' | 'warning' | 'error', text: string): void {
    const li = document.createElement('li');
    li.className = `notice ${level}`;
    li.textContent = `${level === 'info' ? t('Info') : level === 'warning' ? t('Warning') : t('Error')}: ${text}`;
    this.notices.append(li);
    while (this.notices.children.length > 5) this.notices.firstElementChild?.remove();
  }

  clearNotices(): void {
    this.notices.textContent = '';
  }
}
