// Any signed-in user changes their own password (re-wrapping the database key for them).
import { Button, Group, Modal, PasswordInput, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { zod4Resolver } from 'mantine-form-zod-resolver';
import { useState } from 'react';
import { z } from 'zod';
import { Password, PasswordAttempt } from '../../../../shared/domain/password';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useApi } from '../../lib/api';
import { useCall } from '../../lib/use-call';

const Form = z
  .object({ currentPassword: PasswordAttempt, newPassword: Password, confirm: z.string() })
  .refine((v) => v.confirm === v.newPassword, { message: 'passwords do not match', path: ['confirm'] });

export function ChangePasswordDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const api = useApi();
  const { pending, error, run } = useCall();
  const [done, setDone] = useState(false);
  const form = useForm({ initialValues: { currentPassword: '', newPassword: '', confirm: '' }, validate: zod4Resolver(Form) });
  const close = () => { form.reset(); setDone(false); onClose(); };
  return (
    <Modal opened={opened} onClose={close} title="Change your password">
      {done ? (
        <Stack>
          <Text role="status">Your password was changed. Use the new one from now on.</Text>
          <Group><Button onClick={close}>Close</Button></Group>
        </Stack>
      ) : (
        <form onSubmit={form.onSubmit(async (v) => {
          if (await run(api.call('session.changePassword', { currentPassword: v.currentPassword, newPassword: v.newPassword }))) setDone(true);
        })}>
          <Stack>
            <PasswordInput label="Current password" required autoComplete="current-password" {...form.getInputProps('currentPassword')} />
            <PasswordInput label="New password" description="At least 12 characters" required autoComplete="new-password" {...form.getInputProps('newPassword')} />
            <PasswordInput label="Confirm new password" required autoComplete="new-password" {...form.getInputProps('confirm')} />
            <ErrorAlert error={error} />
            <Group><Button type="submit" loading={pending}>Change password</Button></Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
