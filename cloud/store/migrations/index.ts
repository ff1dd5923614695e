// Every cloud schema migration, in order.
import { m0001 } from './0001-history';
import { m0002 } from './0002-snapshots';
import { m0003 } from './0003-device-last-seen';
import { m0004 } from './0004-video-visits';
import { m0005 } from './0005-token-requests';
import { m0006 } from './0006-blobs';
import { m0007 } from './0007-sign-in-guard';
import { m0008 } from './0008-audit-heads';
import { m0009 } from './0009-history-immutable';
import { m0010 } from './0010-lockdowns';
import { m0011 } from './0011-device-outbox';
import { m0012 } from './0012-releases';
import type { CloudMigration } from './migration';

export const cloudMigrations: readonly CloudMigration[] = [m0001, m0002, m0003, m0004, m0005, m0006, m0007, m0008, m0009, m0010, m0011, m0012];
