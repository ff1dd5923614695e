// Updates over HTTP: electron-updater's generic feed and a release's files, each workstation's
// update reports, and IT's Updates page (policies, groups, releases). The feed answers each
// workstation by its guard credential (the path's device), so the policy decides per workstation
// (cloud/updates/).
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { fail, ok } from '../../shared/errors';
import { platformOf } from '../../shared/updates/wire';
import { serve, type ServeDeps } from '../http/serve';
import type { EventStore, PolicyRecord, ReleaseStore } from '../store/store';
import { answerFeed } from '../updates/feed';
import type { FeedKey } from '../updates/feed-key';
import { changePolicy } from '../updates/policy-change';

type Deps = ServeDeps & { store: EventStore & { readonly releases: ReleaseStore }; feedKey: FeedKey };

export function registerUpdates(app: FastifyInstance, deps: Deps): void {
  const { store, feedKey } = deps;
  const { releases } = store;
  const view = (r: PolicyRecord) => ({ policy: r.policy, seq: r.seq, by: r.by, at: r.at });

  serve(app, deps, 'updateFeed', async ({ caller, params, query }) => {
    const r = await answerFeed({ releases, feedKey, now: () => new Date() }, caller.tenantId, caller.deviceId, platformOf(params.channelFile), query.running ?? null);
    return r.ok ? ok(r.value.yaml) : r;
  });

  serve(app, deps, 'updateFile', async ({ params }) => {
    const first = await releases.releaseChunk(params.version, params.file, 0);
    if (!first) return fail('not-found', 'No such file in that release.');
    async function* chunks() {
      yield first as Buffer;
      for (let idx = 1; ; idx++) {
        const c = await releases.releaseChunk(params.version, params.file, idx);
        if (!c) return;
        yield c;
      }
    }
    return ok(Readable.from(chunks()));
  });

  serve(app, deps, 'reportUpdate', async ({ caller, body, log }) => {
    await releases.recordUpdateEvent(caller.tenantId, { deviceId: caller.deviceId, kind: body.kind, version: body.version, channel: null, detail: body.detail, at: new Date().toISOString() });
    if (body.kind === 'refused' || body.kind === 'failure') log.warn({ event: `update.${body.kind}`, tenantId: caller.tenantId, deviceId: caller.deviceId, version: body.version }, 'a workstation refused or failed an update');
    return ok({ done: true as const });
  });

  serve(app, deps, 'updates', async ({ caller }) => {
    const clinic = await releases.policy(caller.tenantId, null);
    const groups = [];
    for (const group of await releases.groups(caller.tenantId)) {
      const record = await releases.policy(caller.tenantId, group);
      if (record) groups.push({ group, record: view(record) });
    }
    const list = [];
    for (const r of await releases.listReleases()) {
      list.push({ version: r.version, channel: r.channel, releaseDate: r.releaseDate, publishedAt: r.publishedAt, platforms: Object.keys(r.manifests), rollbackGranted: !!(await releases.rollbackGrant(r.channel, r.version)) });
    }
    return ok({ clinic: clinic ? view(clinic) : null, groups, releases: list });
  });

  serve(app, deps, 'changeUpdatePolicy', async ({ caller, body, log }) => {
    const r = await changePolicy({ releases, events: store }, caller.tenantId, body.group, body.change, `workstation ${caller.deviceId}`, body.expectSeq);
    if (r.ok) log.info({ event: 'update.policy', tenantId: caller.tenantId, by: caller.deviceId, change: body.change.kind, group: body.group !== null }, 'update policy changed');
    return r.ok ? ok(view(r.value)) : r;
  });

  serve(app, deps, 'setDeviceGroup', async ({ caller, body }) => {
    await releases.setDeviceGroup(caller.tenantId, body.deviceId, body.group, new Date().toISOString());
    await store.notify(caller.tenantId, 'updates');
    return ok({ done: true as const });
  });
}
