// The screen of a workstation a clinic-wide lockdown holds: no sign-in, only what happened and
// what to do. It asks again every few seconds (and when told), so it gives way to the sign-in
// screen as soon as IT lifts the lockdown for this workstation.
import { Alert, Container, Paper, Stack, Text, Title } from '@mantine/core';
import { useEffect } from 'react';
import { describeLockdown, type Lockdown } from '../../../../shared/domain/lockdown';
import { useClock } from '../../lib/clock-context';

export function LockdownScreen({ lockdown, clinicName, onRecheck }: { lockdown: Lockdown; clinicName: string | null; onRecheck: () => void }) {
  const clock = useClock();
  useEffect(() => {
    const timer = setInterval(onRecheck, 5000);
    return () => clearInterval(timer);
  }, [onRecheck]);
  return (
    <Container size="sm" py="xl">
      <Paper withBorder p="lg">
        <Stack>
          <Title order={1} size="h2">This clinic is locked down</Title>
          {clinicName && <Text c="dimmed">{clinicName}</Text>}
          <Alert color="red" role="alert" title="Records are closed on this workstation">{describeLockdown(lockdown, clock.dateTime(lockdown.since))}</Alert>
          <Text>Tell clinic IT. Leave this workstation switched on and connected, as it is: IT may need to look at it before letting it back.</Text>
          <Text size="sm" c="dimmed">Nothing already saved is lost. This screen gives way to the sign-in by itself once IT lifts the lockdown here.</Text>
        </Stack>
      </Paper>
    </Container>
  );
}
