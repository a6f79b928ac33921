/**
 * The import rules of DESIGN.md §5, checked by `npm run lint`: dependencies point inwards.
 * `store` and `lucca` know nothing of what uses them; `schedule` knows nothing of Slack; the CLI
 * renders its own words; nothing in `src` reaches into the fakes or the tests.
 * Type-only imports from `store` to `exports` and `schedule` are allowed: the engine and the scheduler
 * own their contracts (the port types) and the store implements them.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'store-knows-nothing-above',
      comment:
        'src/store is SQLite only: it implements the contracts of the engine and the scheduler (their types), and imports no code above it.',
      severity: 'error',
      from: { path: '^src/store/' },
      to: {
        path: '^src/(exports|schedule)/',
        // run-states.ts is the lifecycle as data (the state sets the SQL filters on), no engine code.
        pathNot: '^src/exports/run-states\\.ts$',
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'store-knows-no-callers',
      comment: 'Not even a type from Slack, the CLI, the doctor, Lucca or the composition root.',
      severity: 'error',
      from: { path: '^src/store/' },
      to: { path: '^src/(bot|cli|doctor|lucca|compose|compose-engine|main|schedule-extension)' },
    },
    {
      name: 'lucca-knows-nothing-above',
      comment:
        'src/lucca is the HTTP client for Lucca: it knows nothing of runs, storage, Slack or schedules.',
      severity: 'error',
      from: { path: '^src/lucca/' },
      to: {
        path: '^src/(bot|exports|store|schedule|cli|doctor|compose|compose-engine|main|schedule-extension)',
      },
    },
    {
      name: 'lucca-and-store-know-no-slack',
      severity: 'error',
      from: { path: '^src/(lucca|store|exports|calendar|i18n|schedule)/' },
      to: { path: '^node_modules/@slack/' },
    },
    {
      name: 'schedule-knows-no-bot',
      comment: 'The month-end rules and the scheduler are pure of Slack; their Slack parts live in src/bot.',
      severity: 'error',
      from: { path: '^src/schedule/' },
      to: { path: '^src/(bot|cli|doctor)/' },
    },
    {
      name: 'exports-knows-no-callers',
      comment:
        'The engine is called by bot, schedule and cli; it calls lucca and store through its own ports.',
      severity: 'error',
      from: { path: '^src/exports/' },
      to: { path: '^src/(bot|schedule|cli|doctor|store|compose|compose-engine|main|schedule-extension)' },
    },
    {
      name: 'calendar-is-a-library',
      severity: 'error',
      from: { path: '^src/(calendar|i18n|util)/' },
      to: { path: '^src/(bot|exports|store|lucca|schedule|cli|doctor|compose|main)' },
    },
    {
      name: 'cli-renders-its-own-words',
      comment: 'The terminal never shows Slack wording: no Block Kit builders in the CLI.',
      severity: 'error',
      from: { path: '^src/cli/' },
      to: { path: '^src/bot/' },
    },
    {
      name: 'grammar-knows-no-slack',
      comment:
        'The command grammar (src/command) serves Slack and the CLI alike: it returns coded results, and each of them says them.',
      severity: 'error',
      from: { path: '^src/command/' },
      to: { path: '^(src/(bot|cli|doctor|store|exports|lucca)/|node_modules/@slack/)' },
    },
    {
      name: 'src-never-imports-fakes-or-tests',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(fakes|test|bench|scripts)/' },
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
