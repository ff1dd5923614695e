// Staff accounts in the database (the keyring holds their wrapped keys).
import type { Role } from '../../../shared/domain/roles';
import type { User } from '../../../shared/domain/user';
import type { ReadTx } from '../db/connection';

interface UserRow {
  id: string;
  username: string;
  display_name: string;
  roles: string;
  disabled: number;
  created_at: string;
}

function toUser(r: UserRow): User {
  return {
    id: r.id as User['id'], username: r.username, displayName: r.display_name,
    roles: JSON.parse(r.roles) as Role[], disabled: r.disabled === 1, createdAt: r.created_at,
  };
}

export async function findUser(tx: ReadTx, id: string): Promise<User | undefined> {
  const r = await tx.get<UserRow>('SELECT * FROM users WHERE id = ?', [id]);
  return r ? toUser(r) : undefined;
}

export async function findUserByName(tx: ReadTx, username: string): Promise<User | undefined> {
  const r = await tx.get<UserRow>('SELECT * FROM users WHERE username = ?', [username]);
  return r ? toUser(r) : undefined;
}

export async function listUsers(tx: ReadTx): Promise<User[]> {
  return (await tx.all<UserRow>('SELECT * FROM users ORDER BY display_name COLLATE NOCASE')).map(toUser);
}

export async function countActiveAdmins(tx: ReadTx, exceptId?: string): Promise<number> {
  const users = await listUsers(tx);
  return users.filter((u) => !u.disabled && u.roles.includes('admin') && u.id !== exceptId).length;
}
