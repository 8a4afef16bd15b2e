// The buffer tables of ./layout are the one account of a Sequence's memory: the room the trainer
// reserves in the model's arena is sequenceCapacity, and each cell's constructor places exactly
// its tables there. A buffer allocated outside the tables, or a table entry left unplaced, shows
// up as a difference between what the sequence took from the arena and what the tables say.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createModel, createSequence } from '../../../src/core/cells';
import { GATES } from '../../../src/core/model';
import { sequenceCapacity } from '../../../src/core/layout';
import { Optimizer } from '../../../src/core/optimizers';
import type { CellKind } from '../../../src/core/types';

for (const cell of ['rnn', 'lstm', 'gru'] as CellKind[]) {
  for (const [V, H, maxT] of [
    [7, 100, 25],
    [65, 129, 301],
  ]) {
    test(`${cell} V${V} H${H} T${maxT}: the sequence takes its tables' room from the model's arena, no more and no less`, () => {
      const model = createModel(cell, V, H, 'tanh', maxT);
      const capacity = sequenceCapacity({ cell, H, V, G: GATES[cell] * H }, maxT);
      const before = model.arena.remaining;
      assert.ok(before >= capacity, 'the model keeps the room');
      const seq = createSequence(model, maxT);
      const used = before - model.arena.remaining;
      assert.ok(model.arena.owns(seq.hs) && model.arena.owns(seq.probs) && model.arena.owns(seq.dhTotal), 'buffers sit in the model arena');
      // Each buffer may leave one double of alignment padding, and there are fewer than 50
      // buffers; at V 65, H 129, T 301 every entry a cell has is over 50 doubles, so one left
      // unplaced shows.
      assert.ok(used <= capacity, `used ${used} > capacity ${capacity}`);
      assert.ok(used > capacity - 50, `used ${used} leaves ${capacity - used} of the capacity unplaced`);
    });
  }
}

test('a sequence with no room kept for it in the model arena is refused, not given memory of its own', () => {
  // Adam's slots take the rest of the room the model keeps, as in the trainer.
  const model = createModel('lstm', 7, 100, 'tanh', 25);
  new Optimizer('adam', 0.001, model.params, model.arena);
  createSequence(model, 25);
  assert.throws(() => createSequence(model, 25), /no room kept for a sequence of 25 steps/);
  // A list keeps room for each.
  const two = createModel('gru', 7, 100, 'tanh', [25, 10]);
  new Optimizer('adam', 0.001, two.params, two.arena);
  createSequence(two, 25);
  createSequence(two, 10);
  assert.throws(() => createSequence(two, 10), /no room kept/);
});
