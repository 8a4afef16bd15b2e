// Training as a film: the worker trains at full speed and records every epoch; the panel plays
// the recording back at a chosen speed. Pure (no DOM), so the rules are unit-tested: where the
// playhead goes on each tick, what scrubbing and the keys do, when playback ends and when it is
// "live" (caught up with training that runs slower than playback).
import { t } from './l10n';

export const SPEEDS = [0.25, 1, 4, 16, 'live'] as const;
export type Speed = (typeof SPEEDS)[number];

export const SPEED_LABELS: Record<string, string> = { '0.25': '¼×', '1': '1×', '4': '4×', '16': '16×', live: t('Live') };

/** The epochs per second of 1× when the setting is 0 (which means "start in Live"). */
export const FALLBACK_EPOCHS_PER_SECOND = 60;
/** A longer gap between ticks (a busy page) advances as if this much time had passed. */
const MAX_TICK_MS = 250;

/** What is saved with the panel's state so playback survives hiding and a reload. */
export interface PlaybackSnapshot {
  playing: boolean;
  speed: Speed;
  /** Epoch number under the playhead; null before any epoch. */
  epoch: number | null;
}

export function isPlaybackSnapshot(v: unknown): v is PlaybackSnapshot {
  if (typeof v !== 'object' || v === null) return false;
  const p = v as Partial<PlaybackSnapshot>;
  return typeof p.playing === 'boolean' && (SPEEDS as readonly unknown[]).includes(p.speed) && (p.epoch === null || (typeof p.epoch === 'number' && Number.isInteger(p.epoch) && p.epoch >= 0));
}

export class Playback {
  playing = true;
  speed: Speed;
  /** Index (not epoch number) of the epoch under the playhead. */
  index = 0;
  /** Fraction of an epoch accumulated between ticks. */
  private carry = 0;
  private rate = FALLBACK_EPOCHS_PER_SECOND;
  /** The user picked a speed: a new setting no longer changes it. */
  private speedChosen = false;
  /**
   * Playback stopped by itself at the last epoch of an ended run. A history larger than one
   * message arrives in parts after the ended state, so the film goes on when more epochs come.
   */
  private stoppedAtEnd = false;

  /** `epochsPerSecond` is the speed of 1× (`rnnLab.playback.epochsPerSecond`); 0 starts in Live. */
  constructor(epochsPerSecond: number) {
    this.speed = 1;
    this.setRate(epochsPerSecond);
  }

  /** Epochs per second of 1×. */
  get epochsPerSecond(): number {
    return this.rate;
  }

  setRate(epochsPerSecond: number): void {
    this.rate = epochsPerSecond > 0 ? epochsPerSecond : FALLBACK_EPOCHS_PER_SECOND;
    if (!this.speedChosen) this.speed = epochsPerSecond > 0 ? 1 : 'live';
  }

  /** A new run starts playing from its first epoch. */
  reset(): void {
    this.stoppedAtEnd = false;
    this.playing = true;
    this.index = 0;
    this.carry = 0;
  }

  /**
   * Moves the playhead for `dtMs` of wall time with `count` epochs recorded; `ended` says the run
   * trains no more. Returns whether the playhead moved.
   */
  tick(dtMs: number, count: number, ended: boolean): boolean {
    const before = this.index;
    if (count === 0) {
      this.index = 0;
      return false;
    }
    const last = count - 1;
    if (this.index > last) this.index = last;
    if (!this.playing && this.stoppedAtEnd && this.index < last) {
      this.playing = true;
      this.stoppedAtEnd = false;
    }
    if (this.playing) {
      if (this.speed === 'live') this.index = last;
      else {
        this.carry += (Math.min(MAX_TICK_MS, Math.max(0, dtMs)) / 1000) * this.rate * this.speed;
        const steps = Math.floor(this.carry);
        this.carry -= steps;
        this.index = Math.min(last, this.index + steps);
      }
      // The film is over once the last recorded epoch of a finished run is on screen.
      if (ended && this.index === last) {
        this.playing = false;
        this.stoppedAtEnd = true;
        this.carry = 0;
      }
    }
    return this.index !== before;
  }

  /**
   * Live: playing and on the newest epoch while the run still trains — playback has caught up
   * with training (the timeline says so), or the speed is Live.
   */
  isLive(count: number, ended: boolean): boolean {
    return this.playing && !ended && count > 0 && (this.speed === 'live' || this.index >= count - 1);
  }

  play(count: number, ended: boolean): void {
    this.stoppedAtEnd = false;
    // Play at the end of a finished film starts it again.
    if (ended && count > 0 && this.index >= count - 1) this.index = 0;
    this.playing = true;
    this.carry = 0;
  }

  pause(): void {
    this.stoppedAtEnd = false;
    this.playing = false;
    this.carry = 0;
  }

  toggle(count: number, ended: boolean): void {
    if (this.playing) this.pause();
    else this.play(count, ended);
  }

  setSpeed(speed: Speed): void {
    this.speed = speed;
    this.speedChosen = true;
    this.carry = 0;
  }

  /** Puts the playhead on an epoch index (scrubber, a click on the heatmap or a curve); playback pauses there. */
  scrub(index: number, count: number): void {
    this.pause();
    this.index = Math.max(0, Math.min(count - 1, Math.round(index)));
  }

  /** The keys of the scrubber and the heatmap: arrows ±1, Page ±10 (or a tenth of the run), Home, End. */
  key(key: string, count: number): boolean {
    if (count === 0) return false;
    const page = Math.max(10, Math.round(count / 10));
    const moves: Record<string, number> = { ArrowLeft: -1, ArrowDown: 1, ArrowUp: -1, ArrowRight: 1, PageUp: -page, PageDown: page };
    if (key === 'Home') this.scrub(0, count);
    else if (key === 'End') this.scrub(count - 1, count);
    else if (key in moves) this.scrub(this.index + moves[key], count);
    else return false;
    return true;
  }

  snapshot(epochAt: (index: number) => number, count: number): PlaybackSnapshot {
    return { playing: this.playing, speed: this.speed, epoch: count > 0 ? epochAt(Math.min(this.index, count - 1)) : null };
  }

  /** Takes back a saved state; the epoch becomes an index once the history is there (`indexOf`). */
  restore(s: PlaybackSnapshot, indexOf: (epoch: number) => number): void {
    this.stoppedAtEnd = false;
    this.playing = s.playing;
    this.speed = s.speed;
    this.speedChosen = true;
    this.carry = 0;
    const i = s.epoch === null ? -1 : indexOf(s.epoch);
    this.index = i >= 0 ? i : 0;
  }
}
