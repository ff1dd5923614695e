// The import rules of DESIGN.md fail the lint step: a scratch tree with one forbidden import
// per rule is cruised with the project's own dependency-cruiser config.
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';

const run = promisify(execFile);
const repo = resolve('.');
let dir = '';
afterAll(async () => rm(dir, { recursive: true, force: true }));

const files: Record<string, string> = {
  'shared/api/bad-node.ts': "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n",
  'shared/domain/bad-engine.ts': "import { Engine } from '../../electron/engine/engine';\nexport const y = Engine;\n",
  'renderer/src/bad-fs.ts': "import { readFileSync } from 'fs';\nexport const z = readFileSync;\n",
  'renderer/src/bad-engine.ts': "import { Engine } from '../../electron/engine/engine';\nexport const w = Engine;\n",
  'electron/engine/engine.ts': "import { app } from 'electron';\nexport const Engine = app;\n",
  'electron/preload/index.ts': "import { Engine } from '../engine/engine';\nexport const v = Engine;\n",
  'cloud/bad.ts': "import { Engine } from '../electron/engine/engine';\nexport const u = Engine;\n",
  'electron/main/ok.ts': "import { app } from 'electron';\nexport const fine = app;\n",
  // Two modules that import each other.
  'shared/domain/circle-a.ts': "import { b } from './circle-b';\nexport const a = () => b;\n",
  'shared/domain/circle-b.ts': "import { a } from './circle-a';\nexport const b = () => a;\n",
  // A feature and sync reaching up to the composition root; the kernel reaching a feature.
  'electron/engine/charting/bad-up.ts': "import { Engine } from '../engine';\nexport const t = Engine;\n",
  'electron/engine/sync/bad-up.ts': "import { Engine } from '../engine';\nexport const s = Engine;\n",
  'electron/engine/patients/thing.ts': 'export const thing = 1;\n',
  'electron/engine/db/bad-feature.ts': "import { thing } from '../patients/thing';\nexport const r = thing;\n",
};

it('fails on each forbidden import and names the rule it breaks', async () => {
  dir = await mkdtemp(join(tmpdir(), 'chartroom-lint-'));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  await cp(join(repo, 'tsconfig.node.json'), join(dir, 'tsconfig.node.json'));
  await cp(join(repo, 'tsconfig.base.json'), join(dir, 'tsconfig.base.json'));
  await symlink(join(repo, 'node_modules'), join(dir, 'node_modules'));
  const result = await run(process.execPath, [join(repo, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs'), '--config', join(repo, '.dependency-cruiser.cjs'), 'shared', 'renderer', 'electron', 'cloud'], { cwd: dir })
    .then(() => ({ code: 0, out: '' }))
    .catch((e: { code: number; stdout: string }) => ({ code: e.code, out: e.stdout }));
  expect(result.code).not.toBe(0);
  for (const rule of [
    'shared-no-node', 'shared-is-neutral', 'renderer-no-node', 'renderer-through-contract', 'engine-no-electron', 'preload-minimal', 'cloud-isolated',
    'no-circular', 'engine-features-below-wiring', 'engine-sync-below-wiring', 'engine-kernel-knows-no-feature',
  ]) {
    expect(result.out, rule).toContain(rule);
  }
  expect(result.out).not.toContain('electron/main/ok.ts');
  // Each new rule names the file that broke it, and only that one.
  expect(result.out).toMatch(/engine-features-below-wiring: electron\/engine\/charting\/bad-up\.ts/);
  expect(result.out).toMatch(/engine-sync-below-wiring: electron\/engine\/sync\/bad-up\.ts/);
  expect(result.out).toMatch(/engine-kernel-knows-no-feature: electron\/engine\/db\/bad-feature\.ts/);
  expect(result.out).toMatch(/no-circular: shared\/domain\/circle-[ab]\.ts/);
  expect(result.out).not.toMatch(/: electron\/engine\/patients\/thing\.ts/);
});
