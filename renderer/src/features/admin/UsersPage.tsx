// User management for practice admins: add staff, change roles, disable, reset passwords, and undo
// one user's changes from a time on, on every workstation (UndoDialog).
import { Badge, Button, Checkbox, Group, Modal, PasswordInput, Stack, Table, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { zod4Resolver } from 'mantine-form-zod-resolver';
import { useCallback, useEffect, useState } from 'react';
import { z } from 'zod';
import { Password } from '../../../../shared/domain/password';
import { roleLabels, type Role } from '../../../../shared/domain/roles';
import { NewUser, type User } from '../../../../shared/domain/user';
import { UndoDialog } from '../sync/UndoDialog';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useApi } from '../../lib/api';
import { useCall } from '../../lib/use-call';

const allRoles = Object.keys(roleLabels) as Role[];

function RoleChecks({ value, onChange, error }: { value: Role[]; onChange: (r: Role[]) => void; error?: React.ReactNode }) {
  return (
    <Checkbox.Group label="Roles" value={value} onChange={(v) => onChange(v as Role[])} error={error}>
      <Group mt={4}>
        {allRoles.map((r) => <Checkbox key={r} value={r} label={roleLabels[r]} />)}
      </Group>
    </Checkbox.Group>
  );
}

function NewUserForm({ onCreated }: { onCreated: () => void }) {
  const api = useApi();
  const { pending, error, run } = useCall();
  const form = useForm<NewUser>({
    initialValues: { username: '', displayName: '', roles: ['front-desk'], password: '' },
    validate: zod4Resolver(NewUser),
  });
  return (
    <form
      aria-label="Add a user"
      onSubmit={form.onSubmit(async (v) => {
        if (await run(api.call('users.create', v))) {
          form.reset();
          onCreated();
        }
      })}
    >
      <Stack>
        <Group grow>
          <TextInput label="Full name" required {...form.getInputProps('displayName')} />
          <TextInput label="Username" required autoComplete="off" {...form.getInputProps('username')} />
        </Group>
        <RoleChecks value={form.values.roles} onChange={(r) => form.setFieldValue('roles', r)} error={form.errors.roles} />
        <PasswordInput label="Initial password" description="At least 12 characters; tell the user in person." required autoComplete="new-password" {...form.getInputProps('password')} />
        <ErrorAlert error={error} />
        <Group><Button type="submit" loading={pending}>Add user</Button></Group>
      </Stack>
    </form>
  );
}

function EditUser({ user, onClose }: { user: User; onClose: () => void }) {
  const api = useApi();
  const { pending, error, run } = useCall();
  const [roles, setRoles] = useState<Role[]>([...user.roles]);
  const [password, setPassword] = useState('');
  const [pwError, setPwError] = useState<string | null>(null);
  return (
    <Stack>
      <RoleChecks value={roles} onChange={setRoles} />
      <Group>
        <Button loading={pending} onClick={async () => { if (await run(api.call('users.update', { userId: user.id, displayName: user.displayName, roles }))) onClose(); }}>Save roles</Button>
      </Group>
      <PasswordInput label="New password" autoComplete="new-password" value={password} error={pwError} onChange={(e) => { setPassword(e.currentTarget.value); setPwError(null); }} />
      <Group>
        <Button
          variant="light"
          loading={pending}
          onClick={async () => {
            const p = z.object({ password: Password }).safeParse({ password });
            if (!p.success) { setPwError(`Password ${p.error.issues[0]?.message ?? 'is not valid'}`); return; }
            if (await run(api.call('users.resetPassword', { userId: user.id, newPassword: password }))) onClose();
          }}
        >
          {user.disabled ? 'Set password and re-enable' : 'Reset password'}
        </Button>
        {!user.disabled && (
          <Button color="red" variant="light" loading={pending} onClick={async () => { if (await run(api.call('users.disable', { userId: user.id }))) onClose(); }}>
            Disable account
          </Button>
        )}
      </Group>
      <ErrorAlert error={error} />
    </Stack>
  );
}

export function UsersPage() {
  const api = useApi();
  const { error, run } = useCall();
  const [users, setUsers] = useState<readonly User[]>([]);
  const [editing, setEditing] = useState<User | null>(null);
  const [undoing, setUndoing] = useState<User | null>(null);
  const load = useCallback(() => void run(api.call('users.list', {})).then((u) => u && setUsers(u)), [api, run]);
  useEffect(load, [load]);

  return (
    <Stack>
      <Title order={1} size="h2">Users</Title>
      <ErrorAlert error={error} />
      <Table aria-label="Users" striped>
        <Table.Thead>
          <Table.Tr><Table.Th>Name</Table.Th><Table.Th>Username</Table.Th><Table.Th>Roles</Table.Th><Table.Th>Status</Table.Th><Table.Th /></Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {users.map((u) => (
            <Table.Tr key={u.id}>
              <Table.Td>{u.displayName}</Table.Td>
              <Table.Td>{u.username}</Table.Td>
              <Table.Td>{u.roles.map((r) => roleLabels[r]).join(', ')}</Table.Td>
              <Table.Td>{u.disabled ? <Badge color="gray">Disabled</Badge> : <Badge color="teal">Active</Badge>}</Table.Td>
              <Table.Td>
                <Group gap="xs" wrap="nowrap">
                  <Button size="xs" variant="light" onClick={() => setEditing(u)} aria-label={`Manage ${u.username}`}>Manage</Button>
                  <Button size="xs" variant="default" onClick={() => setUndoing(u)} aria-label={`Undo changes made by ${u.username}`}>Undo changes…</Button>
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Title order={2} size="h3">Add a user</Title>
      <NewUserForm onCreated={load} />
      <UndoDialog user={undoing} onClose={() => setUndoing(null)} />
      <Modal opened={editing !== null} onClose={() => setEditing(null)} title={editing ? `Manage ${editing.displayName}` : ''}>
        {editing && <EditUser user={editing} onClose={() => { setEditing(null); load(); }} />}
      </Modal>
    </Stack>
  );
}
