/**
 * The dependency rule (docs/ARCHITECTURE.md): core <- tenant-runtime <- {control-plane, workspace} <- app.
 * `npm test` runs this through `npm run deps`; there are no exceptions.
 */
const LAYERS = '^(core|tenant-runtime|control-plane|workspace|app)/';

module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'Import cycles make the load order fragile and the layers meaningless.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-knows-no-layer',
      comment: 'core/ is what every layer uses; it knows no tenant, no control plane and no workspace.',
      severity: 'error',
      from: { path: '^core/' },
      to: { path: '^(tenant-runtime|control-plane|workspace|app)/' },
    },
    {
      name: 'tenant-runtime-uses-core-only',
      comment: 'tenant-runtime/ is tenancy itself: it asks injected gates instead of importing the control plane.',
      severity: 'error',
      from: { path: '^tenant-runtime/' },
      to: { path: '^(control-plane|workspace|app)/' },
    },
    {
      name: 'control-plane-not-workspace',
      comment: 'control-plane/ and workspace/ never import each other; app/ wires narrow interfaces between them.',
      severity: 'error',
      from: { path: '^control-plane/' },
      to: { path: '^(workspace|app)/' },
    },
    {
      name: 'workspace-not-control-plane',
      comment: 'workspace/ and control-plane/ never import each other; app/ wires narrow interfaces between them.',
      severity: 'error',
      from: { path: '^workspace/' },
      to: { path: '^(control-plane|app)/' },
    },
    {
      name: 'migrations-use-core-only',
      comment: 'Migrations are frozen history: they may use core/ helpers, never the code that changes with features.',
      severity: 'error',
      from: { path: '^(tenant-migrations|platform-migrations)/' },
      to: { path: '^(tenant-runtime|control-plane|workspace|app)/' },
    },
    {
      name: 'product-never-imports-tests-or-bench',
      severity: 'error',
      from: { path: LAYERS },
      to: { path: '^(test|bench)/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|data|coverage|bench/results)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js', '.json'] },
  },
};
