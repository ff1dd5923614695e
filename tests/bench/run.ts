// `npm run bench`: every benchmark, SQLCipher against plain SQLite side by side in one run.
// BENCH_ONLY=patients|clinic-day runs one; BENCH_PATIENTS=N changes the patient count.
import { benchClinicDay } from './clinic-day';
import { benchPatients } from './patients';

const only = process.env.BENCH_ONLY;
console.log(`Node ${process.version}, ${process.platform} ${process.arch}`);
if (!only || only === 'patients') await benchPatients();
if (!only || only === 'clinic-day') await benchClinicDay();
