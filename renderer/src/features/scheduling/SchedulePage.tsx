// Day and week views of the schedule, per provider or for the whole clinic. Appointments are
// buttons (keyboard reachable); double bookings are flagged; clicking free time books there.
import { Badge, Box, Button, Group, Modal, NativeSelect, Paper, SegmentedControl, Stack, Text, TextInput, Title, UnstyledButton, VisuallyHidden } from '@mantine/core';
import { useState } from 'react';
import type { EncounterId, PatientId, UserId } from '../../../../shared/domain/ids';
import type { Appointment, ClinicHours } from '../../../../shared/domain/scheduling';
import { ErrorAlert } from '../../components/ErrorAlert';
import { usePermissions } from '../../lib/session-context';
import { AppointmentActions } from './AppointmentActions';
import { BookDialog, type BookingDraft } from './BookDialog';
import { statusColor, statusLabel } from './status';
import { dayLabel, fromMinutes, longDay, shiftDays, timeOf, toMinutes, todayLocal, weekOf } from './time';
import { useSchedule, useScheduleSetup } from './use-schedule';
import { useWaitingVisits } from '../video/use-waiting';
import { placeSideBySide } from './overlap-layout';
import { useClock } from '../../lib/clock-context';

// Two pixels a minute: a 20-minute appointment has room for its two lines.
const PX_PER_MIN = 2;
/** The hour labels' column: wide enough for "10:30 AM" on one line. */
const hoursWidth = (format: '24h' | '12h') => (format === '12h' ? 72 : 56);

/** Each appointment's place across its column: its provider's lane (whole-clinic week), then its track among overlaps. */
function placements(appts: readonly Appointment[], lanes: readonly string[]): Map<string, { left: number; width: number }> {
  const out = new Map<string, { left: number; width: number }>();
  const groups = lanes.length ? lanes.map((l) => appts.filter((a) => a.providerId === l)) : [appts];
  groups.forEach((group, lane) => {
    const laneWidth = 100 / groups.length;
    const spans = group.map((a) => { const start = toMinutes(timeOf(a.start)); return { id: a.id, start, end: start + a.durationMinutes }; });
    for (const [id, p] of placeSideBySide(spans)) out.set(id, { left: lane * laneWidth + (laneWidth * p.track) / p.tracks, width: laneWidth / p.tracks });
  });
  return out;
}

function visibleHours(hours: ClinicHours, days: readonly string[], appts: readonly Appointment[]): [number, number] {
  let open = 8 * 60;
  let close = 17 * 60;
  for (const d of days) {
    const h = hours[new Date(`${d}T00:00:00Z`).getUTCDay()];
    if (h?.open) { open = Math.min(open, toMinutes(h.opens)); close = Math.max(close, toMinutes(h.closes)); }
  }
  for (const a of appts) {
    const s = toMinutes(timeOf(a.start));
    open = Math.min(open, s);
    close = Math.max(close, s + a.durationMinutes);
  }
  return [Math.floor(open / 60) * 60, Math.ceil(close / 60) * 60];
}

interface Column { key: string; title: string; date: string; providerId: UserId | undefined; appts: readonly Appointment[] }

