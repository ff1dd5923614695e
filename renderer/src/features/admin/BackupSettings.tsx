// This workstation's daily offline backup: the folder it goes to (a USB drive or a NAS share on
// this machine), a backup now, and how the last one went. Restore drills are on the Security page.
import { Button, Group, Loader, Stack, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { BackupStatus } from '../../../../shared/domain/backup';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useApi } from '../../lib/api';
import { useCall } from '../../lib/use-call';
import { useClock } from '../../lib/clock-context';

export function BackupSettings() {
  const api = useApi();
  const clock = useClock();
  const { pending, error, run } = useCall();
  const [status, setStatus] = useState<BackupStatus | null>(null);
  const [folder, setFolder] = useState('');
  const [done, setDone] = useState<string | null>(null);
  useEffect(() => {
    void run(api.call('backup.status', {})).then((s) => { if (s) { setStatus(s); setFolder(s.folder ?? ''); } });
  }, [api, run]);
  const refresh = async () => { const s = await run(api.call('backup.status', {})); if (s) setStatus(s); };
  return (
    <form aria-labelledby="backup-title" style={{ marginTop: 32 }} onSubmit={async (e) => {
      e.preventDefault();
      setDone(null);
      const s = await run(api.call('backup.setFolder', { folder: folder.trim() || null }));
      if (s) { setStatus(s); setDone(s.folder ? 'Saved. A backup is made here every day while someone is signed in.' : 'Daily backups are off on this workstation.'); }
    }}>
      <Stack maw={620}>
        <Title order={2} size="h3" id="backup-title">Offline backups (this workstation)</Title>
        {status === null ? <Loader size="sm" aria-label="Loading the backup settings" /> : (
          <>
            <TextInput label="Backup folder" placeholder="/media/usb/chartroom-backups" value={folder}
              description="A folder on this workstation, best on a drive kept apart (a USB drive, a NAS share). Each day's backup is a new file that only the clinic's recovery code opens. Empty: no daily backups here."
              onChange={(e) => { setFolder(e.currentTarget.value); setDone(null); }} />
            <Text size="sm" role="status">
              {status.lastAt ? `Last backup ${clock.dateTime(status.lastAt)}: ${status.lastFile ?? ''}.` : 'No backup has been made on this workstation yet.'}
              {status.nextAt && ` Next one due ${clock.dateTime(status.nextAt)}.`}
            </Text>
            {status.lastError && <Text size="sm" c="red.9" role="alert">The last backup failed: {status.lastError}</Text>}
          </>
        )}
        <ErrorAlert error={error} />
        {done && <Text role="status">{done}</Text>}
        <Group>
          <Button type="submit" loading={pending}>Save folder</Button>
          <Button variant="default" disabled={!status?.folder} onClick={async () => {
            setDone(null);
            const b = await run(api.call('backup.runNow', {}));
            if (b) setDone(`Backup written and read back: ${b.file}.`);
            await refresh();
          }}>Back up now</Button>
        </Group>
        <Text size="sm">Restore drills, from a backup or from the cloud, are on the Security page.</Text>
      </Stack>
    </form>
  );
}
