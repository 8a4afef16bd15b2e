// The playback state machine: speed, live, scrub, end of the film, keys, saved state.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Playback, isPlaybackSnapshot } from '../../../webview/playback';

test('1× plays the setting’s epochs per second; the fraction carries over between ticks', () => {
  const p = new Playback(60);
  assert.deepEqual([p.playing, p.speed, p.index], [true, 1, 0]);
  for (let i = 0; i < 60; i++) p.tick(1000 / 60, 600, true);
  assert.equal(p.index, 60, 'one second of 16.7 ms frames is 60 epochs');
  p.setSpeed(0.25);
  for (let i = 0; i < 8; i++) p.tick(125, 600, true);
  assert.equal(p.index, 75, 'a quarter speed: 15 epochs a second');
  p.setSpeed(16);
  p.tick(100, 600, true);
  assert.equal(p.index, 171);
});

test('a long gap between frames does not jump: it counts as 250 ms at most', () => {
  const p = new Playback(60);
  p.tick(10_000, 600, true);
  assert.equal(p.index, 15);
});

test('a finished film stops at its last epoch; Play there starts it again', () => {
  const p = new Playback(60);
  p.setSpeed(16);
  for (let i = 0; i < 10; i++) p.tick(250, 600, true);
  assert.equal(p.index, 599);
  assert.equal(p.playing, false);
  assert.equal(p.isLive(600, true), false);
  p.play(600, true);
  assert.deepEqual([p.playing, p.index], [true, 0]);
});

test('when training is slower than playback the playhead waits on the newest epoch, live', () => {
  const p = new Playback(60);
  p.tick(250, 5, false);
  assert.equal(p.index, 4);
  assert.equal(p.playing, true, 'still playing: more epochs will come');
  assert.equal(p.isLive(5, false), true);
  p.tick(250, 12, false);
  assert.equal(p.index, 11);
  assert.equal(p.isLive(20, false), false, 'behind the newest: not live');
});

test('Live speed (and a setting of 0) always shows the newest epoch', () => {
  const p = new Playback(0);
  assert.equal(p.speed, 'live');
  p.tick(1, 300, false);
  assert.equal(p.index, 299);
  assert.equal(p.isLive(300, false), true);
  p.setSpeed(1);
  p.scrub(0, 300);
  p.play(300, false);
  p.tick(1000, 300, false);
  assert.equal(p.index, 15, 'other speeds fall back to 60 epochs a second (one tick is at most 250 ms)');
});

test('scrubbing and keys move the playhead and pause playback', () => {
  const p = new Playback(60);
  p.scrub(123.4, 600);
  assert.deepEqual([p.index, p.playing], [123, false]);
  p.scrub(9999, 600);
  assert.equal(p.index, 599);
  p.key('Home', 600);
  assert.equal(p.index, 0);
  p.key('ArrowDown', 600);
  p.key('ArrowRight', 600);
  assert.equal(p.index, 2);
  p.key('PageDown', 600);
  assert.equal(p.index, 62, 'a page is a tenth of the run (at least 10)');
  p.key('PageUp', 600);
  p.key('ArrowUp', 600);
  assert.equal(p.index, 1);
  p.key('End', 600);
  assert.equal(p.index, 599);
  assert.equal(p.key('a', 600), false);
  p.tick(1000, 600, true);
  assert.equal(p.index, 599, 'paused: a tick does not move it');
});

test('the saved state keeps playing, speed and the epoch, not the index', () => {
  const p = new Playback(60);
  p.setSpeed(4);
  p.scrub(10, 100);
  const s = p.snapshot((i) => i + 600, 100);
  assert.deepEqual(s, { playing: false, speed: 4, epoch: 610 });
  assert.equal(isPlaybackSnapshot(JSON.parse(JSON.stringify(s))), true);
  assert.equal(isPlaybackSnapshot({ playing: true, speed: 3, epoch: 1 }), false);
  const q = new Playback(60);
  q.restore(s, (e) => e - 600);
  assert.deepEqual([q.playing, q.speed, q.index], [false, 4, 10]);
});

test('an ended run whose history arrives in parts: the film that stopped at the last epoch goes on when more come', () => {
  const p = new Playback(0); // Live
  p.tick(16, 86, true);
  assert.equal(p.index, 85);
  assert.equal(p.playing, false);
  p.tick(16, 600, true);
  assert.equal(p.index, 599, 'Live follows the epochs that arrived after the ended state');
  // A user's pause is kept: new epochs do not restart it.
  p.play(600, true);
  p.pause();
  p.tick(16, 700, true);
  assert.equal(p.playing, false);
});
