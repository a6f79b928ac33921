import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RoutingDelivery } from '../../src/exports/routing-delivery.js';
import type { DeliveryPort, Run } from '../../src/exports/types.js';

function recorder(name: string, log: string[]): DeliveryPort {
  return { deliver: async (run) => void log.push(`${name}:${run.id}`) };
}

describe('RoutingDelivery', () => {
  it('uploads runs with a channel to Slack and saves runs without one to a folder', async () => {
    const log: string[] = [];
    const delivery = new RoutingDelivery({
      channel: recorder('slack', log),
      noChannel: recorder('folder', log),
    });
    await delivery.deliver({ id: 1, channelId: 'C0PAYROLL' } as Run);
    await delivery.deliver({ id: 2, channelId: null } as Run);
    assert.deepEqual(log, ['slack:1', 'folder:2']);
  });

  it('passes the chosen delivery’s failure through unchanged (the engine decides on retries)', async () => {
    const failure = Object.assign(new Error('full'), {
      code: 'disk-full',
      userMessage: 'full',
      retryable: true,
    });
    const delivery = new RoutingDelivery({
      channel: recorder('slack', []),
      noChannel: { deliver: async () => Promise.reject(failure) },
    });
    await assert.rejects(delivery.deliver({ id: 3, channelId: null } as Run), (error) => error === failure);
  });
});
