// First run: names a new clinic and creates its first admin account, joins this workstation to
// the clinic's existing record with a one-time code from a practice admin, or (IT, every
// workstation lost) restores the clinic from its cloud with the recovery code.
import { Button, Checkbox, Container, Loader, Group, Paper, PasswordInput, Stack, Tabs, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useForm } from '@mantine/form';
import { zod4Resolver } from 'mantine-form-zod-resolver';
import { z } from 'zod';
import type { SessionInfo } from '../../../../shared/domain/user';
import { EnrollInput } from '../../../../shared/domain/sync';
import { NewUser } from '../../../../shared/domain/user';
import type { CloudRestored } from '../../../../shared/domain/restore';
import { ErrorAlert } from '../../components/ErrorAlert';
import { RestoreClinicForm } from './RestoreClinicForm';
import { useApi } from '../../lib/api';
import { useCall } from '../../lib/use-call';

const SetupForm = z
  .object({
    clinicName: z.string().trim().min(1, 'is required'),
    admin: NewUser,
    confirm: z.string(),
  })
  .refine((v) => v.confirm === v.admin.password, { message: 'passwords do not match', path: ['confirm'] });

export function SetupPage({ onDone, onJoined, onRestored }: { onDone: (s: SessionInfo) => void; onJoined: (clinicName: string) => void; onRestored: (r: CloudRestored) => void }) {
  const [tab, setTab] = useState<string | null>('new');
  return (
    <Container size="xs" py="xl">
      <Paper withBorder p="lg">
        <Stack>
          <Title order={1} size="h2">Set up Chartroom</Title>
          <Tabs value={tab} onChange={setTab}>
            <Tabs.List grow>
              <Tabs.Tab value="new">New clinic</Tabs.Tab>
              <Tabs.Tab value="join">Join your clinic</Tabs.Tab>
              <Tabs.Tab value="restore">Restore the clinic</Tabs.Tab>
            </Tabs.List>
            <Tabs.Panel value="new" pt="md"><NewClinicForm onDone={onDone} /></Tabs.Panel>
            <Tabs.Panel value="join" pt="md"><JoinForm onJoined={onJoined} /></Tabs.Panel>
            <Tabs.Panel value="restore" pt="md"><RestoreClinicForm onRestored={onRestored} /></Tabs.Panel>
          </Tabs>
        </Stack>
      </Paper>
    </Container>
  );
}

function JoinForm({ onJoined }: { onJoined: (clinicName: string) => void }) {
  const api = useApi();
  const { pending, error, run } = useCall();
  const form = useForm({ initialValues: { cloudUrl: '', code: '', deviceName: '' }, validate: zod4Resolver(EnrollInput) });
  const submit = form.onSubmit(async (v) => {
    const r = await run(api.call('setup.join', v));
    if (r) onJoined(r.clinicName);
  });
  return (
    <form onSubmit={submit} aria-label="Join your clinic">
      <Stack>
        <Text size="sm">
          This workstation joins your clinic's record. A practice admin creates a one-time code under Workstations on a
          workstation that is already set up. Staff then sign in here with the username and password they use there.
        </Text>
        <TextInput label="Cloud address" placeholder="https://clinic.example.org" required {...form.getInputProps('cloudUrl')} />
        <TextInput label="Code" required autoComplete="off" {...form.getInputProps('code')} />
        <TextInput label="Name of this workstation" placeholder="Exam room 2" required {...form.getInputProps('deviceName')} />
        <ErrorAlert error={error} />
        {pending && (
          <Group gap="xs" role="status">
            <Loader size="xs" />
            <Text size="sm">Joining: waiting for a workstation of the clinic to share the clinic key, then copying the record…</Text>
          </Group>
        )}
        <Button type="submit" loading={pending}>Join clinic</Button>
      </Stack>
    </form>
  );
}

function NewClinicForm({ onDone }: { onDone: (s: SessionInfo) => void }) {
  const api = useApi();
  const { pending, error, run } = useCall();
  const form = useForm({
    initialValues: {
      clinicName: '',
      admin: { username: 'admin', displayName: '', roles: ['admin'] as NewUser['roles'], password: '' },
      confirm: '',
    },
    validate: zod4Resolver(SetupForm),
  });

  const submit = form.onSubmit(async (v) => {
    const s = await run(api.call('setup.initialize', { clinicName: v.clinicName, admin: v.admin }));
    if (s) onDone(s);
  });

  return (
        <form onSubmit={submit} aria-label="New clinic">
          <Stack>
            <Text size="sm">Name your clinic and create the first practice admin. You will add other staff afterwards.</Text>
            <TextInput label="Clinic name" required {...form.getInputProps('clinicName')} />
            <TextInput label="Your full name" required {...form.getInputProps('admin.displayName')} />
            <TextInput label="Username" required autoComplete="username" {...form.getInputProps('admin.username')} />
            <Checkbox.Group
              label="Your roles"
              description="Practice admin is always included. Add a clinical role if you also see patients."
              value={form.values.admin.roles}
              onChange={(v) => form.setFieldValue('admin.roles', Array.from(new Set(['admin', ...v])) as NewUser['roles'])}
            >
              <Stack gap={4} mt={4}>
                <Checkbox value="admin" label="Practice admin / IT" disabled />
                <Checkbox value="physician" label="Physician" />
                <Checkbox value="nurse" label="Nurse" />
                <Checkbox value="front-desk" label="Front desk" />
              </Stack>
            </Checkbox.Group>
            <PasswordInput label="Password" description="At least 12 characters" required autoComplete="new-password" {...form.getInputProps('admin.password')} />
            <PasswordInput label="Confirm password" required autoComplete="new-password" {...form.getInputProps('confirm')} />
            <ErrorAlert error={error} />
            <Button type="submit" loading={pending}>Create clinic</Button>
          </Stack>
        </form>
  );
}
