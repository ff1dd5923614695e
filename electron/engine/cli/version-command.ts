// `npm run admin -- version [--data-dir DIR]`: the version this Chartroom is, and with a data
// dir what that workstation knows of its updates (channel, last check, an update waiting and
// when it installs, the last refusal or failure). Asked without signing in, as the app does.
import { UpdateStatus } from '../../../shared/updates/status';
import type { Invoke } from '../api/dispatcher';
import { CommandError } from './prompt';

export async function printVersion(running: string, invoke: Invoke | null): Promise<void> {
  console.log(`Chartroom ${running}`);
  if (!invoke) return;
  const r = await invoke('updates.status', {});
  if (!r.ok) throw new CommandError(`${r.error.code}: ${r.error.message}`);
  const s = UpdateStatus.parse(r.value);
  console.log(`channel: ${s.channel ?? 'not yet known (no update installed here)'}`);
  console.log(`last check: ${s.lastCheckAt ?? 'never'}`);
  console.log(`pending: ${s.pending ? `${s.pending.version}. ${s.pending.message}` : 'none'}`);
  console.log(`last problem: ${s.lastProblem ? `${s.lastProblem.at} ${s.lastProblem.code}: ${s.lastProblem.message}` : 'none'}`);
}
