// Chart calls: encounters and SOAP notes (drafts, signing, addenda), problems, medications with
// the allergy check, allergies, vitals, immunizations, labs, and emergency access (documents are
// their own feature, documents/).
import { v7 as uuidv7 } from 'uuid';
import type { CallName } from '../../../shared/api/contract';
import type { Note } from '../../../shared/domain/chart';
import { EMERGENCY_ACCESS_MS } from '../../../shared/domain/roles';
import { fail, invalidInput, ok, type Result } from '../../../shared/errors';
import { auditOf, type HandlersFor, type SessionContext } from '../clinic/call-context';
import type { Clinic } from '../clinic/open-clinic';
import type { Mutator } from '../db/mutation';
import { localToday } from '../util/local-time';
import { allergyAlerts } from './allergy-alerts';
import {
  activeAllergies, chartSummary, findEncounter, findNote, patientExists, toAllergy, toImmunization, toLab, toMedication, toProblem, toTemplate,
  toVitals, userNames,
} from './chart-repository';

type ChartCall = Extract<
  CallName,
  `chart.${string}` | `encounters.${string}` | `notes.${string}` | `problems.${string}` | `medications.${string}` | `allergies.${string}`
  | `vitals.${string}` | `immunizations.${string}` | `labs.${string}` | `emergency.${string}` | 'audit.emergencyAccesses'
>;

const noPatient = () => fail<never>('patient-not-found', 'No patient with that id.');
const noteSigned = () => fail<never>('note-signed', 'This note is signed and can no longer change. Add an addendum instead.');

