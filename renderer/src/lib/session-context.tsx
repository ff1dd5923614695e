// The signed-in user's permissions, for showing only what their role may do (the engine
// enforces the same rules; this only hides buttons that would be refused).
import { createContext, useContext } from 'react';
import { type Permission, permissionsOf } from '../../../shared/domain/roles';
import type { SessionInfo } from '../../../shared/domain/user';

export const SessionContext = createContext<SessionInfo | null>(null);

export function usePermissions(): { can: (p: Permission) => boolean; session: SessionInfo } {
  const session = useContext(SessionContext);
  if (!session) throw new Error('usePermissions outside a session');
  const perms = permissionsOf(session.user.roles);
  return { can: (p) => perms.has(p), session };
}
