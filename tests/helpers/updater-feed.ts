// electron-updater's own generic provider, run in Node: it reads the clinic's feed and fetches
// the files exactly as the Electron app's updater does (the channel file's name, the base
// URL's query carried onto every request, the headers, js-yaml, the files' URLs), with a plain
// Node HTTP executor in place of Electron's `net` (the one part that needs Electron).
import { request, type RequestOptions } from 'node:http';
import { createRequire } from 'node:module';

const updaterRequire = createRequire(createRequire(import.meta.url).resolve('electron-updater'));
const { GenericProvider } = updaterRequire('./providers/GenericProvider') as { GenericProvider: new (config: unknown, updater: unknown, runtime: unknown) => Provider };
const { HttpExecutor, CancellationToken } = updaterRequire('builder-util-runtime') as {
  HttpExecutor: new () => Executor;
  CancellationToken: new () => unknown;
};

interface Executor {
  createRequest(options: Record<string, unknown>, callback: (response: unknown) => void): unknown;
  downloadToBuffer(url: URL, options: { headers: Record<string, string>; cancellationToken: unknown }): Promise<Buffer>;
}

interface Provider {
  setRequestHeaders(headers: Record<string, string>): void;
  getLatestVersion(): Promise<Record<string, unknown> & { version: string }>;
  resolveFiles(info: unknown): { url: URL; info: { sha512: string; size?: number } }[];
}

class NodeExecutor extends HttpExecutor {
  override createRequest(options: Record<string, unknown>, callback: (response: unknown) => void): unknown {
    // A connection per request, as electron-updater's checks are hours apart (a reused socket collects its timeout listeners).
    return request({ ...(options as RequestOptions), agent: false }, callback);
  }
}

export interface UpdaterFeed {
  /** What electron-updater hands `isUserWithinRollout` and `update-downloaded`. */
  latest(): Promise<Record<string, unknown> & { version: string }>;
  /** The Linux build's bytes, fetched from the URL electron-updater resolves for it. */
  download(info: unknown): Promise<{ url: URL; bytes: Buffer }>;
}

export function updaterFeed(feed: { url: string; headers: Record<string, string> }): UpdaterFeed {
  const executor = new NodeExecutor();
  const provider = new GenericProvider({ provider: 'generic', url: feed.url }, { channel: null, isAddNoCacheQuery: false }, { executor, platform: 'linux', isUseMultipleRangeRequest: false });
  provider.setRequestHeaders(feed.headers);
  return {
    latest: () => provider.getLatestVersion(),
    async download(info) {
      const file = provider.resolveFiles(info).find((f) => f.url.pathname.endsWith('.AppImage'));
      if (!file) throw new Error('the feed lists no AppImage');
      return { url: file.url, bytes: await executor.downloadToBuffer(file.url, { headers: feed.headers, cancellationToken: new CancellationToken() }) };
    },
  };
}
