// This workstation's own updates on IT's Updates page: the version it runs, an update waiting
// and when it installs, the last refusal, and *Install now* (which still waits for a note or a
// call to end).
import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useApi } from '../../lib/api';
import { useCall } from '../../lib/use-call';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useUpdateStatus } from './use-update-status';

export function ThisWorkstation() {
  const api = useApi();
  const status = useUpdateStatus();
  const { pending, error, run } = useCall();
  const [said, setSaid] = useState<string | null>(null);
  if (!status) return null;
  return (
    <Stack>
      <Text>
        This workstation runs Chartroom {status.version}{status.channel ? ` (${status.channel})` : ''}.{' '}
        {status.installer === 'browser-host' ? 'Updates are installed by the desktop app.' : status.lastCheckAt ? `It last asked for updates at ${new Date(status.lastCheckAt).toLocaleString()}.` : 'It has not asked for updates yet.'}
      </Text>
      {status.pending && (
        <Group>
          <Text>{status.pending.message}</Text>
          <Button size="xs" loading={pending} onClick={async () => { const r = await run(api.call('updates.installNow', {})); if (r) setSaid(r.message); }}>Install now</Button>
        </Group>
      )}
      {said && <Text role="status">{said}</Text>}
      {status.lastProblem && <Alert color="orange" title="The last update was refused">{status.lastProblem.message}</Alert>}
      <ErrorAlert error={error} />
    </Stack>
  );
}
