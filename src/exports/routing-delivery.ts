import type { DeliveryPort, Run } from './types.js';

/**
 * Sends each run to the delivery that fits it: runs started in Slack (with a channel) are uploaded
 * there; runs without one (the command line) go to a folder. The Slack app and the command line can
 * share a database, so either process may end up delivering the other's run.
 */
export class RoutingDelivery implements DeliveryPort {
  constructor(private readonly routes: { channel: DeliveryPort; noChannel: DeliveryPort }) {}

  deliver(run: Run): Promise<void> {
    return (run.channelId ? this.routes.channel : this.routes.noChannel).deliver(run);
  }
}
