// Sign-in for a set-up workstation.
import { Button, Container, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { zod4Resolver } from 'mantine-form-zod-resolver';
import { z } from 'zod';
import { PasswordAttempt } from '../../../../shared/domain/password';
import type { SessionInfo } from '../../../../shared/domain/user';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useApi } from '../../lib/api';
import { useCall } from '../../lib/use-call';

const SignInForm = z.object({ username: z.string().trim().min(1, 'is required'), password: PasswordAttempt });

export function SignInPage({ clinicName, notice, onSignedIn }: { clinicName: string | null; notice?: string | null; onSignedIn: (s: SessionInfo) => void }) {
  const api = useApi();
  const { pending, error, run } = useCall();
  const form = useForm({ initialValues: { username: '', password: '' }, validate: zod4Resolver(SignInForm) });
  const submit = form.onSubmit(async (v) => {
    const s = await run(api.call('session.signIn', v));
    if (s) onSignedIn(s);
    else form.setFieldValue('password', '');
  });
  return (
    <Container size="xs" py="xl">
      <Paper withBorder p="lg">
        <form onSubmit={submit} aria-labelledby="signin-title">
          <Stack>
            <Title order={1} id="signin-title" size="h2">Sign in</Title>
            {clinicName && <Text c="dimmed">{clinicName}</Text>}
            {notice && <Text role="status">{notice}</Text>}
            <TextInput label="Username" required autoComplete="username" data-autofocus autoFocus {...form.getInputProps('username')} />
            <PasswordInput label="Password" required autoComplete="current-password" {...form.getInputProps('password')} />
            <ErrorAlert error={error} />
            <Button type="submit" loading={pending}>Sign in</Button>
          </Stack>
        </form>
      </Paper>
    </Container>
  );
}
