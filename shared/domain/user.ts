// Staff accounts and sessions.
import { z } from 'zod';
import { UserId } from './ids';
import { Password } from './password';
import { Role } from './roles';

export const Username = z
  .string()
  .trim()
  .min(2, 'must be at least 2 characters')
  .max(64)
  .regex(/^[a-zA-Z0-9._-]+$/, 'may use letters, digits, dot, dash and underscore');

export const DisplayName = z.string().trim().min(1, 'is required').max(120);

export const Roles = z.array(Role).min(1, 'choose at least one role').max(4)
  .refine((r) => new Set(r).size === r.length, 'lists a role twice');

export const User = z.object({
  id: UserId,
  username: z.string(),
  displayName: z.string(),
  roles: z.array(Role),
  disabled: z.boolean(),
  createdAt: z.string(),
});
export type User = Readonly<z.infer<typeof User>>;

export const NewUser = z.object({
  username: Username,
  displayName: DisplayName,
  roles: Roles,
  password: Password,
});
export type NewUser = z.infer<typeof NewUser>;

export const SessionInfo = z.object({
  user: User,
  state: z.enum(['active', 'locked']),
  workstationId: z.string(),
  autoLockSeconds: z.number().int(),
});
export type SessionInfo = Readonly<z.infer<typeof SessionInfo>>;