export function SchedulePage({ onOpenChart, onOpenEncounter }: { onOpenChart: (id: PatientId) => void; onOpenEncounter: (patientId: PatientId, encounterId: EncounterId) => void }) {
  const { can } = usePermissions();
  const clock = useClock();
  const { providers, types, hours } = useScheduleSetup();
  const [date, setDate] = useState(todayLocal());
  const [mode, setMode] = useState<'day' | 'week'>('day');
  const waiting = useWaitingVisits();
  const [providerFilter, setProviderFilter] = useState<string>('all');
  const days = mode === 'day' ? [date] : weekOf(date);
  const weekProvider = (providerFilter === 'all' ? undefined : providerFilter) as UserId | undefined;
  const { appointments, error, reload } = useSchedule(days[0] as string, days.at(-1) as string, weekProvider);
  // In the whole clinic's week, each provider gets a lane inside each day's column.
  const lanes = mode === 'week' && !weekProvider ? providers.map((p) => p.userId as string) : [];
  const [draft, setDraft] = useState<BookingDraft | null>(null);
  const [selected, setSelected] = useState<Appointment | null>(null);

  const columns: Column[] =
    mode === 'day'
      ? (providerFilter === 'all' ? providers : providers.filter((p) => p.userId === providerFilter)).map((p) => ({
        key: p.userId, title: p.displayName, date, providerId: p.userId, appts: appointments.filter((a) => a.providerId === p.userId),
      }))
      : days.map((d) => ({ key: d, title: dayLabel(d), date: d, providerId: weekProvider, appts: appointments.filter((a) => a.start.startsWith(d)) }));

  const [from, to] = visibleHours(hours, days, appointments.filter((a) => a.status !== 'cancelled'));
  const height = (to - from) * PX_PER_MIN;
  const canBook = can('schedule.write');

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">Schedule</Title>
        {canBook && <Button onClick={() => setDraft({ date, time: '09:00', providerId: (providerFilter === 'all' ? undefined : providerFilter) as UserId | undefined })}>Book appointment</Button>}
      </Group>
      <Group align="flex-end">
        <Button variant="default" onClick={() => setDate(shiftDays(date, mode === 'day' ? -1 : -7))} aria-label={mode === 'day' ? 'Previous day' : 'Previous week'}>‹</Button>
        <TextInput type="date" label="Date" value={date} onChange={(e) => e.currentTarget.value && setDate(e.currentTarget.value)} />
        <Button variant="default" onClick={() => setDate(shiftDays(date, mode === 'day' ? 1 : 7))} aria-label={mode === 'day' ? 'Next day' : 'Next week'}>›</Button>
        <Button variant="subtle" onClick={() => setDate(todayLocal())}>Today</Button>
        <SegmentedControl aria-label="View" value={mode} onChange={(v) => setMode(v as 'day' | 'week')} data={[{ value: 'day', label: 'Day' }, { value: 'week', label: 'Week' }]} />
        <NativeSelect label="Provider" value={providerFilter} onChange={(e) => setProviderFilter(e.currentTarget.value)}
          data={[{ value: 'all', label: 'Whole clinic' }, ...providers.map((p) => ({ value: p.userId, label: p.displayName }))]} />
      </Group>
      <Text fw={600}>{mode === 'day' ? longDay(date) : `Week of ${longDay(days[0] as string)} · ${weekProvider ? providers.find((p) => p.userId === weekProvider)?.displayName ?? '' : 'whole clinic'}`}</Text>
      <ErrorAlert error={error} />
      {providers.length === 0 && <Text>No provider takes appointments yet. A practice admin sets this up under Schedule set-up.</Text>}
      <Paper withBorder style={{ overflowX: 'auto' }}>
        <Group gap={0} align="flex-start" wrap="nowrap">
          {/* The hours stay at the left edge when many providers' columns scroll sideways. */}
          <Box w={hoursWidth(clock.format)} miw={hoursWidth(clock.format)} pt={32} aria-hidden style={{ position: 'sticky', left: 0, zIndex: 2, background: 'var(--mantine-color-body)' }} data-testid="schedule-hours">
            <Box pos="relative" h={height}>
              {Array.from({ length: (to - from) / 30 + 1 }, (_, i) => from + i * 30).map((m) => (
                <Text key={m} size="xs" c="dimmed" pos="absolute" top={(m - from) * PX_PER_MIN - 8} right={6} style={{ whiteSpace: 'nowrap' }}>{clock.time(fromMinutes(m))}</Text>
              ))}
            </Box>
          </Box>
          {columns.map((col) => (
            <Box key={col.key} miw={mode === 'week' ? 0 : 180} style={{ flex: 1, minWidth: mode === 'week' ? 0 : undefined, borderLeft: '1px solid var(--mantine-color-gray-3)' }} role="region" aria-label={`${col.title} schedule`}>
              <Text fw={600} ta="center" h={32} pt={6} style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}>{col.title}</Text>
              <Box
                pos="relative"
                h={height}
                style={{ backgroundImage: `repeating-linear-gradient(to bottom, var(--mantine-color-gray-2) 0 1px, transparent 1px ${30 * PX_PER_MIN}px)`, cursor: canBook ? 'copy' : undefined }}
                onClick={(e) => {
                  if (!canBook || e.target !== e.currentTarget) return;
                  const y = e.clientY - e.currentTarget.getBoundingClientRect().top;
                  const minute = from + Math.round(y / PX_PER_MIN / 5) * 5;
                  setDraft({ date: col.date, time: fromMinutes(minute), providerId: col.providerId });
                }}
              >
                {(() => {
                  const places = placements(col.appts, lanes);
                  return col.appts.map((a) => {
                    const top = (toMinutes(timeOf(a.start)) - from) * PX_PER_MIN;
                    const place = places.get(a.id) ?? { left: 0, width: 100 };
                    const faded = a.status === 'cancelled' || a.status === 'no-show';
                    // Split across a week's day (about 150 px), a block is narrow: the family name first, short badges.
                    const narrow = mode === 'week' && place.width < 100;
                    const label = `${clock.time(timeOf(a.start))} ${a.patientName}, ${lanes.length ? `${a.providerName}, ` : ''}${a.typeName}${a.mode === 'video' ? ' (video)' : ''}, ${statusLabel[a.status]}${a.overlaps ? ', double-booked' : ''}${waiting.has(a.id) ? ', patient waiting' : ''}`;
                    return (
                      <UnstyledButton
                        key={a.id}
                        onClick={() => setSelected(a)}
                        pos="absolute"
                        left={`calc(${place.left}% + 2px)`}
                        w={`calc(${place.width}% - 4px)`}
                        top={top}
                        h={Math.max(a.durationMinutes * PX_PER_MIN - 2, 22)}
                        px={4}
                        py={3}
                        title={label}
                        style={{
                          overflow: 'hidden', borderRadius: 4, fontSize: 12, lineHeight: 1.25, opacity: faded ? 0.6 : 1,
                          background: `var(--mantine-color-${statusColor[a.status]}-0)`,
                          border: `1px solid var(--mantine-color-${a.overlaps ? 'red-7' : `${statusColor[a.status]}-4`})`,
                          textDecoration: a.status === 'cancelled' ? 'line-through' : undefined,
                        }}
                      >
                        <Text size="xs" fw={600} lh={1.25} truncate aria-hidden>{narrow ? a.patientName.split(',')[0] : `${clock.time(timeOf(a.start))} ${a.patientName}`}</Text>
                        <Group gap={4} wrap="nowrap" h={16} style={{ overflow: 'hidden' }} aria-hidden>
                          {a.overlaps && <Badge size="xs" color="red" style={{ flexShrink: 0 }} title="Double-booked" data-badge="double-booked">{narrow ? '2×' : 'Double-booked'}</Badge>}
                          {waiting.has(a.id) && <Badge size="xs" color="grape" style={{ flexShrink: 0 }} title="Patient waiting">{narrow ? 'Waiting' : 'Patient waiting'}</Badge>}
                          <Text size="xs" lh={1.25} truncate>{narrow ? clock.time(timeOf(a.start)) : `${lanes.length ? `${a.providerName} · ` : ''}${a.typeName}${a.mode === 'video' ? ' (video)' : ''}`}</Text>
                        </Group>
                        {/* What a screen reader says, the same however narrow the block is drawn. */}
                        <VisuallyHidden>{label}</VisuallyHidden>
                      </UnstyledButton>
                    );
                  });
                })()}
              </Box>
            </Box>
          ))}
        </Group>
      </Paper>

      <BookDialog draft={draft} providers={providers} types={types} onClose={() => setDraft(null)} onDone={() => { setDraft(null); void reload(); }} />
      <Modal opened={selected !== null} onClose={() => setSelected(null)} title={selected ? `${clock.time(timeOf(selected.start))} · ${selected.patientName}` : ''}>
        {selected && (
          <Stack>
            <Text size="sm">{longDay(selected.start.slice(0, 10))}, {clock.time(timeOf(selected.start))} for {selected.durationMinutes} minutes with {selected.providerName}</Text>
            <Text size="sm">{selected.typeName}{selected.reason ? ` · ${selected.reason}` : ''} · MRN {selected.patientMrn}</Text>
            <Group gap="xs">
              <Badge color={statusColor[selected.status]}>{statusLabel[selected.status]}</Badge>
              {selected.overlaps && <Badge color="red">Double-booked</Badge>}
              {waiting.has(selected.id) && <Badge color="grape">Patient waiting</Badge>}
            </Group>
            {selected.cancelReason && <Text size="sm">Cancelled: {selected.cancelReason}</Text>}
            <AppointmentActions
              appointment={selected}
              onChanged={() => { setSelected(null); void reload(); }}
              onMove={(a) => { setSelected(null); setDraft({ date: a.start.slice(0, 10), time: timeOf(a.start), moving: a }); }}
              onOpenChart={(id) => { setSelected(null); onOpenChart(id); }}
              onOpenEncounter={(patientId, encounterId) => { setSelected(null); onOpenEncounter(patientId, encounterId); }}
              patientWaiting={waiting.has(selected.id)}
            />
          </Stack>
        )}
      </Modal>
    </Stack>
  );
}
