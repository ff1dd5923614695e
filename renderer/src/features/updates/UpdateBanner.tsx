// The banner every signed-in user sees when a verified update waits: when it installs (never
// during a note or a call), so nobody is surprised by a restart.
import { Alert } from '@mantine/core';
import { useUpdateStatus } from './use-update-status';

export function UpdateBanner() {
  const status = useUpdateStatus();
  if (!status?.pending) return null;
  return (
    <Alert color="blue" variant="light" role="status" aria-label="Update" py={6} mb="sm">
      {status.pending.message}
    </Alert>
  );
}
