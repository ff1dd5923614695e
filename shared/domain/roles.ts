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
  'schedule.read',
  'schedule.write',
  'schedule.manage',
  'visit.flow',
  'chart.read',
  'chart.nursing',
  'chart.clinical',
  'notes.sign',
  'emergency.access',
  'users.manage',
  'audit.read',
  'settings.manage',
] as const;
export type Permission = (typeof permissions)[number];

/**
 * Minimum necessary access. Front desk: demographics, insurance and the schedule, no clinical
 * data. Nurses: read the chart and notes, record vitals, allergies, medications and
 * immunizations, room patients. Physicians: everything clinical, sign, and book. Admins: users,
 * settings, the schedule's set-up and the audit log, no patient data. Anyone without chart
 * access may break the glass (emergency access, audited, one hour).
 */
export const rolePermissions: Readonly<Record<Role, readonly Permission[]>> = {
  admin: ['users.manage', 'audit.read', 'settings.manage', 'schedule.manage', 'emergency.access'],
  // Physicians book their own follow-ups (and may move or cancel), as in a small office they do.
  physician: ['patients.read', 'patients.write', 'schedule.read', 'schedule.write', 'visit.flow', 'chart.read', 'chart.nursing', 'chart.clinical', 'notes.sign'],
  nurse: ['patients.read', 'schedule.read', 'visit.flow', 'chart.read', 'chart.nursing'],
  'front-desk': ['patients.read', 'patients.write', 'schedule.read', 'schedule.write', 'emergency.access'],
};

/** How long a break-the-glass grant lasts. */
export const EMERGENCY_ACCESS_MS = 60 * 60 * 1000;

export function permissionsOf(roles: readonly Role[]): ReadonlySet<Permission> {
  return new Set(roles.flatMap((r) => rolePermissions[r]));
}
