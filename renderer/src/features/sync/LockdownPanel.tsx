// "Lock down the clinic", for practice admins on the Workstations page: when ransomware or a
// break-in is suspected, every workstation of the clinic (this one too) closes its record and
// stops syncing at once, and nobody signs in until clinic IT lifts the lockdown, one
// workstation at a time, with the recovery code. IT needs the clinic's ID for that, shown here.
import { Alert, Button, Code, Group, Modal, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useApi } from '../../lib/api';
import { useCall } from '../../lib/use-call';

export function LockdownPanel({ clinicId }: { clinicId: string | null }) {
  const api = useApi();
  const { pending, error, run } = useCall();
  const [confirming, setConfirming] = useState(false);
  return (
    <Stack gap="xs" component="section" aria-labelledby="lockdown-title" mt="md">
      <Title order={2} size="h4" id="lockdown-title">Ransomware or a break-in</Title>
      <Text size="sm">
        Locking down closes the record on every workstation of the clinic at once, this one included, and stops all syncing.
        Nobody can sign in until clinic IT lifts the lockdown, one workstation at a time, with the recovery code.
      </Text>
      {clinicId && <Text size="sm">For IT, this clinic’s ID: <Code aria-label="Clinic ID">{clinicId}</Code></Text>}
      <ErrorAlert error={error} />
      <Group><Button color="red" onClick={() => setConfirming(true)}>Lock down the clinic</Button></Group>
      <Modal opened={confirming} onClose={() => setConfirming(false)} title="Lock down every workstation?">
        <Stack>
          <Alert color="red" role="note">Everyone is signed out at once, on every workstation, mid-visit too. Only IT can lift it.</Alert>
          <Text size="sm">
            Changes already made are kept: each workstation sends its own once IT lets it back. Tell clinic IT at once; they
            need the recovery code.
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirming(false)}>Cancel</Button>
            <Button color="red" loading={pending} onClick={async () => {
              if (await run(api.call('sync.lockDown', {}))) setConfirming(false);
            }}>Lock down every workstation</Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
