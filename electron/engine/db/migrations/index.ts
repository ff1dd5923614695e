// Every migration in order; the last one's version is the schema this build expects.
import { migration0001 } from './0001-initial';
import { migration0002 } from './0002-clinic-day';
import { migration0003 } from './0003-sync';
import { migration0004 } from './0004-clinic-wide';
import { migration0005 } from './0005-video-visits';
import { migration0006 } from './0006-outbox-count';
import { migration0007 } from './0007-document-blobs';
import { migration0008 } from './0008-chart-corrections';
import { migration0009 } from './0009-clinic-audit';
import { migration0010 } from './0010-backup-schedule';
import { migration0011 } from './0011-restore-kept-aside';
import { migration0012 } from './0012-cloud-drill';
import { migration0013 } from './0013-change-authors';
import type { Migration } from './migration';

export const migrations: readonly Migration[] = [migration0001, migration0002, migration0003, migration0004, migration0005, migration0006, migration0007, migration0008, migration0009, migration0010, migration0011, migration0012, migration0013];
