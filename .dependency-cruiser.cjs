/**
 * The import rules of DESIGN.md §5, checked by `npm run lint`: dependencies point inwards. Most rules
 * are allow-lists ("may import only …"), so a folder added later is forbidden until someone decides.
 *
 *   util, errors.ts ◄── calendar ◄── i18n ◄── command (the grammar) ◄── cli, bot
 *   util, errors.ts ◄── lucca, store ◄── exports (owns the store's contract) ◄── schedule, bot, cli
 *   compose.ts, compose-engine.ts, schedule-extension.ts, main.ts: the composition root, imported by no module
 *
 * Type-only imports from store to exports and schedule are allowed: the engine and the scheduler own
 * their contracts (the port types) and the store implements them; exports/run-states.ts (the lifecycle's
 * state sets and predicates, a leaf) is the one value the store takes from the engine.
 */
const ROOT = '^src/(compose|compose-engine|schedule-extension|main)\\.ts$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'util-is-a-leaf',
      severity: 'error',
      from: { path: '^src/util/' },
      to: { path: '^src/', pathNot: ['^src/util/', '^src/errors\\.ts$'] },
    },
    {
      name: 'calendar-is-a-date-library',
      comment: 'Dates and time zones only: no words (those are i18n), nothing of runs, Slack or Lucca.',
      severity: 'error',
      from: { path: '^src/calendar/' },
      to: { path: '^src/', pathNot: ['^src/(calendar|util)/', '^src/errors\\.ts$'] },
    },
    {
      name: 'i18n-is-words-only',
      comment:
        'Catalog helpers, dates, numbers and names in a language; it reads the run types, nothing more.',
      severity: 'error',
      from: { path: '^src/i18n/' },
      to: {
        path: '^src/',
        pathNot: ['^src/(i18n|calendar|util)/', '^src/errors\\.ts$'],
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'store-knows-nothing-above',
      comment:
        'SQLite only: besides util and errors, only the contracts it implements (types) and the lifecycle.',
      severity: 'error',
      from: { path: '^src/store/' },
      to: {
        path: '^src/',
        pathNot: ['^src/(store|util)/', '^src/errors\\.ts$', '^src/exports/run-states\\.ts$'],
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'store-types-only-from-its-callers',
      comment: 'Not even a type from Slack, the CLI, the grammar, Lucca, config or the composition root.',
      severity: 'error',
      from: { path: '^src/store/' },
      to: { path: '^src/', pathNot: ['^src/(store|util|exports|schedule)/', '^src/errors\\.ts$'] },
    },
    {
      name: 'lucca-knows-nothing-above',
      comment: 'The HTTP client for Lucca: it knows nothing of runs, storage, Slack, schedules or words.',
      severity: 'error',
      from: { path: '^src/lucca/' },
      to: { path: '^src/', pathNot: ['^src/(lucca|util)/', '^src/errors\\.ts$'] },
    },
    {
      name: 'exports-knows-no-callers',
      comment:
        'The engine is called by bot, schedule and cli; it calls lucca and store through its own ports.',
      severity: 'error',
      from: { path: '^src/exports/' },
      to: { path: `^src/(bot|schedule|cli|doctor|store|command)/|${ROOT.slice(1)}` },
    },
    {
      name: 'grammar-knows-no-slack',
      comment:
        'The command grammar returns structured results and coded refusals; Slack and the CLI say them.',
      severity: 'error',
      from: { path: '^src/command/' },
      to: {
        path: '^src/',
        pathNot: ['^src/(command|calendar|util)/', '^src/errors\\.ts$', '^src/schedule/rules\\.ts$'],
      },
    },
    {
      name: 'schedule-knows-no-bot',
      comment: 'The month-end rules and the scheduler are pure of Slack; their Slack parts live in src/bot.',
      severity: 'error',
      from: { path: '^src/schedule/' },
      to: { path: `^src/(bot|cli|doctor|command)/|${ROOT.slice(1)}` },
    },
    {
      name: 'cli-renders-its-own-words',
      comment: 'The terminal never shows Slack wording: nothing of src/bot (Block Kit builders) in the CLI.',
      severity: 'error',
      from: { path: '^src/cli/' },
      to: { path: `^src/bot/|^src/(compose|schedule-extension|main)\\.ts$` },
    },
    {
      name: 'only-bot-knows-slack',
      comment: 'Slack packages belong to bot, doctor (its Slack checks) and the composition root.',
      severity: 'error',
      from: { path: '^src/(lucca|store|exports|calendar|i18n|schedule|command|cli|util)/' },
      to: { path: '^node_modules/@slack/' },
    },
    {
      name: 'nobody-imports-the-composition-root',
      comment:
        'main.ts composes; compose*.ts and schedule-extension.ts are imported by main, the CLI session and each other only.',
      severity: 'error',
      from: { path: '^src/', pathNot: [ROOT, '^src/cli/session\\.ts$', '^src/doctor/'] },
      to: { path: ROOT, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'src-never-imports-fakes-or-tests',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(fakes|test|bench|scripts)/' },
    },
    {
      name: 'no-circular',
      comment: 'A cycle of value imports means two modules are one; type-only cycles are harmless.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
};
