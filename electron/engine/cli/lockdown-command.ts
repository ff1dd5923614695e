// `admin lockdown`: IT's lockdown from any machine, with the recovery code and no workstation
// (lockdown/it-command.ts). Prints where the lockdown stands and each workstation's place in it.
import type { ItAnswer, ItCommandName } from '../../../shared/domain/lockdown';
import { sendItCommand } from '../lockdown/it-command';
import { CommandError, readPassword, UsageError } from './prompt';

export interface LockdownArgs {
  readonly cloud?: string;
  readonly clinic?: string;
  readonly lift?: string;
  readonly revoke?: string;
  readonly status: boolean;
  readonly recoveryCode?: string;
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function lockdown(a: LockdownArgs): Promise<void> {
  if (!a.cloud) throw new UsageError('--cloud URL is required');
  if (!a.clinic || !uuid.test(a.clinic)) throw new UsageError('--clinic ID is required: the clinic’s ID, shown to admins under Workstations');
  if ([a.lift, a.revoke, a.status || undefined].filter(Boolean).length > 1) throw new UsageError('give one of --lift, --revoke and --status');
  for (const id of [a.lift, a.revoke]) if (id !== undefined && !uuid.test(id)) throw new UsageError('a workstation is named by its ID (see --status)');
  const command: ItCommandName = a.lift ? 'lift' : a.revoke ? 'revoke' : a.status ? 'status' : 'lockdown';
  const recoveryCode = a.recoveryCode ?? (await readPassword('Recovery code: ', 'CHARTROOM_RECOVERY_CODE'));
  const r = await sendItCommand({ cloudUrl: a.cloud, tenantId: a.clinic, recoveryCode, command, deviceId: a.lift ?? a.revoke });
  if (!r.ok) throw new CommandError(`${r.error.code}: ${r.error.message}`);
  print(r.value);
}

function print(a: ItAnswer): void {
  console.log(a.lockdown ? `The clinic is locked down since ${a.lockdown.since} (${a.lockdown.by.kind === 'workstation' ? `from ${a.lockdown.by.name}` : 'by IT'}).` : 'No lockdown holds any workstation.');
  for (const d of a.devices) {
    const state = d.revokedAt ? 'revoked' : d.held ? 'locked down' : 'open';
    console.log(`  ${String(d.number).padStart(2)}  ${d.deviceId}  ${state.padEnd(11)}  ${d.name}`);
  }
}
