// The columns whose values are structured (JSON a feature reads back, a key), checked with their
// schema as a change set arrives from another device: a value that is not one refuses the whole
// change set (set aside for the admin), so nothing malformed ever reaches the tables, and no
// reader here meets it later (a user who could never sign in, settings that would not load).
import { z } from 'zod';
import { StoredAllergyOverride } from '../../../shared/domain/chart';
import { Role } from '../../../shared/domain/roles';
import type { SqlValue } from '../db/connection';
import { UserKeyRecord } from '../keys/user-keys';

const json = <T extends z.ZodType>(schema: T) => z.string().transform((s, ctx) => {
  try {
    return JSON.parse(s) as unknown;
  } catch {
    ctx.addIssue({ code: 'custom', message: 'is not JSON' });
    return z.NEVER;
  }
}).pipe(schema);

const checks: Readonly<Record<string, z.ZodType>> = {
  'users.roles': json(z.array(Role).max(4)),
  'users.key_record': json(UserKeyRecord).nullable(),
  'settings.value': json(z.record(z.string(), z.unknown())),
  'medications.allergy_override': json(StoredAllergyOverride).nullable(),
  'clinic.recovery_public_key': z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'is not a public key').nullable(),
};

/** Null when the value may be kept; else what is wrong with it (never the value itself). */
export function checkColumn(table: string, column: string, value: SqlValue): string | null {
  const schema = checks[`${table}.${column}`];
  if (!schema || schema.safeParse(value).success) return null;
  return `${table}.${column} is not a valid value`;
}
