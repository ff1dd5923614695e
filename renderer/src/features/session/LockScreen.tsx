// The locked session: the screen hides everything until the same user enters their password.
import { Button, Container, Group, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import type { SessionInfo } from '../../../../shared/domain/user';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useApi } from '../../lib/api';
import { useCall } from '../../lib/use-call';

export function LockScreen({ session, onUnlocked, onSignOut }: { session: SessionInfo; onUnlocked: (s: SessionInfo) => void; onSignOut: () => void }) {
  const api = useApi();
  const { pending, error, run } = useCall();
  const [password, setPassword] = useState('');
  return (
    <Container size="xs" py="xl">
      <Paper withBorder p="lg">
        <form
          aria-labelledby="lock-title"
          onSubmit={async (e) => {
            e.preventDefault();
            const s = await run(api.call('session.unlock', { password }));
            setPassword('');
            if (s) onUnlocked(s);
          }}
        >
          <Stack>
            <Title order={1} id="lock-title" size="h2">Session locked</Title>
            <Text>Chartroom locked itself to protect patient information. {session.user.displayName}, enter your password to continue.</Text>
            <PasswordInput label="Password" required autoFocus autoComplete="current-password" value={password} onChange={(e) => setPassword(e.currentTarget.value)} />
            <ErrorAlert error={error} />
            <Group>
              <Button type="submit" loading={pending}>Unlock</Button>
              <Button variant="default" onClick={onSignOut}>Sign out (another user)</Button>
            </Group>
          </Stack>
        </form>
      </Paper>
    </Container>
  );
}
