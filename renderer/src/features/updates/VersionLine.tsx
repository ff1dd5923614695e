// The version this workstation runs, at the foot of the navigation; in the browser host, also
// that it does not install updates itself (the desktop app does).
import { Text } from '@mantine/core';
import { useUpdateStatus } from './use-update-status';

export function VersionLine() {
  const status = useUpdateStatus();
  if (!status) return null;
  return (
    <Text size="xs" c="dimmed" aria-label="Version">
      Chartroom {status.version}
      {status.installer === 'browser-host' && <><br />Updates are installed by the desktop app.</>}
    </Text>
  );
}
