// Booking from a patient's chart: the front desk books their next visit, a physician their
// follow-up (with themselves as the provider when they take appointments), the patient filled in.
import { Button } from '@mantine/core';
import { useState } from 'react';
import type { UserId } from '../../../../shared/domain/ids';
import type { Patient } from '../../../../shared/domain/patient';
import { usePermissions } from '../../lib/session-context';
import { BookDialog, type BookingDraft } from './BookDialog';
import { todayLocal } from './time';
import { useScheduleSetup } from './use-schedule';

export function BookFromChart({ patient, onBooked }: { patient: Patient; onBooked: () => void }) {
  const { can, session } = usePermissions();
  const { providers, types } = useScheduleSetup();
  const [draft, setDraft] = useState<BookingDraft | null>(null);
  if (!can('schedule.write')) return null;
  const me = providers.find((p) => p.userId === session.user.id)?.userId as UserId | undefined;
  return (
    <>
      <Button variant="light" onClick={() => setDraft({
        date: todayLocal(), time: '09:00', providerId: me,
        patient: { id: patient.id, mrn: patient.mrn, familyName: patient.familyName, givenNames: patient.givenNames, preferredName: patient.preferredName, dateOfBirth: patient.dateOfBirth, phone: patient.phone },
      })}>{me ? 'Book follow-up' : 'Book appointment'}</Button>
      <BookDialog draft={draft} providers={providers} types={types} onClose={() => setDraft(null)} onDone={() => { setDraft(null); onBooked(); }} />
    </>
  );
}
