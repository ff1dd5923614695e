// The patient's link for a video appointment: create it, copy it or show it as a QR code to
// send to the patient, see until when it works, and revoke it. The link names no patient.
import { Alert, Button, Code, CopyButton, Group, Modal, Stack, Text } from '@mantine/core';
import { QRCodeSVG } from 'qrcode.react';
import { useCallback, useEffect, useState } from 'react';
import type { Appointment } from '../../../../shared/domain/scheduling';
import { isLoopbackAddress } from '../../../../shared/domain/settings';
import type { VisitLinkInfo } from '../../../../shared/domain/video';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useApi } from '../../lib/api';
import { usePermissions } from '../../lib/session-context';
import { useCall } from '../../lib/use-call';
import { useClock } from '../../lib/clock-context';

export function VisitLinkDialog({ appointment: a, onClose }: { appointment: Appointment; onClose: () => void }) {
  const api = useApi();
  const { can } = usePermissions();
  const clock = useClock();
  const { pending, error, run } = useCall();
  const [link, setLink] = useState<VisitLinkInfo | null>(null);
  const [loaded, setLoaded] = useState(false);
  const load = useCallback(async () => {
    const r = await run(api.call('visits.link', { appointmentId: a.id }));
    setLink(r ?? null);
    setLoaded(true);
  }, [api, run, a.id]);
  useEffect(() => { void load(); }, [load]);

  const active = link?.state === 'active' ? link : null;
  return (
    <Modal opened onClose={onClose} title={`Video visit link: ${a.patientName}, ${clock.time(a.start.slice(11, 16))}`} size="lg">
      <Stack>
        <ErrorAlert error={error} />
        {loaded && !active && (
          <Text>{link?.state === 'revoked' ? 'The previous link was revoked.' : link?.state === 'ended' ? 'This visit has ended.' : 'No link yet.'}</Text>
        )}
        {active && (
          <>
            <Text size="sm">
              Send this link to the patient (text message or email). It opens {clock.shortDateTime(active.validFrom)} and
              works until {clock.at(active.validUntil)}, or until the physician ends the visit. It names no patient.
            </Text>
            <Code block aria-label="Visit link">{active.url}</Code>
            {isLoopbackAddress(active.url) && (
              <Alert color="orange" role="alert" title="No patient outside this computer can open this link">
                It points to this computer's own address ({new URL(active.url).host}), where the built-in clinic cloud runs. Before sending
                links, a practice admin sets the clinic's public address under <strong>Settings → Video visit links</strong>: the https
                address where patients reach your clinic cloud (ask your IT). New links then use it.
              </Alert>
            )}
            <Group>
              <CopyButton value={active.url}>
                {({ copied, copy }) => <Button onClick={copy} variant="light">{copied ? 'Copied' : 'Copy link'}</Button>}
              </CopyButton>
              {can('schedule.write') && (
                <Button color="red" variant="light" loading={pending} onClick={async () => { if (await run(api.call('visits.revokeLink', { appointmentId: a.id }))) await load(); }}>
                  Revoke link
                </Button>
              )}
            </Group>
            <figure aria-label="Visit link as a QR code" style={{ margin: 0 }}>
              <QRCodeSVG value={active.url} size={192} title="Visit link as a QR code" />
              <Text component="figcaption" size="sm">The patient can scan this with a phone camera.</Text>
            </figure>
          </>
        )}
        {loaded && !active && can('schedule.write') && link?.state !== 'ended' && (
          <Group><Button loading={pending} onClick={async () => { const r = await run(api.call('visits.createLink', { appointmentId: a.id })); if (r) setLink(r); }}>Create visit link</Button></Group>
        )}
        {loaded && !active && !can('schedule.write') && <Alert color="gray">The front desk creates the link.</Alert>}
      </Stack>
    </Modal>
  );
}
