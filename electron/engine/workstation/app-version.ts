// The version of this checkout's Chartroom, from package.json: what the browser host and the
// admin CLI run (the Electron app asks Electron, which reads the same field).
import { readFileSync } from 'node:fs';

export function packageVersion(): string {
  return (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}
