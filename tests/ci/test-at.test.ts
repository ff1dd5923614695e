// `npm run test:late` runs the suites on a moved clock: scripts/test-at.mjs must put the command
// and every Node process it starts on one clock that reads the given local time and flows on.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const run = promisify(execFile);

it('moves the clock of the command and of what it spawns to 23:55 local time, flowing', async () => {
  const probe = `
    const { execFileSync } = require('node:child_process');
    const first = Date.now();
    const child = Number(execFileSync(process.execPath, ['-e', 'process.stdout.write(String(Date.now()))']).toString());
    console.log(JSON.stringify({ local: new Date(first).toString(), first, child }));
  `;
  const env = { ...process.env, TZ: 'America/New_York', NODE_OPTIONS: '' };
  const { stdout } = await run(process.execPath, ['scripts/test-at.mjs', '2026-10-31T23:55', '--', process.execPath, '-e', probe], { env });
  const answer = JSON.parse(stdout.trim().split('\n').pop() as string) as { local: string; first: number; child: number };
  expect(answer.local).toMatch(/^Sat Oct 31 2026 23:5[5-9]:\d\d GMT-0400/);
  expect(answer.child - answer.first).toBeGreaterThanOrEqual(0);
  expect(answer.child - answer.first).toBeLessThan(5_000);
});

it('refuses a time it cannot read, without running the command', async () => {
  const failed = await run(process.execPath, ['scripts/test-at.mjs', 'tonight', '--', process.execPath, '-e', 'console.log("ran")']).catch((e: { code: number; stdout: string; stderr: string }) => e);
  expect('code' in failed && failed.code).toBe(2);
  expect(String((failed as { stdout: string }).stdout)).not.toContain('ran');
});
