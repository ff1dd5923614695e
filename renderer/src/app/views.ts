// Which views the app has, who may see each, and which stand in the main navigation: one table,
// from which the landing view after sign-in, the gate on every view and the navigation derive.
import type { EncounterId, PatientId } from '../../../shared/domain/ids';
import type { Patient } from '../../../shared/domain/patient';
import type { Permission } from '../../../shared/domain/roles';
import { assertNever } from '../../../shared/errors';

export type View =
  | { kind: 'search' }
  | { kind: 'register' }
  | { kind: 'patient'; id: PatientId }
  | { kind: 'edit'; patient: Patient }
  | { kind: 'encounter'; patientId: PatientId; encounterId: EncounterId }
  | { kind: 'print-visit'; patientId: PatientId; encounterId: EncounterId }
  | { kind: 'print-patient'; patientId: PatientId }
  | { kind: 'schedule' }
  | { kind: 'queue' }
  | { kind: 'schedule-setup' }
  | { kind: 'templates' }
  | { kind: 'workstations' }
  | { kind: 'updates' }
  | { kind: 'security' }
  | { kind: 'conflicts' }
  | { kind: 'users' }
  | { kind: 'audit' }
  | { kind: 'settings' };

export type ViewKind = View['kind'];

interface ViewRule {
  /** The permission that shows this view; without it the user lands where they may be. */
  readonly needs: Permission;
  /** The view's entry in the main navigation, in this table's order (none: reached from another view). */
  readonly nav?: string;
}

/** In navigation order: the first one a user may see is where they land after signing in. */
export const viewRules: Readonly<Record<ViewKind, ViewRule>> = {
  queue: { needs: 'schedule.read', nav: 'Today' },
  schedule: { needs: 'schedule.read', nav: 'Schedule' },
  search: { needs: 'patients.read', nav: 'Patients' },
  templates: { needs: 'chart.clinical', nav: 'Note templates' },
  users: { needs: 'users.manage', nav: 'Users' },
  'schedule-setup': { needs: 'schedule.manage', nav: 'Schedule set-up' },
  workstations: { needs: 'users.manage', nav: 'Workstations' },
  updates: { needs: 'users.manage', nav: 'Updates' },
  security: { needs: 'users.manage', nav: 'Security' },
  conflicts: { needs: 'patients.read', nav: 'Sync conflicts' },
  audit: { needs: 'audit.read', nav: 'Audit log' },
  settings: { needs: 'settings.manage', nav: 'Settings' },
  register: { needs: 'patients.read' },
  patient: { needs: 'patients.read' },
  edit: { needs: 'patients.read' },
  encounter: { needs: 'patients.read' },
  'print-visit': { needs: 'patients.read' },
  'print-patient': { needs: 'patients.read' },
};

const kinds = Object.keys(viewRules) as ViewKind[];

export const maySee = (kind: ViewKind, perms: ReadonlySet<Permission>): boolean => perms.has(viewRules[kind].needs);

/** The navigation entries this user sees, in order. */
export function navFor(perms: ReadonlySet<Permission>): { view: View; label: string }[] {
  return kinds.flatMap((kind) => {
    const label = viewRules[kind].nav;
    // A navigation entry is a view without a payload (the table's nav views all are).
    return label && maySee(kind, perms) ? [{ view: { kind } as View, label }] : [];
  });
}

/** Where a user lands: the first navigation entry they may see (settings when none). */
export function landingFor(perms: ReadonlySet<Permission>): View {
  return navFor(perms)[0]?.view ?? { kind: 'settings' };
}

/** The view asked for, or the landing view when this user may not see it. */
export function gate(view: View, perms: ReadonlySet<Permission>): View {
  return maySee(view.kind, perms) ? view : landingFor(perms);
}

/** The patient a view is about: every such view shows the patient banner (App.tsx). */
export function patientOf(view: View): PatientId | null {
  switch (view.kind) {
    case 'patient':
      return view.id;
    case 'edit':
      return view.patient.id;
    case 'encounter':
    case 'print-visit':
    case 'print-patient':
      return view.patientId;
    case 'search':
    case 'register':
    case 'schedule':
    case 'queue':
    case 'schedule-setup':
    case 'templates':
    case 'workstations':
    case 'updates':
    case 'security':
    case 'conflicts':
    case 'users':
    case 'audit':
    case 'settings':
      return null;
    default:
      return assertNever(view, 'view');
  }
}
