// "Restore the clinic" on the setup page, for clinic IT when every workstation is lost: this
// clean machine rebuilds the clinic's record from its cloud with the clinic's ID and the
// recovery code alone, checks it, and becomes a new workstation; staff then sign in with their
// own passwords.
import { Button, Group, Loader, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { zod4Resolver } from 'mantine-form-zod-resolver';
import { z } from 'zod';
import { CloudRestoreFields, type CloudRestored } from '../../../../shared/domain/restore';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useApi } from '../../lib/api';
import { useCall } from '../../lib/use-call';

export function RestoreClinicForm({ onRestored }: { onRestored: (r: CloudRestored) => void }) {
  const api = useApi();
  const { pending, error, run } = useCall();
  const form = useForm({ initialValues: { cloudUrl: '', clinicId: '', recoveryCode: '', deviceName: '', asOf: '' }, validate: zod4Resolver(CloudRestoreFields.omit({ asOf: true, seq: true }).extend({ asOf: z.string() })) });
  const submit = form.onSubmit(async ({ asOf, ...v }) => {
    // The field is local time; the call takes an instant.
    const r = await run(api.call('setup.restoreFromCloud', { ...v, ...(asOf ? { asOf: new Date(asOf).toISOString() } : {}) }));
    if (r) onRestored(r);
  });
  return (
    <form onSubmit={submit} aria-label="Restore the clinic">
      <Stack>
        <Text size="sm">
          For clinic IT, when no workstation of the clinic is left: this machine rebuilds the clinic's record from its cloud
          with the clinic's ID and the recovery code, checks it, and becomes a new workstation of the clinic.
        </Text>
        <TextInput label="Cloud address" placeholder="https://clinic.example.org" required {...form.getInputProps('cloudUrl')} />
        <TextInput label="Clinic ID" required autoComplete="off" {...form.getInputProps('clinicId')} />
        <PasswordInput label="Recovery code" required autoComplete="off" {...form.getInputProps('recoveryCode')} />
        <TextInput label="Name of this workstation" placeholder="Front desk" required {...form.getInputProps('deviceName')} />
        <TextInput type="datetime-local" step={1} label="Back to (optional)" description="Empty: the newest record. A time before an attack: the whole clinic moves back to it, and what came after is kept aside for review."
          {...form.getInputProps('asOf')} />
        <ErrorAlert error={error} />
        {pending && (
          <Group gap="xs" role="status">
            <Loader size="xs" />
            <Text size="sm">Restoring: the record from the cloud, then every check against the clinic's history…</Text>
          </Group>
        )}
        <Button type="submit" loading={pending}>Restore the clinic</Button>
      </Stack>
    </form>
  );
}
