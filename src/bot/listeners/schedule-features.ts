import type { App } from '@slack/bolt';
import { registerHomeActions } from './actions/home-actions.js';
import { type HomeDeps, registerAppHome } from './events/app-home.js';

export type ScheduleFeatureDeps = HomeDeps;

/** App Home (tab and buttons) for schedules; pass to `createSlackApp(options, ctx, register)`. */
export function registerScheduleFeatures(app: App, deps: ScheduleFeatureDeps): void {
  registerAppHome(app, deps);
  registerHomeActions(app, deps);
}
