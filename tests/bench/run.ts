// `npm run bench`: every benchmark, SQLCipher against plain SQLite side by side in one run.
// BENCH_ONLY=patients|clinic-day|sync|video|backlog|load|backup|lockdown|undo|restore|updates runs one; BENCH_PATIENTS=N changes the patient count,
// BENCH_JOIN_PATIENTS=N the size of the clinic a new workstation joins; BENCH_ONLY=backlog
// measures a workstation with 20,000 patients waiting to be sent, through the browser host;
// BENCH_ONLY=load puts 50 workstations in worker processes against one service process;
// BENCH_ONLY=backup writes and restores an offline backup of the 20,000-patient clinic;
// BENCH_ONLY=lockdown times IT's lockdown reaching five online workstations; BENCH_ONLY=undo
// undoes one workstation's 1,000 change sets on another; BENCH_ONLY=restore restores the
// 20,000-patient clinic from its cloud with the recovery code, newest and one month back;
// BENCH_ONLY=updates times a rollout reaching 50 online workstations and the feed's answers per second.
import { benchBackup } from './backup';
import { benchBacklog } from './backlog';
import { benchClinicDay } from './clinic-day';
import { benchLoad } from './load';
import { benchLockdown } from './lockdown';
import { benchUndo } from './undo';
import { benchPatients } from './patients';
import { benchRestore } from './restore';
import { benchSync } from './sync';
import { benchUpdates } from './updates';
import { benchVideo } from './video';

const only = process.env.BENCH_ONLY;
console.log(`Node ${process.version}, ${process.platform} ${process.arch}`);
if (!only || only === 'patients') await benchPatients();
if (!only || only === 'clinic-day') await benchClinicDay();
if (!only || only === 'sync') await benchSync();
if (!only || only === 'video') await benchVideo();
if (!only || only === 'backlog') await benchBacklog();
if (!only || only === 'load') await benchLoad();
if (!only || only === 'backup') await benchBackup();
if (!only || only === 'lockdown') await benchLockdown();
if (!only || only === 'undo') await benchUndo();
if (!only || only === 'restore') await benchRestore();
if (!only || only === 'updates') await benchUpdates();
