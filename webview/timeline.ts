// The timeline bar under the header: Play/Pause of the playback, its speed, a scrubber over the
// epochs recorded so far, and the playhead's epoch. It controls what is shown, never training —
// its look (a slim bar with a playhead) and its tooltips keep it apart from the training buttons.
import { SPEEDS, SPEED_LABELS, type Playback, type Speed } from './playback';
import { button, dropdown, type Button, type Select } from './toolkit';
import { t } from './l10n';

export interface TimelineEvents {
  /** Play/Pause, speed or scrubber changed the playback; the app redraws. */
  changed(): void;
}

export class Timeline {
  readonly element: HTMLElement;
  private readonly play: Button;
  private readonly speed: Select<string>;
  private readonly scrubber: HTMLInputElement;
  private readonly label: HTMLElement;
  private readonly live: HTMLElement;
  private shown = '';

  constructor(
    private readonly playback: Playback,
    private readonly count: () => number,
    private readonly ended: () => boolean,
    private readonly epochAt: (index: number) => number,
    private readonly events: TimelineEvents,
  ) {
    this.element = document.createElement('div');
    this.element.className = 'timeline';
    this.element.setAttribute('role', 'group');
    this.element.setAttribute('aria-label', t('Playback of the recorded epochs (does not affect training)'));
    this.play = button('▶ Play', {
      id: 'btn-play',
      ariaLabel: t('Play the recorded epochs'),
      title: t('Playback: plays the epochs recorded so far (training is not affected)'),
      secondary: true,
      onClick: () => {
        this.playback.toggle(this.count(), this.ended());
        this.events.changed();
      },
    });
    this.play.el.classList.add('play-button');
    this.speed = dropdown(
      t('Speed'),
      SPEEDS.map((s) => ({ value: String(s), label: SPEED_LABELS[String(s)] })),
      {
        id: 'sel-speed',
        value: String(playback.speed),
        onChange: (v) => {
          this.playback.setSpeed((v === 'live' ? 'live' : Number(v)) as Speed);
          if (!this.playback.playing) this.playback.play(this.count(), this.ended());
          this.events.changed();
        },
      },
    );
    this.speed.el.title = t('Playback speed: 1× is rnnLab.playback.epochsPerSecond; Live always shows the newest epoch');
    this.scrubber = document.createElement('input');
    this.scrubber.type = 'range';
    this.scrubber.id = 'scrubber';
    this.scrubber.className = 'scrubber';
    this.scrubber.min = '0';
    this.scrubber.max = '0';
    this.scrubber.step = '1';
    this.scrubber.value = '0';
    this.scrubber.title = t('Playback: drag, or use the arrow keys, Page Up/Down, Home and End');
    this.scrubber.addEventListener('input', () => {
      this.playback.scrub(Number(this.scrubber.value), this.count());
      this.events.changed();
    });
    this.label = document.createElement('span');
    this.label.className = 'timeline-epoch';
    this.label.id = 'timeline-epoch';
    this.live = document.createElement('span');
    this.live.className = 'timeline-live';
    this.live.textContent = t('live');
    this.live.title = t('Playback has caught up with training: the newest epoch is shown as it arrives');
    this.live.hidden = true;
    this.element.append(this.play.el, this.speed.el, this.scrubber, this.label, this.live);
  }

  /** Brings the bar in line with the playback (cheap when nothing changed; called every frame). */
  update(): void {
    const n = this.count();
    const i = Math.min(this.playback.index, Math.max(0, n - 1));
    const ended = this.ended();
    const live = this.playback.isLive(n, ended);
    const key = `${n}|${i}|${this.playback.playing}|${this.playback.speed}|${live}`;
    if (key === this.shown) return;
    this.shown = key;
    this.scrubber.max = String(Math.max(0, n - 1));
    this.scrubber.value = String(i);
    this.scrubber.disabled = n === 0;
    const epoch = n > 0 ? this.epochAt(i) : null;
    const last = n > 0 ? this.epochAt(n - 1) : null;
    this.label.textContent = epoch === null ? t('no epoch yet') : t('epoch #{0} of #{1}', epoch, last!);
    this.scrubber.setAttribute('aria-valuetext', epoch === null ? t('no epoch yet') : t('Epoch {0} of {1}', epoch, last!));
    this.scrubber.setAttribute('aria-label', t('Playhead: the epoch every view shows'));
    const playing = this.playback.playing;
    this.play.el.textContent = playing ? `❚❚ ${t('Pause')}` : `▶ ${t('Play')}`;
    this.play.el.setAttribute('aria-label', playing ? t('Pause playback') : t('Play the recorded epochs'));
    this.play.el.setAttribute('aria-pressed', String(playing));
    this.speed.value = String(this.playback.speed);
    this.live.hidden = !live;
  }
}
