// The patient whose context a screen is in: their demographics and (for roles that may read it,
// or under emergency access) the chart summary, loaded once for every screen of that patient, so
// the banner and the page show the same record and refresh together after a change.
import { createContext, type ReactNode, useCallback, useContext, useEffect, useState } from 'react';
import type { ChartSummary } from '../../../../shared/domain/chart';
import type { PatientId } from '../../../../shared/domain/ids';
import type { Patient } from '../../../../shared/domain/patient';
import type { AppError } from '../../../../shared/errors';
import { useApi } from '../../lib/api';
import { usePermissions } from '../../lib/session-context';

export interface PatientRecord {
  readonly patientId: PatientId;
  readonly patient: Patient | null;
  /** Undefined while loading; null when this user may not read the chart. */
  readonly summary: ChartSummary | null | undefined;
  readonly error: AppError | null;
  /** Loads the chart summary again (after a change, or once emergency access is granted). */
  reloadSummary(): Promise<void>;
  /** Loads the demographics again (after an edit). */
  reloadPatient(): Promise<void>;
}

const Context = createContext<PatientRecord | null>(null);

export function PatientRecordProvider({ patientId, children }: { patientId: PatientId; children: ReactNode }) {
  const api = useApi();
  const { can } = usePermissions();
  const [patient, setPatient] = useState<Patient | null>(null);
  const [summary, setSummary] = useState<ChartSummary | null | undefined>(undefined);
  const [error, setError] = useState<AppError | null>(null);
  const mayReadChart = can('chart.read') || can('emergency.access');

  const reloadPatient = useCallback(async () => {
    const r = await api.call('patients.get', { patientId });
    if (r.ok) setPatient(r.value);
    else setError(r.error);
  }, [api, patientId]);
  const reloadSummary = useCallback(async () => {
    if (!mayReadChart) { setSummary(null); return; }
    const r = await api.call('chart.summary', { patientId });
    setSummary(r.ok ? r.value : null);
  }, [api, patientId, mayReadChart]);

  useEffect(() => {
    setPatient(null);
    setSummary(undefined);
    setError(null);
    void reloadPatient();
    void reloadSummary();
  }, [reloadPatient, reloadSummary]);

  return <Context.Provider value={{ patientId, patient, summary, error, reloadSummary, reloadPatient }}>{children}</Context.Provider>;
}

export function usePatientRecord(): PatientRecord {
  const record = useContext(Context);
  if (!record) throw new Error('usePatientRecord outside a patient context');
  return record;
}
