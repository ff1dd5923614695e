// The import rules of DESIGN.md ("What may import what"), checked on resolved paths so that no
// relative-path trick gets past them. Run by `npm run lint`.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    { name: 'shared-is-neutral', comment: 'shared/ imports only shared/ and runtime-neutral packages.', severity: 'error',
      from: { path: '^shared/' }, to: { path: '^(electron|renderer|cloud|tests)/' } },
    { name: 'shared-no-node', severity: 'error', from: { path: '^shared/' }, to: { dependencyTypes: ['core'] } },
    { name: 'shared-no-electron-react', severity: 'error', from: { path: '^shared/' }, to: { path: 'node_modules/(electron|react|react-dom)/' } },
    { name: 'renderer-through-contract', comment: 'The renderer reaches the engine only through shared/api.', severity: 'error',
      from: { path: '^renderer/src/' }, to: { path: '^(electron|cloud|tests)/' } },
    { name: 'renderer-no-node', severity: 'error', from: { path: '^renderer/src/' }, to: { dependencyTypes: ['core'] } },
    { name: 'renderer-no-electron', severity: 'error', from: { path: '^renderer/src/' }, to: { path: 'node_modules/electron/' } },
    { name: 'preload-minimal', comment: 'The preload imports shared/api and electron only.', severity: 'error',
      from: { path: '^electron/preload/' }, to: { path: '^(electron/(main|engine|browser-host)|renderer|cloud|tests|shared/domain)/' } },
    { name: 'engine-no-electron', comment: 'The engine is plain Node and runs under vitest.', severity: 'error',
      from: { path: '^electron/(engine|browser-host)/' }, to: { path: 'node_modules/electron/' } },
    { name: 'engine-stays-below-main', severity: 'error',
      from: { path: '^electron/engine/' }, to: { path: '^(electron/(main|preload|browser-host)|renderer|cloud|tests)/' } },
    { name: 'electron-only-in-main-and-preload', severity: 'error',
      from: { pathNot: '^(electron/(main|preload)/|tests/e2e/)' }, to: { path: 'node_modules/electron/' } },
    { name: 'cloud-isolated', severity: 'error', from: { path: '^cloud/' }, to: { path: '^(electron|renderer|tests)/' } },
    { name: 'nothing-imports-tests', severity: 'error', from: { pathNot: '^tests/' }, to: { path: '^tests/' } },
    { name: 'no-circular', comment: 'No import circles, type-only imports included: each module sits above or below another, never both.', severity: 'error',
      from: {}, to: { circular: true } },
    // Inside the engine: features below the handlers' wiring, sync below the composition root,
    // and a kernel (database, keys, audit log, users) that knows no feature and no sync.
    { name: 'engine-features-below-wiring', comment: 'Features get the ports they use, never the Engine or the api/ wiring.', severity: 'error',
      from: { path: '^electron/engine/(patients|scheduling|charting|video)/' }, to: { path: '^electron/engine/(engine\\.ts|api/|cli/)' } },
    { name: 'engine-sync-below-wiring', comment: 'Sync gets its SyncHost port, never the Engine or the api/ wiring.', severity: 'error',
      from: { path: '^electron/engine/sync/' }, to: { path: '^electron/engine/(engine\\.ts|api/|cli/)' } },
    { name: 'engine-kernel-knows-no-feature', comment: 'db, keys, audit and auth import no feature, no sync and nothing above them.', severity: 'error',
      from: { path: '^electron/engine/(db|keys|audit|auth)/' },
      to: { path: '^electron/engine/(patients|scheduling|charting|video|sync|api|cli|clinic|session|workstation)/|^electron/engine/engine\\.ts' } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.node.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], extensions: ['.ts', '.tsx', '.js', '.cjs', '.mjs', '.json'] },
    exclude: { path: '^(out|dist|renderer/dist)/' },
  },
};
