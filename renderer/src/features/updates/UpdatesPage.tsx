// IT's Updates page: the clinic's (or a group's) policy in words, the releases published with
// the steps of a rollout (10 % → 50 % → 100 %), halt, pin and rollback, the maintenance window,
// and which group each workstation is in. Every change goes to the cloud and the audit log;
// a change made meanwhile elsewhere is refused and the page reloads.
import { Badge, Button, Group, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { format } from 'date-fns';
import { useCallback, useEffect, useState } from 'react';
import type { DeviceInfo } from '../../../../shared/domain/sync';
import { DEFAULT_POLICY, type PolicyChange } from '../../../../shared/updates/policy';
import type { UpdatesAnswer } from '../../../../shared/updates/wire';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useApi } from '../../lib/api';
import { useCall } from '../../lib/use-call';
import { ThisWorkstation } from './ThisWorkstation';
import { describePolicy, windowWords } from './policy-words';

const CLINIC = '__clinic__';

export function UpdatesPage() {
  const api = useApi();
  const { pending, error, run } = useCall();
  const [overview, setOverview] = useState<UpdatesAnswer | null>(null);
  const [devices, setDevices] = useState<readonly DeviceInfo[]>([]);
  const [target, setTarget] = useState<string>(CLINIC);
  const [window_, setWindow] = useState({ from: '', to: '' });
  const [groupOf, setGroupOf] = useState<Record<string, string>>({});
  const [notice, setNotice] = useState<string | null>(null);

  const load = useCallback(async () => {
    const o = await run(api.call('updates.overview', {}));
    if (o) setOverview(o);
    const d = await api.call('devices.list', {});
    if (d.ok) setDevices(d.value.filter((x) => !x.revokedAt));
  }, [api, run]);
  useEffect(() => { void load(); }, [load]);
  useEffect(() => api.on('updates.changed', () => void load()), [api, load]);

  const group = target === CLINIC ? null : target;
  const record = group ? (overview?.groups.find((g) => g.group === group)?.record ?? null) : (overview?.clinic ?? null);
  const policy = record?.policy ?? (group ? overview?.clinic?.policy : null) ?? DEFAULT_POLICY;
  const groups = [...new Set([...(overview?.groups.map((g) => g.group) ?? []), ...devices.flatMap((d) => (d.group ? [d.group] : []))])].sort();
  const forWhom = group ? `the ${group} group` : 'the clinic';
  // The window's fields start from the policy shown, so saving without a change keeps it.
  const [shownFrom, shownTo] = [policy.window?.from ?? '', policy.window?.to ?? ''];
  useEffect(() => { setWindow({ from: shownFrom, to: shownTo }); }, [shownFrom, shownTo, target]);

  const change = async (c: PolicyChange, done: string) => {
    setNotice(null);
    const r = await run(api.call('updates.change', { group, change: c, expectSeq: record?.seq ?? 0 }));
    if (r) setNotice(`${done} for ${forWhom}.`);
    await load();
  };

  return (
    <Stack>
      <Title order={1} size="h2">Updates</Title>
      <ThisWorkstation />
      <ErrorAlert error={error} />
      {notice && <Text role="status">{notice}</Text>}
      {overview && (
        <>
          <Group align="end">
            <Select label="Policy for" w={260} allowDeselect={false} value={target} onChange={(v) => setTarget(v ?? CLINIC)}
              data={[{ value: CLINIC, label: 'The whole clinic' }, ...groups.map((g) => ({ value: g, label: `Group: ${g}` }))]} />
            <Text>{describePolicy(policy)}</Text>
          </Group>
          <Group>
            <Text size="sm">Channel: {policy.channel}. Maintenance window: {windowWords(policy)}.{group && !record ? ' This group follows the clinic’s policy until it is given its own.' : ''}</Text>
            {policy.stage && !policy.halted && <Button size="xs" color="red" variant="light" loading={pending} onClick={() => void change({ kind: 'halt' }, 'The rollout is halted')}>Halt the rollout</Button>}
            {policy.stage && policy.halted && <Button size="xs" variant="light" loading={pending} onClick={() => void change({ kind: 'resume' }, 'The rollout goes on')}>Resume the rollout</Button>}
            {policy.pin && <Button size="xs" variant="light" loading={pending} onClick={() => void change({ kind: 'pin', version: null }, 'The pin is lifted')}>Lift the pin</Button>}
            {policy.rollback && <Button size="xs" variant="light" loading={pending} onClick={() => void change({ kind: 'rollback', version: null }, 'The rollback is ended')}>End the rollback</Button>}
          </Group>
          <form aria-label="Maintenance window" onSubmit={(e) => { e.preventDefault(); void change({ kind: 'window', window: window_ }, 'The maintenance window is set'); }}>
            <Group align="end">
              <TextInput label="Window from" placeholder="19:00" w={120} value={window_.from} onChange={(e) => setWindow({ ...window_, from: e.currentTarget.value })} />
              <TextInput label="Window to" placeholder="07:00" w={120} value={window_.to} onChange={(e) => setWindow({ ...window_, to: e.currentTarget.value })} />
              <Button type="submit" variant="default" loading={pending} disabled={!window_.from || !window_.to}>Set the window</Button>
              {policy.window && <Button variant="subtle" loading={pending} onClick={() => void change({ kind: 'window', window: null }, 'Updates now install only at sign-out')}>Only at sign-out</Button>}
            </Group>
          </form>
          <Title order={2} size="h3">Releases</Title>
          {overview.releases.length === 0 ? <Text>No release is published yet. The vendor’s releases are published with <code>npm run cloud -- release publish</code>.</Text> : (
            <Table aria-label="Releases">
              <Table.Thead><Table.Tr><Table.Th>Version</Table.Th><Table.Th>Channel</Table.Th><Table.Th>Published</Table.Th><Table.Th>For</Table.Th><Table.Th>Roll out, pin or roll back</Table.Th></Table.Tr></Table.Thead>
              <Table.Tbody>
                {overview.releases.map((r) => (
                  <Table.Tr key={r.version}>
                    <Table.Td>{r.version}{policy.stage?.version === r.version && <Badge ml="xs" size="sm">{policy.halted ? 'halted' : `${policy.stage.percent} %`}</Badge>}</Table.Td>
                    <Table.Td>{r.channel}</Table.Td>
                    <Table.Td>{format(new Date(r.publishedAt), 'MMM d, yyyy')}</Table.Td>
                    <Table.Td>{r.platforms.map((p) => (p === '' ? 'Windows' : p === 'mac' ? 'macOS' : 'Linux')).join(', ')}</Table.Td>
                    <Table.Td>
                      <Group gap={4} wrap="nowrap">
                        {r.channel === policy.channel && [10, 50, 100].map((percent) => (
                          <Button key={percent} size="compact-xs" variant="light" loading={pending} aria-label={`Roll out ${r.version} to ${percent} %`}
                            onClick={() => void change({ kind: 'promote', version: r.version, percent }, `${r.version} is offered to ${percent} %`)}>{percent} %</Button>
                        ))}
                        {r.channel === policy.channel && <Button size="compact-xs" variant="default" loading={pending} aria-label={`Pin ${r.version}`} onClick={() => void change({ kind: 'pin', version: r.version }, `${r.version} is pinned`)}>Pin</Button>}
                        {r.rollbackGranted && <Button size="compact-xs" color="red" variant="light" loading={pending} aria-label={`Roll back to ${r.version}`} onClick={() => void change({ kind: 'rollback', version: r.version }, `Workstations go back to ${r.version}`)}>Roll back</Button>}
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
          <Title order={2} size="h3">Groups</Title>
          <Text size="sm">A workstation in a group follows the group’s policy (say, the front desk first); the others follow the clinic’s. Leave the name empty for the clinic’s.</Text>
          <Table aria-label="Update groups">
            <Table.Thead><Table.Tr><Table.Th>Workstation</Table.Th><Table.Th>Version</Table.Th><Table.Th>Group</Table.Th></Table.Tr></Table.Thead>
            <Table.Tbody>
              {devices.map((d) => (
                <Table.Tr key={d.deviceId}>
                  <Table.Td>{d.name}</Table.Td>
                  <Table.Td>{d.updates.version ?? 'not reported'}</Table.Td>
                  <Table.Td>
                    <form aria-label={`Group of ${d.name}`} onSubmit={async (e) => {
                      e.preventDefault();
                      const name = (groupOf[d.deviceId] ?? d.group ?? '').trim();
                      if (await run(api.call('updates.setGroup', { deviceId: d.deviceId, group: name || null }))) setNotice(`${d.name} follows ${name ? `the ${name} group` : 'the clinic’s policy'}.`);
                      await load();
                    }}>
                      <Group gap="xs" wrap="nowrap">
                        <TextInput aria-label={`Group of ${d.name}`} size="xs" w={160} placeholder="the clinic’s" value={groupOf[d.deviceId] ?? d.group ?? ''} onChange={(e) => setGroupOf({ ...groupOf, [d.deviceId]: e.currentTarget.value })} />
                        <Button type="submit" size="xs" variant="default" loading={pending}>Save</Button>
                      </Group>
                    </form>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </>
      )}
    </Stack>
  );
}
