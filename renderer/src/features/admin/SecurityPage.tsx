// The Security page for admins (issue 12, point 7): restore drills, from the clinic's cloud and
// from the newest backup, with the recovery code, and when the last of each passed (a warning
// after 30 days without one); this workstation's last backup; and the clinic's recovery point:
// what each workstation had not sent when it last reached the cloud, and since when.
import { Alert, Button, Group, Loader, PasswordInput, Stack, Table, Text, Title } from '@mantine/core';
import { formatDistanceToNow } from 'date-fns';
import { useCallback, useEffect, useState } from 'react';
import type { BackupStatus, DrillReport, DrillSource } from '../../../../shared/domain/backup';
import type { DeviceInfo } from '../../../../shared/domain/sync';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useApi } from '../../lib/api';
import { useClock } from '../../lib/clock-context';
import { useCall } from '../../lib/use-call';

const ago = (iso: string) => formatDistanceToNow(new Date(iso), { addSuffix: true });

export function SecurityPage() {
  const api = useApi();
  const { error, run } = useCall();
  const [status, setStatus] = useState<BackupStatus | null>(null);
  const [devices, setDevices] = useState<readonly DeviceInfo[] | null>(null);
  const refresh = useCallback(async () => {
    const s = await run(api.call('backup.status', {}));
    if (s) setStatus(s);
    // Not connected to a cloud: no workstations to list, and no drill from it.
    const d = await api.call('devices.list', {});
    setDevices(d.ok ? d.value.filter((w) => !w.revokedAt) : []);
  }, [api, run]);
  useEffect(() => { void refresh(); }, [refresh]);
  return (
    <Stack maw={900}>
      <Title order={1} size="h2">Security</Title>
      <ErrorAlert error={error} />
      {status === null || devices === null ? <Loader size="sm" aria-label="Loading the security overview" /> : (
        <>
          <Drills status={status} connected={devices.length > 0} onDone={refresh} />
          <section aria-labelledby="security-backup">
            <Title order={2} size="h3" id="security-backup">Offline backup (this workstation)</Title>
            <Text size="sm" role="status">
              {status.lastAt ? `Last backup ${ago(status.lastAt)}: ${status.lastFile ?? ''}.` : status.folder ? 'No backup has been made here yet.' : 'No backup folder is chosen on this workstation (Settings → Offline backups).'}
            </Text>
            {status.lastError && <Text size="sm" c="red.9" role="alert">The last backup failed: {status.lastError}</Text>}
          </section>
          <RecoveryPoint devices={devices} />
        </>
      )}
    </Stack>
  );
}

function DrillLine({ label, d }: { label: string; d: DrillReport | null }) {
  const clock = useClock();
  return (
    <Text size="sm">
      <strong>{label}:</strong>{' '}
      {d ? `${clock.dateTime(d.at)}, ${d.ok ? `passed in ${d.seconds} s. ${d.message}` : `failed. ${d.message}`}` : 'never run.'}
      {d?.source === 'backup' && d.changedSince.length > 0 && ` Changed since that backup: ${d.changedSince.join(', ')}.`}
    </Text>
  );
}

function Drills({ status, connected, onDone }: { status: BackupStatus; connected: boolean; onDone: () => Promise<void> }) {
  const api = useApi();
  const { pending, error, run } = useCall();
  const [code, setCode] = useState('');
  const [running, setRunning] = useState<DrillSource | null>(null);
  const drill = async (from: DrillSource) => {
    setRunning(from);
    await run(api.call('backup.drill', { recoveryCode: code.trim(), from }));
    setRunning(null);
    setCode('');
    await onDone();
  };
  const ready = code.trim().length >= 16 && !pending;
  return (
    <section aria-labelledby="security-drills">
      <Stack gap="xs">
        <Title order={2} size="h3" id="security-drills">Restore drills</Title>
        <Text size="sm">A drill restores the clinic into a temporary folder on this workstation with the recovery code, checks everything it restored, compares it with the record here, and removes it. The result goes to the audit log.</Text>
        <div role="status">
          <DrillLine label="From the cloud" d={status.lastCloudDrill} />
          <DrillLine label="From the newest backup" d={status.lastDrill} />
        </div>
        {status.drillOverdue && <Alert color="red" role="alert" title="No restore drill has passed in the last 30 days">A backup or a cloud is only known to work once it has been restored. Run a drill with the recovery code.</Alert>}
        <PasswordInput label="Recovery code" description="The clinic's recovery code, which IT keeps; it is used for the drill and not kept." value={code} autoComplete="off" maw={480}
          onChange={(e) => setCode(e.currentTarget.value)} />
        <ErrorAlert error={error} />
        <Group>
          <Button loading={running === 'cloud'} disabled={!ready || !connected} onClick={() => void drill('cloud')}>Drill from the cloud</Button>
          <Button variant="default" loading={running === 'backup'} disabled={!ready || !status.folder} onClick={() => void drill('backup')}>Drill from the newest backup</Button>
        </Group>
      </Stack>
    </section>
  );
}

/** What a lost workstation would take with it: its unsent changes, and what it did since it last reached the cloud. */
function RecoveryPoint({ devices }: { devices: readonly DeviceInfo[] }) {
  if (devices.length === 0) return null;
  const oldest = devices.filter((d) => d.outbox?.oldestAt).sort((a, b) => (a.outbox?.oldestAt ?? '').localeCompare(b.outbox?.oldestAt ?? ''))[0];
  const quietest = [...devices].filter((d) => !d.thisWorkstation).sort((a, b) => (a.lastSeenAt ?? '').localeCompare(b.lastSeenAt ?? ''))[0];
  return (
    <section aria-labelledby="security-rpo">
      <Stack gap="xs">
        <Title order={2} size="h3" id="security-rpo">Changes the cloud does not have yet</Title>
        <Text size="sm" role="status">
          {oldest?.outbox?.oldestAt
            ? `The clinic's recovery point: ${oldest.name} holds changes the cloud does not have, the oldest from ${ago(oldest.outbox.oldestAt)}. Losing it now would lose them.`
            : 'Every workstation had sent all its changes when it last reached the cloud.'}
          {quietest?.lastSeenAt && ` ${quietest.name} last reached the cloud ${ago(quietest.lastSeenAt)}; anything done there since is only there.`}
        </Text>
        <Table aria-label="Unsent changes by workstation">
          <Table.Thead><Table.Tr><Table.Th>Workstation</Table.Th><Table.Th>Last reached the cloud</Table.Th><Table.Th>Unsent changes</Table.Th><Table.Th>Oldest unsent</Table.Th></Table.Tr></Table.Thead>
          <Table.Tbody>
            {devices.map((d) => (
              <Table.Tr key={d.deviceId}>
                <Table.Td>{d.name}{d.thisWorkstation ? ' (this one)' : ''}</Table.Td>
                <Table.Td>{d.thisWorkstation ? 'Now' : d.lastSeenAt ? ago(d.lastSeenAt) : 'Never'}</Table.Td>
                <Table.Td>{d.outbox ? (d.outbox.unsent === 0 ? 'None' : String(d.outbox.unsent)) : 'Not reported'}</Table.Td>
                <Table.Td>{d.outbox?.oldestAt ? ago(d.outbox.oldestAt) : '—'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Stack>
    </section>
  );
}
