// First run: names the clinic and creates its first admin account.
import { Button, Checkbox, Container, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { zod4Resolver } from 'mantine-form-zod-resolver';
import { z } from 'zod';
import type { SessionInfo } from '../../../../shared/domain/user';
import { NewUser } from '../../../../shared/domain/user';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useApi } from '../../lib/api';
import { useCall } from '../../lib/use-call';

const SetupForm = z
  .object({
    clinicName: z.string().trim().min(1, 'is required'),
    admin: NewUser,
    confirm: z.string(),
  })
  .refine((v) => v.confirm === v.admin.password, { message: 'passwords do not match', path: ['confirm'] });

export function SetupPage({ onDone }: { onDone: (s: SessionInfo) => void }) {
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
    <Container size="xs" py="xl">
      <Paper withBorder p="lg">
        <form onSubmit={submit} aria-labelledby="setup-title">
          <Stack>
            <Title order={1} id="setup-title" size="h2">Set up Chartroom</Title>
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
      </Paper>
    </Container>
  );
}
