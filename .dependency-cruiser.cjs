/**
 * The module boundaries of ../shared/CONVENTIONS.md, checked on every `npm test`.
 * Composition roots (src/main.ts, src/bootstrap, src/cli) are the only places that wire api and workers.
 */
module.exports = {
  forbidden: [
    {
      name: 'domain-stays-pure',
      comment: 'Domain logic is testable alone: it declares its ports (repositories, a unit of work, queues) and imports no HTTP, queue, SQL driver, storage or tfjs.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { path: ['node_modules/(express|bullmq|ioredis|pg|@electric-sql|@tensorflow|@vladmandic|multer|sharp)/', '^src/(api|dashboard|queue|storage|bootstrap)/', '^workers/'] },
    },
    {
      name: 'adapters-implement-ports',
      comment: 'Storage and queue implement the domain\'s ports: they depend on the domain, never on the entry points or the wiring.',
      severity: 'error',
      from: { path: '^src/(storage|queue)/' },
      to: { path: ['^src/(api|dashboard|bootstrap)/', '^workers/'] },
    },
    {
      name: 'entry-points-through-domain',
      comment: 'The API and the dashboard reach data through domain services and ports only; the composition root hands them in.',
      severity: 'error',
      from: { path: '^src/(api|dashboard)/' },
      to: { path: '^src/storage/' },
    },
    {
      name: 'nobody-imports-the-composition-root',
      comment: 'src/bootstrap wires everything; only the process entry points (main, CLI) start it.',
      severity: 'error',
      from: { pathNot: ['^src/main\\.ts$', '^src/bootstrap/', '^src/cli/', '^test/', '^scripts/'] },
      to: { path: '^src/bootstrap/' },
    },
    {
      name: 'api-without-engine',
      comment: 'The API reaches the face engine through the domain only (what an upgrade may target is a domain fact).',
      severity: 'error',
      from: { path: '^src/api/' },
      to: { path: '^src/engine/' },
    },
    {
      name: 'dashboard-beside-api',
      comment: 'The dashboard and the API are two entry points over the same domain; what both need (HTML helpers) is in src/shared.',
      severity: 'error',
      from: { path: '^src/dashboard/' },
      to: { path: '^src/(api|engine)/' },
    },
    {
      name: 'workers-handle-jobs',
      comment: 'workers/ holds job handlers only: HTTP routes and wiring belong to src/api and src/bootstrap.',
      severity: 'error',
      from: { path: '^workers/' },
      to: { path: '^src/api/' },
    },
    {
      name: 'engine-knows-faces-only',
      comment: 'The engine turns pixels into faces and embeddings; it knows nothing of the business rules or of storage.',
      severity: 'error',
      from: { path: '^src/engine/' },
      to: { path: '^src/(domain|storage)/' },
    },
    {
      name: 'nobody-imports-entrypoints',
      comment: 'api, dashboard and workers are leaves; only composition roots wire them.',
      severity: 'error',
      from: { pathNot: ['^src/main\\.ts$', '^src/bootstrap/', '^src/cli/', '^src/(api|dashboard)/', '^workers/', '^test/', '^scripts/'] },
      to: { path: ['^src/api/', '^src/dashboard/', '^workers/'] },
    },
    {
      name: 'tfjs-behind-engine',
      comment: 'Only the engine touches tfjs and face-api.',
      severity: 'error',
      from: { pathNot: '^src/engine/' },
      to: { path: 'node_modules/(@tensorflow|@vladmandic)/' },
    },
    {
      name: 'config-reads-env',
      comment: 'Tests check process.env reads separately; here: nothing imports the CLI.',
      severity: 'error',
      from: {},
      to: { path: '^src/cli/' },
    },
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
