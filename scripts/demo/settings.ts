/** The demo's cast and stage: fixed so that its test can check what it prints and writes. */
export const DEMO = {
  channel: 'C0PAYROLL',
  channelName: 'payroll',
  user: 'U0ANA',
  userName: 'Ana (payroll)',
  botName: 'Timesheet Export',
  botToken: 'xoxb-demo-not-a-real-token',
  signingSecret: '5f3e1c2b9a8d7e6f5a4b3c2d1e0f9a8b',
  luccaKey: 'demo-lucca-key',
  configurationId: 3,
  alias: 'payroll',
  /** How long the simulated Lucca takes to build an export (real time). */
  buildMs: 6_000,
  /** How long it holds the POST before answering 408, as Lucca's gateway does after about 5 s. */
  postHoldMs: 2_000,
  entries: 12,
  /** The demo's second act waits this long for the stall (60m by default; 10s is the minimum). */
  stallAfter: '15s',
} as const;
