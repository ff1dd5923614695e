// The app's top level: first-run setup, sign-in, the lock screen and the signed-in shell.
import { AppShell, Button, Center, Group, Loader, NavLink, Stack, Text, Title } from '@mantine/core';
import { type ReactNode, useCallback, useEffect, useState } from 'react';
import type { PatientId } from '../../../shared/domain/ids';
import { permissionsOf } from '../../../shared/domain/roles';
import { assertNever } from '../../../shared/errors';
import type { Lockdown } from '../../../shared/domain/lockdown';
import type { TimeFormat } from '../../../shared/domain/settings';
import type { SessionInfo } from '../../../shared/domain/user';
import { AuditPage } from '../features/admin/AuditPage';
import { SecurityPage } from '../features/admin/SecurityPage';
import { SettingsPage } from '../features/admin/SettingsPage';
import { UsersPage } from '../features/admin/UsersPage';
import { PatientForm } from '../features/patients/PatientForm';
import { ScheduleSetupPage } from '../features/admin/ScheduleSetupPage';
import { ChartPage } from '../features/chart/ChartPage';
import { EncounterPage } from '../features/chart/EncounterPage';
import { PatientSummaryPrint, VisitSummaryPrint } from '../features/chart/PrintViews';
import { TemplatesPage } from '../features/chart/TemplatesPage';
import { QueuePage } from '../features/scheduling/QueuePage';
import { SchedulePage } from '../features/scheduling/SchedulePage';
import { ClockFormatContext } from '../lib/clock-context';
import { SessionContext } from '../lib/session-context';
import { ConflictsPage } from '../features/sync/ConflictsPage';
import { SyncBadge } from '../features/sync/SyncBadge';
import { WorkstationsPage } from '../features/sync/WorkstationsPage';
import { UpdateBanner } from '../features/updates/UpdateBanner';
import { UpdatesPage } from '../features/updates/UpdatesPage';
import { VersionLine } from '../features/updates/VersionLine';
import { PatientSearchPage } from '../features/patients/PatientSearchPage';
import { ChangePasswordDialog } from '../features/session/ChangePasswordDialog';
import { LockdownScreen } from '../features/session/LockdownScreen';
import { LockScreen } from '../features/session/LockScreen';
import { SignInPage } from '../features/session/SignInPage';
import { SetupPage } from '../features/setup/SetupPage';
import { useApi } from '../lib/api';
import { PatientContext } from '../features/patients/PatientContext';
import { gate, landingFor, navFor, patientOf, type View } from './views';

type Phase =
  | { kind: 'loading' }
  | { kind: 'setup' }
  | { kind: 'sign-in'; clinicName: string | null; notice: string | null }
  | { kind: 'locked-down'; clinicName: string | null; lockdown: Lockdown }
  | { kind: 'app'; session: SessionInfo };

