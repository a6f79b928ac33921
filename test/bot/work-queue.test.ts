import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WorkQueue } from '../../src/bot/work-queue.js';

/** A task that stays running until released, recording when it started. */
function gate() {
  let release!: () => void;
  const done = new Promise<void>((resolve) => {
    release = resolve;
  });
  return { done, release };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('WorkQueue', () => {
  it('runs at most `concurrency` tasks at once, the others in arrival order as slots free up', async () => {
    const queue = new WorkQueue(2);
    const started: number[] = [];
    const gates = [gate(), gate(), gate(), gate()];
    const runs = gates.map((g, i) =>
      queue.run(async () => {
        started.push(i);
        await g.done;
        return i;
      }),
    );
    await turn();
    await turn();
    assert.deepEqual(started, [0, 1]);
    assert.equal(queue.size, 4);
    gates[1]!.release();
    await runs[1];
    await turn();
    assert.deepEqual(started, [0, 1, 2]);
    for (const g of gates) g.release();
    assert.deepEqual(await Promise.all(runs), [0, 1, 2, 3]);
    assert.deepEqual(started, [0, 1, 2, 3]);
    assert.equal(queue.size, 0);
  });

  it('hands a failure to its own caller and frees the slot for the next task', async () => {
    const queue = new WorkQueue(1);
    const failing = queue.run(async () => {
      throw new Error('Slack said no');
    });
    const next = queue.run(async () => 'ran');
    await assert.rejects(failing, /Slack said no/);
    assert.equal(await next, 'ran');
  });

  it('starts a task only after the I/O and timers already due (the acks waiting to be sent)', async () => {
    const queue = new WorkQueue(4);
    const order: string[] = [];
    setImmediate(() => order.push('already due'));
    const task = queue.run(async () => {
      order.push('task');
    });
    await task;
    assert.deepEqual(order, ['already due', 'task']);
  });

  it('refuses a concurrency that would run nothing', () => {
    assert.throws(() => new WorkQueue(0), RangeError);
  });
});
