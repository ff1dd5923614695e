// Roles and the permissions each grants. The contract names one permission per call.
import { z } from 'zod';

export const Role = z.enum(['admin', 'physician', 'nurse', 'front-desk']);
export type Role = z.infer<typeof Role>;

export const roleLabels: Readonly<Record<Role, string>> = {
  admin: 'Practice admin / IT',
  physician: 'Physician',
  nurse: 'Nurse',
  'front-desk': 'Front desk',
};

export const permissions = [
  'patients.read',
  'patients.write',
  'users.manage',
  'audit.read',
  'settings.manage',
] as const;
export type Permission = (typeof permissions)[number];

/**
 * Minimum necessary access. Admins manage users, settings and audit but do not see patient
 * records unless they also hold a clinical or front-desk role; nurses read demographics.
 */
export const rolePermissions: Readonly<Record<Role, readonly Permission[]>> = {
  admin: ['users.manage', 'audit.read', 'settings.manage'],
  physician: ['patients.read', 'patients.write'],
  nurse: ['patients.read'],
  'front-desk': ['patients.read', 'patients.write'],
};

export function permissionsOf(roles: readonly Role[]): ReadonlySet<Permission> {
  return new Set(roles.flatMap((r) => rolePermissions[r]));
}