export function App() {
  const api = useApi();
  const [phase, setPhase] = useState<Phase>({ kind: 'loading' });
  const [view, setView] = useState<View>({ kind: 'search' });
  const [changingPassword, setChangingPassword] = useState(false);
  const [recoveryCode, setRecoveryCode] = useState<string | null>(null);
  /** The patient search, kept while its user moves to a chart and back; cleared at sign-in. */
  const [searchQuery, setSearchQuery] = useState('');
  const [timeFormat, setTimeFormat] = useState<TimeFormat>('24h');

  const refresh = useCallback(async (notice: string | null = null) => {
    const status = await api.call('setup.status', {});
    if (!status.ok) return;
    if (!status.value.initialized) return setPhase({ kind: 'setup' });
    if (status.value.lockdown) return setPhase({ kind: 'locked-down', clinicName: status.value.clinicName, lockdown: status.value.lockdown });
    const current = await api.call('session.current', {});
    if (current.ok && current.value) {
      setPhase({ kind: 'app', session: current.value });
      const settings = await api.call('settings.get', {});
      if (settings.ok) setTimeFormat(settings.value.timeFormat);
    }
    else {
      setSearchQuery(''); // what one user searched for is not left for the next
      setPhase({ kind: 'sign-in', clinicName: status.value.clinicName, notice });
    }
  }, [api]);

  useEffect(() => {
    void refresh();
    const offLocked = api.on('session.locked', () => void refresh());
    const offEnded = api.on('session.ended', (e) =>
      void refresh(e.reason === 'other-user' ? 'Another user signed in on this workstation.' : e.reason === 'user-disabled' ? 'Your account was disabled.' : e.reason === 'workstation-revoked' ? 'This workstation was revoked by the practice admin.' : null),
    );
    const offLockdown = api.on('lockdown.changed', () => void refresh());
    const onFocus = () => void refresh();
    window.addEventListener('focus', onFocus);
    return () => { offLocked(); offEnded(); offLockdown(); window.removeEventListener('focus', onFocus); };
  }, [api, refresh]);

  // Keyboard and pointer use keep the session alive; idle screens lock.
  const active = phase.kind === 'app' && phase.session.state === 'active';
  const lockSeconds = phase.kind === 'app' ? phase.session.autoLockSeconds : 600;
  useEffect(() => {
    if (!active) return;
    // Report often enough that typing never outlasts the lock timeout, rarely enough to be cheap.
    const every = Math.min(20_000, (lockSeconds * 1000) / 3);
    let last = 0;
    const onInput = () => {
      const now = Date.now();
      if (now - last < every) return;
      last = now;
      void api.call('session.activity', {});
    };
    window.addEventListener('keydown', onInput);
    window.addEventListener('pointerdown', onInput);
    return () => { window.removeEventListener('keydown', onInput); window.removeEventListener('pointerdown', onInput); };
  }, [api, active, lockSeconds]);

  const signedIn = (s: SessionInfo) => {
    setSearchQuery('');
    void api.call('settings.get', {}).then((r) => r.ok && setTimeFormat(r.value.timeFormat));
    setView(landingFor(permissionsOf(s.user.roles)));
    setPhase({ kind: 'app', session: s });
  };
  const recheck = useCallback(() => void refresh(), [refresh]);
  const signOut = async () => { await api.call('session.signOut', {}); await refresh(); };

  switch (phase.kind) {
    case 'loading':
      return <Center h="100vh"><Loader aria-label="Loading" /></Center>;
    case 'setup':
      return (
        <SetupPage onDone={async (s) => {
          signedIn(s);
          // Set up with the embedded cloud: show the recovery code once, where workstations are managed.
          const r = await api.call('sync.takeRecoveryCode', {});
          if (r.ok && r.value.code) {
            setRecoveryCode(r.value.code);
            setView({ kind: 'workstations' });
          }
        }} onJoined={(clinicName) => void refresh(`This workstation joined ${clinicName}. Sign in with the username and password you use at the clinic.`)}
        onRestored={(r) => void refresh(`${r.clinicName} was restored here: ${r.patients} patients, every check passed. Sign in with the username and password you use at the clinic.`)} />
      );
    case 'locked-down':
      return <LockdownScreen lockdown={phase.lockdown} clinicName={phase.clinicName} onRecheck={recheck} />;
    case 'sign-in':
      return <SignInPage clinicName={phase.clinicName} notice={phase.notice} onSignedIn={signedIn} />;
    case 'app':
      break;
  }

  const session = phase.session;
  if (session.state === 'locked') {
    return <LockScreen session={session} onUnlocked={(s) => setPhase({ kind: 'app', session: s })} onSignOut={signOut} />;
  }
  const perms = permissionsOf(session.user.roles);
  const canWrite = perms.has('patients.write');
  const current = gate(view, perms);
  const openChart = (id: PatientId) => setView({ kind: 'patient', id });

  if (current.kind === 'print-visit' || current.kind === 'print-patient') {
    const back = () => setView(current.kind === 'print-visit' ? { kind: 'encounter', patientId: current.patientId, encounterId: current.encounterId } : { kind: 'patient', id: current.patientId });
    return (
      <SessionContext.Provider value={session}><ClockFormatContext.Provider value={timeFormat}>
        <PatientContext patientId={current.patientId} print>
          {current.kind === 'print-visit'
            ? <VisitSummaryPrint patientId={current.patientId} encounterId={current.encounterId} onBack={back} />
            : <PatientSummaryPrint onBack={back} />}
        </PatientContext>
      </ClockFormatContext.Provider></SessionContext.Provider>
    );
  }
  const inPatientContext = patientOf(current);


  return (
    <SessionContext.Provider value={session}><ClockFormatContext.Provider value={timeFormat}>
      <AppShell header={{ height: 56 }} navbar={{ width: 220, breakpoint: 0 }} padding="md">
        <AppShell.Header>
          <Group h="100%" px="md" justify="space-between">
            <Title order={2} size="h4">Chartroom</Title>
            <Group>
              <SyncBadge />
              <Text size="sm" aria-label="Signed in as">{session.user.displayName}</Text>
              <Button size="xs" variant="subtle" onClick={() => setChangingPassword(true)}>Change password</Button>
              <Button size="xs" variant="default" onClick={() => void api.call('session.lock', {}).then(() => refresh())}>Lock</Button>
              <Button size="xs" variant="default" onClick={signOut}>Sign out</Button>
            </Group>
          </Group>
        </AppShell.Header>
        <AppShell.Navbar p="xs" aria-label="Main">
          <Stack gap={2}>
            {navFor(perms).map((n) => (
              <NavLink key={n.view.kind} component="button" label={n.label} active={current.kind === n.view.kind} onClick={() => setView(n.view)} />
            ))}
          </Stack>
          <Stack mt="auto" p="xs"><VersionLine /></Stack>
        </AppShell.Navbar>
        <AppShell.Main>
          <UpdateBanner />
          {((page: ReactNode) => (inPatientContext ? <PatientContext patientId={inPatientContext}>{page}</PatientContext> : page))((() => {
            switch (current.kind) {
              case 'search':
                return <PatientSearchPage canRegister={canWrite} onOpen={openChart} onRegister={() => setView({ kind: 'register' })} query={searchQuery} onQueryChange={setSearchQuery} />;
              case 'register':
                return <PatientForm onSaved={(p) => openChart(p.id)} onOpenExisting={openChart} onCancel={() => setView({ kind: 'search' })} />;
              case 'edit':
                return <PatientForm existing={current.patient} onSaved={(p) => openChart(p.id)} onOpenExisting={openChart} onCancel={() => openChart(current.patient.id)} />;
              case 'patient':
                return (
                  <ChartPage key={current.id} patientId={current.id} onEdit={(p) => setView({ kind: 'edit', patient: p })} onBack={() => setView({ kind: 'search' })}
                    onOpenEncounter={(encounterId) => setView({ kind: 'encounter', patientId: current.id, encounterId })}
                    onPrintPatient={() => setView({ kind: 'print-patient', patientId: current.id })} />
                );
              case 'encounter':
                return (
                  <EncounterPage key={current.encounterId} patientId={current.patientId} encounterId={current.encounterId} onBack={() => openChart(current.patientId)}
                    onPrint={() => setView({ kind: 'print-visit', patientId: current.patientId, encounterId: current.encounterId })} />
                );
              case 'schedule':
                return <SchedulePage onOpenChart={openChart} onOpenEncounter={(patientId, encounterId) => setView({ kind: 'encounter', patientId, encounterId })} />;
              case 'queue':
                return <QueuePage onOpenChart={openChart} onOpenEncounter={(patientId, encounterId) => setView({ kind: 'encounter', patientId, encounterId })} />;
              case 'schedule-setup':
                return <ScheduleSetupPage />;
              case 'templates':
                return <TemplatesPage />;
              case 'workstations':
                return <WorkstationsPage recoveryCode={recoveryCode} onRecoveryStored={() => setRecoveryCode(null)} />;
              case 'updates':
                return <UpdatesPage />;
              case 'security':
                return <SecurityPage />;
              case 'conflicts':
                return <ConflictsPage />;
              case 'users':
                return <UsersPage />;
              case 'audit':
                return <AuditPage />;
              case 'settings':
                return <SettingsPage onSaved={(s) => { setTimeFormat(s.timeFormat); setPhase({ kind: 'app', session: { ...session, autoLockSeconds: s.autoLockSeconds } }); }} />;
              default:
                return assertNever(current, 'view');
            }
          })())}
        </AppShell.Main>
        <ChangePasswordDialog opened={changingPassword} onClose={() => setChangingPassword(false)} />
      </AppShell>
    </ClockFormatContext.Provider></SessionContext.Provider>
  );
}
