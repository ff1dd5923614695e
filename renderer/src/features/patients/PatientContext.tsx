// A screen in a patient's context: the patient's record loaded once, the banner above, and the
// screen below. App.tsx wraps every view that names a patient in it (views.ts `patientOf`).
import { Loader, Stack } from '@mantine/core';
import type { ReactNode } from 'react';
import type { PatientId } from '../../../../shared/domain/ids';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PatientBanner } from './PatientBanner';
import { PatientRecordProvider, usePatientRecord } from './patient-record';

function BannerAndPage({ print, children }: { print: boolean; children: ReactNode }) {
  const { patient, summary, error } = usePatientRecord();
  if (error) return <ErrorAlert error={error} />;
  if (!patient) return <Loader aria-label="Loading patient" />;
  if (print) return <>{children}</>; // the printed page places the banner in its own header
  return (
    <Stack gap="sm">
      <PatientBanner patient={patient} summary={summary} />
      {children}
    </Stack>
  );
}

export function PatientContext({ patientId, print = false, children }: { patientId: PatientId; print?: boolean; children: ReactNode }) {
  return (
    <PatientRecordProvider key={patientId} patientId={patientId}>
      <BannerAndPage print={print}>{children}</BannerAndPage>
    </PatientRecordProvider>
  );
}
