import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canTransition, isActive, isFinal, isWorking, TRANSITIONS } from '../../src/exports/run-states.js';
import { RUN_STATES } from '../../src/exports/types.js';

describe('run states', () => {
  it('follows the happy path of DESIGN §2', () => {
    const path = ['queued', 'baseline', 'triggering', 'polling', 'fetching', 'delivering', 'done'] as const;
    for (let i = 1; i < path.length; i++) assert.ok(canTransition(path[i - 1]!, path[i]!), path[i]);
  });

  it('lets Lucca answer the POST with the export at once', () => {
    assert.ok(canTransition('triggering', 'fetching'));
  });

  it('never leaves done or cancelled', () => {
    for (const to of RUN_STATES) {
      assert.equal(canTransition('done', to), false);
      assert.equal(canTransition('cancelled', to), false);
    }
  });

  it('lets a person cancel any active or queued run', () => {
    for (const from of RUN_STATES) {
      if (isFinal(from)) continue;
      assert.ok(canTransition(from, 'cancelled'), from);
    }
  });

  it('goes from stalled by a Retry (a poll first), a late look that found the export, a failure or a cancel', () => {
    assert.deepEqual([...TRANSITIONS.stalled].sort(), ['cancelled', 'failed', 'fetching', 'polling']);
  });

  it('lets working states repeat themselves (a poll that found nothing) but not the others', () => {
    assert.ok(canTransition('polling', 'polling'));
    assert.ok(canTransition('delivering', 'delivering'));
    assert.ok(canTransition('stalled', 'stalled'), 'a late look that found nothing yet');
    assert.equal(canTransition('queued', 'queued'), false);
  });

  it('classifies states', () => {
    assert.ok(isActive('stalled') && !isWorking('stalled'));
    assert.ok(!isActive('queued') && !isWorking('queued'));
    assert.ok(isWorking('polling') && isActive('polling'));
    assert.ok(isFinal('failed'));
  });
});
