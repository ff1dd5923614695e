// One workstation's updates on the Workstations page, as the cloud saw them: an update waiting,
// the last refusal or failure, and when it last asked.
import { Stack, Text } from '@mantine/core';
import { formatDistanceToNow } from 'date-fns';
import type { UpdateSummary } from '../../../../shared/updates/report';

export function UpdateCell({ updates }: { updates: UpdateSummary }) {
  return (
    <Stack gap={0}>
      {updates.pending && <Text size="sm">{updates.pending} waiting to install</Text>}
      {updates.lastFailure && <Text size="sm" c="red.9" title={updates.lastFailure.detail ?? undefined}>{updates.lastFailure.version} refused or failed {formatDistanceToNow(new Date(updates.lastFailure.at), { addSuffix: true })}</Text>}
      <Text size="xs" c="dimmed">{updates.lastCheckAt ? `Checked ${formatDistanceToNow(new Date(updates.lastCheckAt), { addSuffix: true })}` : 'Never checked'}</Text>
    </Stack>
  );
}
