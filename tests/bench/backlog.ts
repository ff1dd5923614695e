// A workstation with a backlog, measured through the browser host (HTTP, dispatcher, engine),
// as the UI calls it: two hosts side by side with the same 20,000 patients, one not enrolled (as
// when offline) so all of them wait to be sent, the other with its embedded cloud and in step. For each: p50 and p95 of a search
// as you type ("smi"), opening a chart (patient and chart summary), and an autosave of a note.
// Background sync runs in both, as in the app. Goal: p95 ≤ 50 ms for each, backlog or not.
import { startHostProcess, type HostProcess } from '../helpers/browser-host-process';
import { percentile } from './stats';

const CALLS = Number(process.env.BENCH_BACKLOG_CALLS ?? 300);
const BACKLOG = Number(process.env.BENCH_BACKLOG_PATIENTS ?? 20_000);

const empty = {
  preferredName: '', sexAtBirth: 'female', genderIdentity: '', phone: '', email: '', addressLine1: '', addressLine2: '', city: '', region: '', postalCode: '', country: '',
  emergencyName: '', emergencyRelationship: '', emergencyPhone: '', insurancePayer: '', insuranceMemberId: '', insuranceGroup: '',
};

interface Host { name: string; host: HostProcess; api: <T>(name: string, input: unknown) => Promise<T>; patientId: string; noteId: string }

async function open(name: string, online: boolean): Promise<Host> {
  const host = await startHostProcess(undefined, online ? [] : ['--no-cloud']);
  const token = new URL(host.url).hash.split('=')[1] as string;
  const api = async <T>(call: string, input: unknown): Promise<T> => {
    const r = await fetch(`${host.origin}/api/call/${call}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-chartroom-token': token, origin: host.origin }, body: JSON.stringify(input) });
    const body = (await r.json()) as { ok: boolean; value: T; error?: { code: string } };
    if (!body.ok) throw new Error(`${call}: ${body.error?.code}`);
    return body.value;
  };
  await api('setup.initialize', { clinicName: 'Bench Clinic', admin: { username: 'ada', displayName: 'Ada Admin', roles: ['admin', 'physician', 'front-desk'], password: 'bench-clinic-password-1' } });
  const surnames = ['Smith', 'Smithers', 'Smits', 'Jones', 'Garcia', 'Nguyen', 'Okafor', 'Brown'];
  // One change set per patient, as registering them one by one at the desk makes: the backlog
  // is 20,000 change sets (and every one of their rows), not a few large ones.
  const register = async (i: number) => api('patients.registerMany', {
    patients: [{
      ...empty, familyName: `${surnames[i % surnames.length]}${i}`, givenNames: 'Bench', dateOfBirth: `19${String(40 + (i % 60)).padStart(2, '0')}-01-15`, phone: `555${String(i).padStart(7, '0')}`,
      email: `bench${i}@example.org`, addressLine1: `${i} Main Street`, city: 'Springfield', region: 'IL', postalCode: '62701', country: 'US',
      emergencyName: 'Pat Bench', emergencyRelationship: 'spouse', emergencyPhone: `556${String(i).padStart(7, '0')}`, insurancePayer: 'Acme Health', insuranceMemberId: `M${i}`,
    }],
    reason: 'benchmark backlog',
  });
  let next = 0;
  await Promise.all(Array.from({ length: 4 }, async () => { while (next < BACKLOG) await register(next++); }));
  const reg = await api<{ status: string; patient: { id: string } }>('patients.register', { fields: { ...empty, familyName: 'Smithfield', givenNames: 'Vera', dateOfBirth: '1970-07-07' } });
  const encounter = await api<{ note: { id: string } }>('encounters.open', { patientId: reg.patient.id });
  let status = await api<{ pending: number }>('sync.status', {});
  for (let i = 0; online && status.pending > 0 && i < 600; i++) {
    await new Promise((r) => setTimeout(r, 500));
    status = await api<{ pending: number }>('sync.status', {});
  }
  console.log(`${name}: ${status.pending} change sets waiting`);
  return { name, host, api, patientId: reg.patient.id, noteId: encounter.note.id };
}

export async function benchBacklog(): Promise<void> {
  const hosts = [await open(`${BACKLOG.toLocaleString('en-US')} patients waiting`, false), await open('in step, nothing waiting', true)];
  const kinds = {
    search: (h: Host) => h.api('patients.search', { query: 'smi' }),
    'chart open': async (h: Host) => { await h.api('patients.get', { patientId: h.patientId }); await h.api('chart.summary', { patientId: h.patientId }); },
    save: (h: Host, i: number) => h.api('notes.saveDraft', { patientId: h.patientId, noteId: h.noteId, soap: { subjective: `Headache for ${i} days.`, objective: '', assessment: '', plan: '' } }),
  } as const;
  const times = new Map<string, number[]>();
  try {
    for (let i = 0; i < CALLS + 10; i++) {
      for (const [kind, fn] of Object.entries(kinds)) {
        for (const h of hosts) {
          const t = performance.now();
          await fn(h, i);
          if (i >= 10) times.set(`${kind}|${h.name}`, [...(times.get(`${kind}|${h.name}`) ?? []), performance.now() - t]);
        }
      }
    }
  } finally {
    for (const h of hosts) await h.host.stop();
  }
  console.log(`\n### A workstation with a backlog, through the browser host (${CALLS} calls each, ms)\n`);
  console.log('| call | backlog p50 | backlog p95 | in step p50 | in step p95 | p95 ratio |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const kind of Object.keys(kinds)) {
    const [a, b] = hosts.map((h) => times.get(`${kind}|${h.name}`) ?? []) as [number[], number[]];
    console.log(`| ${kind} | ${percentile(a, 50).toFixed(1)} | ${percentile(a, 95).toFixed(1)} | ${percentile(b, 50).toFixed(1)} | ${percentile(b, 95).toFixed(1)} | ${(percentile(a, 95) / percentile(b, 95)).toFixed(2)} |`);
  }
}
