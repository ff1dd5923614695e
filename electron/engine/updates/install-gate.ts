// When a verified update may install (issue 13): never while a note is being edited or a call
// is open; otherwise when nobody is signed in, in IT's maintenance window, or when an admin
// says *Install now*. The window is wall-clock time on this workstation, so it holds across a
// daylight-saving change; one that ends earlier than it starts runs across midnight.
import type { UpdateWindow } from '../../../shared/updates/policy';

export interface CareNow {
  readonly signedIn: boolean;
  readonly notes: number;
  readonly calls: number;
}

export type Gate =
  | { readonly install: true; readonly because: 'nobody-signed-in' | 'window' | 'install-now' }
  | { readonly install: false; readonly waitingFor: 'note' | 'call' | 'sign-out'; readonly message: string };

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Whether `now` (this workstation's wall clock) is in the window. */
export function inWindow(window: UpdateWindow | null, now: Date): boolean {
  if (!window) return false;
  const m = now.getHours() * 60 + now.getMinutes();
  const from = minutes(window.from);
  const to = minutes(window.to);
  return from <= to ? m >= from && m < to : m >= from || m < to;
}

/** What the user is told while it waits. */
export function waitingMessage(window: UpdateWindow | null, care: CareNow): string {
  const when = window ? `at ${window.from} or when you sign out` : 'when you sign out';
  if (care.calls > 0) return `An update is ready and installs after the call, ${when}.`;
  if (care.notes > 0) return `An update is ready and installs once the note is closed, ${when}.`;
  return `An update is ready and installs ${when}.`;
}

export function installGate(care: CareNow, window: UpdateWindow | null, now: Date, installNow: boolean): Gate {
  if (care.calls > 0) return { install: false, waitingFor: 'call', message: waitingMessage(window, care) };
  if (care.notes > 0) return { install: false, waitingFor: 'note', message: waitingMessage(window, care) };
  if (installNow) return { install: true, because: 'install-now' };
  if (!care.signedIn) return { install: true, because: 'nobody-signed-in' };
  if (inWindow(window, now)) return { install: true, because: 'window' };
  return { install: false, waitingFor: 'sign-out', message: waitingMessage(window, care) };
}
