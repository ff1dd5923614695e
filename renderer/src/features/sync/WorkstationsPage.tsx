// Workstations for practice admins: connect this one to the clinic's cloud (the first one is
// shown the recovery code once), issue one-time codes for others, revoke a lost or stolen one,
// undo a workstation's changes from a time on (UndoDialog), and lock the whole clinic down
// (LockdownPanel).
import { Alert, Badge, Button, Code, CopyButton, Group, Modal, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { format, formatDistanceToNow } from 'date-fns';
import { useCallback, useEffect, useState } from 'react';
import { isLoopbackAddress } from '../../../../shared/domain/settings';
import type { DeviceInfo, QuarantineKind, RefusedMessage, SyncStatus } from '../../../../shared/domain/sync';

const kindLabels: Readonly<Record<QuarantineKind, string>> = { 'change-set': 'A change', 'key-wrap': 'The clinic key', snapshot: 'A clinic snapshot', 'unsent-change-set': 'A change made here, not sent', document: 'An attached document', 'audit-rows': 'Audit rows of another workstation' };

/** What a refusal means, for the admin deciding whether to worry. */
function explain(reason: string): string {
  if (reason === 'not-authentic') return 'Failed its authenticity check: altered in the cloud, or not from this clinic.';
  if (reason === 'unknown-key') return 'Sealed under a key this clinic never shared with this workstation: not from this clinic, or a key not yet shared.';
  if (reason === 'malformed') return 'Unreadable after decryption.';
  return `Not applied: ${reason}.`;
}
import { ErrorAlert } from '../../components/ErrorAlert';
import { KeptAsidePanel } from './KeptAsidePanel';
import { LockdownPanel } from './LockdownPanel';
import { UndoDialog } from './UndoDialog';
import { UpdateCell } from './UpdateCell';
import { useApi } from '../../lib/api';
import { useCall } from '../../lib/use-call';

export function WorkstationsPage({ recoveryCode, onRecoveryStored }: { recoveryCode?: string | null; onRecoveryStored?: () => void } = {}) {
  const api = useApi();
  const { pending, error, run } = useCall();
  const [status, setStatus] = useState<SyncStatus | null>(null);
  const [devices, setDevices] = useState<readonly DeviceInfo[]>([]);
  const [form, setForm] = useState({ cloudUrl: '', code: '', deviceName: '' });
  const [recovery, setRecovery] = useState<string | null>(recoveryCode ?? null);
  const [issued, setIssued] = useState<{ code: string; expiresAt: string; cloudUrl: string } | null>(null);
  const [revoking, setRevoking] = useState<DeviceInfo | null>(null);
  const [revoked, setRevoked] = useState<string | null>(null);
  const [undoing, setUndoing] = useState<DeviceInfo | null>(null);
  const [refused, setRefused] = useState<readonly RefusedMessage[]>([]);

  const load = useCallback(async () => {
    const s = await api.call('sync.status', {});
    if (s.ok) setStatus(s.value);
    if (s.ok && s.value.state !== 'not-enrolled') {
      const d = await api.call('devices.list', {});
      if (d.ok) setDevices(d.value);
      const r = await api.call('sync.refused', {});
      if (r.ok) setRefused(r.value);
    }
  }, [api]);
  useEffect(() => { void load(); }, [load]);

  return (
    <Stack>
      <Title order={1} size="h2">Workstations</Title>
      <ErrorAlert error={error} />
      {recovery && (
        <Alert color="red" title="Recovery code: write it down now" role="alert" className="recovery-code-sheet">
          {/* Printing prints this sheet only: the code, the clinic and what it is for. */}
          <style>{'@media print { body * { visibility: hidden !important; } .recovery-code-sheet, .recovery-code-sheet * { visibility: visible !important; } .recovery-code-sheet { position: absolute; left: 0; top: 0; } .recovery-code-sheet button { display: none !important; } }'}</style>
          <Text>This code is shown once. With it the clinic can recover its records if every workstation is lost. Print it and lock it away.</Text>
          <Code block fz="lg" mt="xs" aria-label="Recovery code">{recovery}</Code>
          <Group mt="xs">
            <Button variant="light" onClick={() => window.print()}>Print the recovery code</Button>
            <CopyButton value={recovery}>{({ copied, copy }) => <Button variant="light" onClick={copy}>{copied ? 'Copied' : 'Copy the recovery code'}</Button>}</CopyButton>
            <Button variant="light" onClick={() => { setRecovery(null); onRecoveryStored?.(); }}>I have stored the recovery code</Button>
          </Group>
        </Alert>
      )}
      {status?.state === 'not-enrolled' ? (
        <form aria-label="Connect this workstation" onSubmit={async (e) => {
          e.preventDefault();
          const r = await run(api.call('sync.enroll', form));
          if (r) { setRecovery(r.recoveryCode); await load(); }
        }}>
          <Stack maw={520}>
            <Text>
              Connect this workstation to the clinic's cloud with the clinic's setup code: it becomes the clinic's first
              workstation. Further workstations join from their own setup page, with a one-time code created here.
            </Text>
            <TextInput label="Cloud address" placeholder="https://clinic.example.org" required value={form.cloudUrl} onChange={(e) => setForm({ ...form, cloudUrl: e.currentTarget.value })} />
            <TextInput label="Code" required value={form.code} onChange={(e) => setForm({ ...form, code: e.currentTarget.value })} />
            <TextInput label="Name of this workstation" placeholder="Front desk" required value={form.deviceName} onChange={(e) => setForm({ ...form, deviceName: e.currentTarget.value })} />
            <Group><Button type="submit" loading={pending}>Connect</Button></Group>
          </Stack>
        </form>
      ) : (
        <>
          <Text>This is workstation {status?.workstationNumber}.</Text>
          <Table aria-label="Workstations">
            <Table.Thead><Table.Tr><Table.Th>#</Table.Th><Table.Th>Name</Table.Th><Table.Th>Enrolled</Table.Th><Table.Th>Last seen</Table.Th><Table.Th>Version</Table.Th><Table.Th>Updates</Table.Th><Table.Th>Status</Table.Th><Table.Th /></Table.Tr></Table.Thead>
            <Table.Tbody>
              {devices.map((d) => (
                <Table.Tr key={d.deviceId}>
                  <Table.Td>{d.number}</Table.Td>
                  <Table.Td>{d.name}{d.thisWorkstation && <Badge ml="xs" size="sm">this one</Badge>}</Table.Td>
                  <Table.Td>{format(new Date(d.enrolledAt), 'MMM d, yyyy')}</Table.Td>
                  <Table.Td>{d.lastSeenAt ? <span title={format(new Date(d.lastSeenAt), 'MMM d, yyyy HH:mm')}>{formatDistanceToNow(new Date(d.lastSeenAt), { addSuffix: true })}</span> : 'Never'}</Table.Td>
                  <Table.Td>{d.updates.version ?? 'Not reported'}{d.updates.channel && <Text span size="xs" c="dimmed"> {d.updates.channel}</Text>}</Table.Td>
                  <Table.Td><UpdateCell updates={d.updates} /></Table.Td>
                  <Table.Td>{d.revokedAt ? <Badge color="red">Revoked {format(new Date(d.revokedAt), 'MMM d')}</Badge> : <Badge color="teal">Active</Badge>}</Table.Td>
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap">
                      <Button size="xs" variant="default" aria-label={`Undo changes made at ${d.name}`} onClick={() => setUndoing(d)}>Undo changes…</Button>
                      {!d.revokedAt && !d.thisWorkstation && (
                        <Button size="xs" color="red" variant="light" aria-label={`Revoke ${d.name}`} onClick={() => setRevoking(d)}>Revoke</Button>
                      )}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Modal opened={revoking !== null} onClose={() => setRevoking(null)} title={`Revoke ${revoking?.name ?? ''}?`}>
            <Stack>
              <Text>
                The workstation is cut off from the clinic at once. When it next reaches the cloud it destroys its keys, and
                its local copy of the record can no longer be opened. The clinic key is replaced, so it cannot read anything
                written from now on. This cannot be undone: to use it again, join it anew with a fresh code.
              </Text>
              <Group justify="flex-end">
                <Button variant="default" onClick={() => setRevoking(null)}>Cancel</Button>
                <Button color="red" onClick={async () => {
                  const d = revoking;
                  setRevoking(null);
                  if (d && (await run(api.call('devices.revoke', { deviceId: d.deviceId })))) {
                    setRevoked(`${d.name} is revoked, and the clinic key was replaced.`);
                    await load();
                  }
                }}>Revoke workstation</Button>
              </Group>
            </Stack>
          </Modal>
          {revoked && <Alert color="teal" role="status">{revoked}</Alert>}
          <UndoDialog device={undoing} onClose={() => setUndoing(null)} />
          {refused.length > 0 && (
            <Alert color="red" title="Refused by this workstation">
              <Text size="sm">These arrived from the cloud and were set aside, never applied. Everything else kept syncing. Acknowledge each once you have looked into it.</Text>
              <Table aria-label="Refused messages" mt="xs">
                <Table.Thead><Table.Tr><Table.Th>Received</Table.Th><Table.Th>What</Table.Th><Table.Th>Claims to come from</Table.Th><Table.Th>Why</Table.Th><Table.Th /></Table.Tr></Table.Thead>
                <Table.Tbody>
                  {refused.map((m) => (
                    <Table.Tr key={`${m.msgId}-${m.seq}`}>
                      <Table.Td>{format(new Date(m.receivedAt), 'MMM d HH:mm')}</Table.Td>
                      <Table.Td>{kindLabels[m.kind]}</Table.Td>
                      <Table.Td>{m.fromWorkstation ? `Workstation ${m.fromWorkstation}` : 'An unknown device'}</Table.Td>
                      <Table.Td>{explain(m.reason)}</Table.Td>
                      <Table.Td>
                        <Button size="xs" variant="default" aria-label={`Acknowledge refused message ${m.seq}`} onClick={async () => {
                          if (await run(api.call('sync.acknowledgeRefused', { msgId: m.msgId, seq: m.seq }))) await load();
                        }}>Acknowledge</Button>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Alert>
          )}
          <Group>
            <Button onClick={async () => setIssued(await run(api.call('devices.enrollCode', {})))}>Code for another workstation</Button>
          </Group>
          {issued && (
            <Alert color="teal" title="Join another workstation" role="status">
              <Text size="sm">On the new workstation choose <strong>Join your clinic</strong> and enter these two, before {format(new Date(issued.expiresAt), 'MMM d HH:mm')} (the code works once):</Text>
              <Group gap="xs" mt={4}>
                <Text size="sm" w={110}>Cloud address</Text>
                <Code aria-label="Cloud address to join">{issued.cloudUrl}</Code>
                <CopyButton value={issued.cloudUrl}>{({ copied, copy }) => <Button size="compact-xs" variant="light" onClick={copy}>{copied ? 'Copied' : 'Copy address'}</Button>}</CopyButton>
              </Group>
              <Group gap="xs" mt={4}>
                <Text size="sm" w={110}>One-time code</Text>
                <Code aria-label="Enrollment code">{issued.code}</Code>
                <CopyButton value={issued.code}>{({ copied, copy }) => <Button size="compact-xs" variant="light" onClick={copy}>{copied ? 'Copied' : 'Copy code'}</Button>}</CopyButton>
              </Group>
              {isLoopbackAddress(issued.cloudUrl) && (
                <Text size="sm" mt={6} c="orange.9">
                  This address is this computer's own: the built-in clinic cloud runs here, so only a workstation on this same computer can join
                  it. For workstations on other computers, IT runs the clinic cloud (<Code>npm run cloud -- serve</Code>) where they all reach it.
                </Text>
              )}
            </Alert>
          )}
          <KeptAsidePanel />
          <LockdownPanel clinicId={status?.clinicId ?? null} />
        </>
      )}
    </Stack>
  );
}
