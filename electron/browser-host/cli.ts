// `npm run dev:browser`: the engine plus the built renderer on 127.0.0.1, for development and
// for browsers where the Electron binary is not available. Prints the URL to open.
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createDispatcher } from '../engine/api/dispatcher';
import { dataFiles, Engine } from '../engine/engine';
import { FileKeyProtector } from '../engine/keys/key-protector';
import { createLogger } from '../engine/logger';
import { packageVersion } from '../engine/workstation/app-version';
import { startEmbeddedCloud } from '../../cloud/embedded';
import { startBrowserHost } from './host';

const { values } = parseArgs({
  options: {
    'data-dir': { type: 'string', default: process.env.CHARTROOM_DATA_DIR ?? '.chartroom-data' },
    port: { type: 'string', default: process.env.CHARTROOM_PORT ?? '0' },
    'renderer-dir': { type: 'string', default: 'renderer/dist' },
    // The local tenant service (SQLite under the data dir) a newcomer syncs with, on by default.
    'no-cloud': { type: 'boolean', default: false },
  },
});

const dataDir = resolve(values['data-dir']);
const logger = createLogger(join(dataDir, dataFiles.logs, 'browser-host.log'));
const cloud = values['no-cloud'] ? null : await startEmbeddedCloud(join(dataDir, 'cloud'));
const engine = await Engine.create({
  dataDir,
  keyProtector: new FileKeyProtector(join(dataDir, dataFiles.deviceKey)),
  logger,
  // The version it runs is the package's; the browser host never installs updates (the desktop app does).
  appVersion: packageVersion(),
  installer: 'browser-host',
  enrollAfterSetup: cloud ? async (clinicName) => ({ cloudUrl: cloud.url, code: await cloud.newTenant(clinicName) }) : undefined,
});
const host = await startBrowserHost({
  engine,
  invoke: createDispatcher(engine),
  rendererDir: resolve(values['renderer-dir']),
  port: Number(values.port),
});
logger.info({ event: 'browser-host.started', origin: host.origin }, 'browser host started');
process.stdout.write(`Chartroom is running. Open this address in a browser on this computer:\n${host.url}\n`);

const stop = async () => {
  await host.close();
  await engine.close();
  await cloud?.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