export function chartHandlers(): HandlersFor<ChartCall> {
  /** One write to a note of this patient, then the note as it now stands. */
  const changeNote = async (
    clinic: Clinic,
    patientId: string,
    noteId: string,
    fn: (m: Mutator, note: Note & { patientId: string }) => Promise<Result<true>>,
  ): Promise<Result<Note>> => {
    const result = await clinic.write(async (m): Promise<Result<true>> => {
      const note = await findNote(m.tx, noteId);
      if (!note || note.patientId !== patientId) return fail('not-found', 'No such note for this patient.');
      return fn(m, note);
    });
    if (!result.ok) return result;
    const note = await clinic.db.read((tx) => findNote(tx, noteId));
    return note ? ok(stripPatient(note)) : fail('not-found', 'No such note.');
  };

  return {
    'chart.summary': async (input, ctx) => {
      if (!(await ctx.clinic.db.read((tx) => patientExists(tx, input.patientId)))) return noPatient();
      const summary = await ctx.clinic.db.read((tx) => chartSummary(tx, input.patientId, localToday(), ctx.emergencyUntil ?? null));
      await ctx.clinic.write((m) => m.audit(auditOf(ctx, 'chart.summary', input.patientId)));
      return ok(summary);
    },

    'encounters.open': async (input, ctx) => {
      const result = await ctx.clinic.write(async (m): Promise<Result<string>> => {
        if (!(await patientExists(m.tx, input.patientId))) return noPatient();
        if (input.appointmentId) {
          const appt = await m.tx.get<{ patient_id: string; status: string }>('SELECT patient_id, status FROM appointments WHERE id = ?', [input.appointmentId]);
          if (!appt || appt.patient_id !== input.patientId) return fail('not-found', 'No such appointment for this patient.');
          // The physician opening the visit's note is the physician seeing the patient: Today moves it along.
          if (appt.status === 'checked-in' || appt.status === 'roomed') {
            const now = new Date().toISOString();
            await m.update('appointments', input.appointmentId, { status: 'with-provider', with_provider_at: now, updated_at: now });
          }
          const existing = await m.tx.get<{ id: string }>('SELECT id FROM encounters WHERE appointment_id = ?', [input.appointmentId]);
          if (existing) return ok(existing.id);
        }
        const id = uuidv7();
        const now = new Date().toISOString();
        await m.insert('encounters', id, {
          patient_id: input.patientId, appointment_id: input.appointmentId ?? null, provider_id: ctx.user.id,
          kind: input.appointmentId ? 'appointment' : 'walk-in', started_at: now,
        });
        await m.insert('notes', uuidv7(), { encounter_id: id, author_id: ctx.user.id, status: 'draft', updated_at: now });
        m.audit(auditOf(ctx, 'encounters.open', input.patientId));
        return ok(id);
      });
      if (!result.ok) return result;
      const encounter = await ctx.clinic.db.read((tx) => findEncounter(tx, result.value));
      return encounter ? ok(encounter) : fail('not-found', 'No such encounter.');
    },
    'encounters.get': async (input, ctx) => {
      const encounter = await ctx.clinic.db.read((tx) => findEncounter(tx, input.encounterId));
      if (!encounter || encounter.patientId !== input.patientId) return fail('not-found', 'No such encounter for this patient.');
      await ctx.clinic.write((m) => m.audit(auditOf(ctx, 'encounters.get', input.patientId)));
      return ok(encounter);
    },

    'notes.saveDraft': async (input, ctx) =>
      changeNote(ctx.clinic, input.patientId, input.noteId, async (m, note) => {
        if (note.status === 'signed') return noteSigned();
        if ((await m.update('notes', note.id, { ...input.soap })) > 0) {
          await m.update('notes', note.id, { updated_at: new Date().toISOString() });
          m.audit(auditOf(ctx, 'notes.saveDraft', input.patientId));
        }
        return ok(true);
      }),
    'notes.sign': async (input, ctx) =>
      changeNote(ctx.clinic, input.patientId, input.noteId, async (m, note) => {
        if (note.status === 'signed') return noteSigned();
        if (![note.subjective, note.objective, note.assessment, note.plan].some((x) => x.trim())) {
          return fail('invalid-input', 'The note is empty; write at least one section before signing.');
        }
        const now = new Date().toISOString();
        const { subjective, objective, assessment, plan } = note;
        await m.update('notes', note.id, { subjective, objective, assessment, plan, status: 'signed', signed_by: ctx.user.id, signed_at: now, updated_at: now }, { restamp: true });
        m.audit(auditOf(ctx, 'notes.sign', input.patientId));
        return ok(true);
      }),
    'notes.addAddendum': async (input, ctx) =>
      changeNote(ctx.clinic, input.patientId, input.noteId, async (m, note) => {
        if (note.status !== 'signed') return fail('invalid-transition', 'Addenda are for signed notes; edit the draft instead.');
        await m.insert('addenda', uuidv7(), { note_id: note.id, author_id: ctx.user.id, text: input.text, signed_at: new Date().toISOString() });
        m.audit(auditOf(ctx, 'notes.addAddendum', input.patientId));
        return ok(true);
      }),
    'notes.templates': async (_input, ctx) => ok((await ctx.clinic.db.all('SELECT * FROM note_templates ORDER BY name')).map(toTemplate)),
    'notes.saveTemplate': async (input, ctx) =>
      ctx.clinic.write(async (m) => {
        const id = input.id ?? uuidv7();
        if (input.id && !(await m.tx.get('SELECT 1 AS x FROM note_templates WHERE id = ?', [input.id]))) return fail('not-found', 'No such template.');
        await m.upsert('note_templates', id, { ...input.template });
        m.audit(auditOf(ctx, 'notes.saveTemplate', null, `template=${input.template.name}`));
        const row = await m.tx.get('SELECT * FROM note_templates WHERE id = ?', [id]);
        if (!row) throw new Error('template missing');
        return ok(toTemplate(row));
      }),

    'problems.add': async (input, ctx) =>
      ctx.clinic.write(async (m) => {
        if (!(await patientExists(m.tx, input.patientId))) return noPatient();
        const id = uuidv7();
        await m.insert('problems', id, { patient_id: input.patientId, ...input.problem, recorded_by: ctx.user.id, recorded_at: new Date().toISOString() });
        m.audit(auditOf(ctx, 'problems.add', input.patientId));
        return ok(toProblem((await m.tx.get('SELECT * FROM problems WHERE id = ?', [id])) ?? {}));
      }),
    'problems.update': async (input, ctx) =>
      ctx.clinic.write(async (m) => {
        const row = await m.tx.get<{ patient_id: string }>('SELECT patient_id FROM problems WHERE id = ?', [input.problemId]);
        if (!row || row.patient_id !== input.patientId) return fail('not-found', 'No such problem for this patient.');
        await m.update('problems', input.problemId, { ...input.problem });
        m.audit(auditOf(ctx, 'problems.update', input.patientId));
        return ok(toProblem((await m.tx.get('SELECT * FROM problems WHERE id = ?', [input.problemId])) ?? {}));
      }),

    'medications.add': async (input, ctx) =>
      ctx.clinic.write(async (m) => {
        if (!(await patientExists(m.tx, input.patientId))) return noPatient();
        const names = await userNames(m.tx);
        const allergies = await activeAllergies(m.tx, input.patientId, names);
        const alerts = allergyAlerts(input.medication, allergies);
        const alerted = alerts.map((a) => `${a.substance} (${a.level})`).join(', ');
        if (alerts.length > 0 && !input.allergyOverride) {
          m.audit(auditOf(ctx, 'medications.allergy-warning', input.patientId, `medication=${input.medication.name}; allergies=${alerted}`));
          return ok({ status: 'allergy-warning' as const, alerts });
        }
        const id = uuidv7();
        const now = new Date().toISOString();
        // The override stays on the medication's own row, so the chart shows it wherever it syncs.
        const override = alerts.length > 0 && input.allergyOverride
          ? JSON.stringify({ reason: input.allergyOverride.reason, by: ctx.user.id, at: now, alerts: alerts.map(({ substance, level, reason }) => ({ substance, level, reason })) })
          : null;
        await m.insert('medications', id, {
          patient_id: input.patientId, ...input.medication, recorded_by: ctx.user.id, recorded_at: now, active: 1, allergy_override: override,
        });
        m.audit(auditOf(ctx, override ? 'medications.add-allergy-override' : 'medications.add', input.patientId,
          override ? `overrode allergies: ${alerted}; reason: ${input.allergyOverride?.reason ?? ''}` : null));
        const row = await m.tx.get('SELECT * FROM medications WHERE id = ?', [id]);
        return ok({ status: 'added' as const, medication: toMedication(row ?? {}, names, allergies) });
      }),
    'medications.stop': async (input, ctx) =>
      ctx.clinic.write(async (m) => {
        const row = await m.tx.get<{ patient_id: string; start: string }>('SELECT patient_id, start FROM medications WHERE id = ? AND active = 1', [input.medicationId]);
        if (!row || row.patient_id !== input.patientId) return fail('not-found', 'No such medication for this patient.');
        if (row.start && input.stop < row.start) return fail('invalid-input', 'The stop date is before the start date.');
        await m.update('medications', input.medicationId, { stop: input.stop });
        m.audit(auditOf(ctx, 'medications.stop', input.patientId));
        const names = await userNames(m.tx);
        const updated = await m.tx.get('SELECT * FROM medications WHERE id = ?', [input.medicationId]);
        return ok(toMedication(updated ?? {}, names, await activeAllergies(m.tx, input.patientId, names)));
      }),
    'medications.inactivate': async (input, ctx) =>
      ctx.clinic.write(async (m) => {
        const row = await m.tx.get<{ patient_id: string }>('SELECT patient_id FROM medications WHERE id = ? AND active = 1', [input.medicationId]);
        if (!row || row.patient_id !== input.patientId) return fail('not-found', 'No such active medication for this patient.');
        await m.update('medications', input.medicationId, { active: 0, inactive_reason: input.reason, inactive_by: ctx.user.id, inactive_at: new Date().toISOString() });
        m.audit(auditOf(ctx, 'medications.inactivate', input.patientId, `reason: ${input.reason}`));
        return ok({ done: true as const });
      }),

    'allergies.add': async (input, ctx) =>
      ctx.clinic.write(async (m) => {
        if (!(await patientExists(m.tx, input.patientId))) return noPatient();
        const id = uuidv7();
        await m.insert('allergies', id, { patient_id: input.patientId, ...input.allergy, active: 1, recorded_by: ctx.user.id, recorded_at: new Date().toISOString() });
        await m.update('patients', input.patientId, { no_known_allergies: 0 });
        m.audit(auditOf(ctx, 'allergies.add', input.patientId));
        return ok(toAllergy((await m.tx.get('SELECT * FROM allergies WHERE id = ?', [id])) ?? {}, await userNames(m.tx)));
      }),
    'allergies.setNoneKnown': async (input, ctx) =>
      ctx.clinic.write(async (m) => {
        if (!(await patientExists(m.tx, input.patientId))) return noPatient();
        if (await m.tx.get('SELECT 1 AS x FROM allergies WHERE patient_id = ? AND active = 1', [input.patientId])) {
          return fail('allergies-recorded', 'This patient has recorded allergies; remove them first if they were entered in error.');
        }
        await m.update('patients', input.patientId, { no_known_allergies: 1 });
        m.audit(auditOf(ctx, 'allergies.setNoneKnown', input.patientId));
        return ok({ done: true as const });
      }),
    'allergies.remove': async (input, ctx) =>
      ctx.clinic.write(async (m) => {
        const row = await m.tx.get<{ patient_id: string }>('SELECT patient_id FROM allergies WHERE id = ? AND active = 1', [input.allergyId]);
        if (!row || row.patient_id !== input.patientId) return fail('not-found', 'No such allergy for this patient.');
        await m.update('allergies', input.allergyId, { active: 0, inactive_reason: input.reason, inactive_by: ctx.user.id, inactive_at: new Date().toISOString() });
        m.audit(auditOf(ctx, 'allergies.remove', input.patientId, `reason: ${input.reason}`));
        return ok({ done: true as const });
      }),

    'vitals.record': async (input, ctx) =>
      ctx.clinic.write(async (m) => {
        if (!(await patientExists(m.tx, input.patientId))) return noPatient();
        if (input.encounterId) {
          const e = await m.tx.get<{ patient_id: string }>('SELECT patient_id FROM encounters WHERE id = ?', [input.encounterId]);
          if (!e || e.patient_id !== input.patientId) return fail('not-found', 'No such encounter for this patient.');
        }
        const v = input.vitals;
        // Entered for an earlier time is fine; a clock a few minutes ahead on another machine too.
        if (v.takenAt && Date.parse(v.takenAt) > Date.now() + 5 * 60_000) return invalidInput([{ path: ['vitals', 'takenAt'], message: 'is in the future' }]);
        const id = uuidv7();
        await m.insert('vitals', id, {
          patient_id: input.patientId, encounter_id: input.encounterId ?? null, taken_at: v.takenAt ?? new Date().toISOString(),
          systolic: v.systolic, diastolic: v.diastolic, heart_rate: v.heartRate, respiratory_rate: v.respiratoryRate,
          temperature_c: v.temperatureC, spo2: v.spo2, height_cm: v.heightCm, weight_kg: v.weightKg, recorded_by: ctx.user.id,
        });
        m.audit(auditOf(ctx, 'vitals.record', input.patientId));
        return ok(toVitals((await m.tx.get('SELECT * FROM vitals WHERE id = ?', [id])) ?? {}, await userNames(m.tx)));
      }),
    'vitals.markError': async (input, ctx) => markError(ctx, 'vitals', input.patientId, input.vitalsId, input.reason),
    'immunizations.add': async (input, ctx) =>
      ctx.clinic.write(async (m) => {
        if (!(await patientExists(m.tx, input.patientId))) return noPatient();
        if (input.immunization.date > localToday()) return invalidInput([{ path: ['immunization', 'date'], message: 'is in the future' }]);
        const id = uuidv7();
        await m.insert('immunizations', id, { patient_id: input.patientId, ...input.immunization, recorded_by: ctx.user.id });
        m.audit(auditOf(ctx, 'immunizations.add', input.patientId));
        return ok(toImmunization((await m.tx.get('SELECT * FROM immunizations WHERE id = ?', [id])) ?? {}));
      }),
    'labs.add': async (input, ctx) =>
      ctx.clinic.write(async (m) => {
        if (!(await patientExists(m.tx, input.patientId))) return noPatient();
        const l = input.lab;
        const id = uuidv7();
        await m.insert('lab_results', id, {
          patient_id: input.patientId, test: l.test, loinc: l.loinc, value: l.value, unit: l.unit, ref_low: l.refLow, ref_high: l.refHigh,
          collected_on: l.collectedOn, recorded_by: ctx.user.id,
        });
        m.audit(auditOf(ctx, 'labs.add', input.patientId));
        return ok(toLab((await m.tx.get('SELECT * FROM lab_results WHERE id = ?', [id])) ?? {}, await userNames(m.tx)));
      }),
    'labs.markError': async (input, ctx) => markError(ctx, 'lab_results', input.patientId, input.labId, input.reason),

    'emergency.open': async (input, ctx) =>
      ctx.clinic.write(async (m) => {
        if (!(await patientExists(m.tx, input.patientId))) return noPatient();
        const now = new Date();
        const expiresAt = new Date(now.getTime() + EMERGENCY_ACCESS_MS).toISOString();
        await m.insert('emergency_access', uuidv7(), {
          user_id: ctx.user.id, patient_id: input.patientId, reason: input.reason, granted_at: now.toISOString(), expires_at: expiresAt,
        });
        m.audit({ ...auditOf(ctx, 'emergency.open', input.patientId, `reason: ${input.reason}; until ${expiresAt}`) });
        return ok({ expiresAt });
      }),
    'audit.emergencyAccesses': async (_input, ctx) => {
      const rows = await ctx.clinic.db.all<Record<string, string>>(
        `SELECT g.*, u.username, p.family_name || ', ' || p.given_names AS patient_name
           FROM emergency_access g JOIN users u ON u.id = g.user_id JOIN patients p ON p.id = g.patient_id
          ORDER BY g.granted_at DESC LIMIT 1000`,
      );
      return ok(rows.map((r) => ({
        id: r.id as never, userId: r.user_id as never, username: r.username ?? '', patientId: r.patient_id as never,
        patientName: r.patient_name ?? '', reason: r.reason ?? '', grantedAt: r.granted_at ?? '', expiresAt: r.expires_at ?? '',
      })));
    },
  };
}

/** Marks a vitals set or lab result entered in error: it stays in the record with who, when and why. */
async function markError(ctx: SessionContext, table: 'vitals' | 'lab_results', patientId: string, id: string, reason: string): Promise<Result<{ done: true }>> {
  return ctx.clinic.write(async (m) => {
    const row = await m.tx.get<{ patient_id: string; error_at: string | null }>(`SELECT patient_id, error_at FROM ${table} WHERE id = ?`, [id]);
    if (!row || row.patient_id !== patientId) return fail('not-found', table === 'vitals' ? 'No such vitals for this patient.' : 'No such lab result for this patient.');
    if (row.error_at) return fail('invalid-transition', 'This entry is already marked entered in error.');
    await m.update(table, id, { error_reason: reason, error_by: ctx.user.id, error_at: new Date().toISOString() });
    m.audit(auditOf(ctx, table === 'vitals' ? 'vitals.markError' : 'labs.markError', patientId, `reason: ${reason}`));
    return ok({ done: true as const });
  });
}

function stripPatient(note: Note & { patientId: string }): Note {
  const { patientId: _p, ...rest } = note;
  return rest;
}
