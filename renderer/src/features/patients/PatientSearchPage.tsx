// Finding a patient: type any part of a name, a date of birth, a phone number or an MRN.
// Results are a virtualised list (smooth at any clinic size) driven by the arrow keys and Enter.
import { Alert, Button, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState } from 'react';
import type { PatientId } from '../../../../shared/domain/ids';
import type { PatientSummary } from '../../../../shared/domain/patient';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useApi } from '../../lib/api';
import { useCall } from '../../lib/use-call';
import { formatDate } from './format';

const ROW_HEIGHT = 56;
const LIMIT = 200;

/** `query` is kept by the caller, so coming back from a chart finds the same search. */
export function PatientSearchPage({ canRegister, onOpen, onRegister, query, onQueryChange: setQuery }: {
  canRegister: boolean;
  onOpen: (id: PatientId) => void;
  onRegister: () => void;
  query: string;
  onQueryChange: (query: string) => void;
}) {
  const api = useApi();
  const { error, run } = useCall();
  const [debounced] = useDebouncedValue(query.trim(), 150);
  const [results, setResults] = useState<readonly PatientSummary[]>([]);
  const [fuzzy, setFuzzy] = useState(false);
  const [active, setActive] = useState(0);
  const [searched, setSearched] = useState<string | null>(null);
  const listRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    let current = true;
    if (!debounced) {
      setResults([]);
      setSearched(null);
      return;
    }
    void run(api.call('patients.search', { query: debounced, limit: LIMIT })).then((r) => {
      if (!current || !r) return;
      setResults(r.results);
      setFuzzy(r.fuzzy);
      setActive(0);
      setSearched(debounced);
    });
    return () => {
      current = false;
    };
  }, [api, run, debounced]);

  const virtualizer = useVirtualizer({
    count: results.length,
    getScrollElement: () => listRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
  });

  const move = (to: number) => {
    const i = Math.max(0, Math.min(results.length - 1, to));
    setActive(i);
    virtualizer.scrollToIndex(i);
  };

  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.key === 'ArrowDown') { e.preventDefault(); move(active + 1); }
    else if (e.key === 'ArrowUp') { e.preventDefault(); move(active - 1); }
    else if (e.key === 'PageDown') { e.preventDefault(); move(active + 10); }
    else if (e.key === 'PageUp') { e.preventDefault(); move(active - 10); }
    else if (e.key === 'Enter' && results[active]) { e.preventDefault(); onOpen(results[active].id); }
  };

  const activeId = results[active] ? `patient-option-${results[active].id}` : undefined;

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">Patients</Title>
        {canRegister && <Button onClick={onRegister}>Register patient</Button>}
      </Group>
      <TextInput
        label="Find a patient"
        description="Name, date of birth (1984-06-02 or 06/02/1984), phone or MRN. Arrow keys choose, Enter opens."
        placeholder="e.g. okafor chi"
        value={query}
        onChange={(e) => setQuery(e.currentTarget.value)}
        onKeyDown={onKeyDown}
        autoFocus
        role="combobox"
        aria-expanded={results.length > 0}
        aria-controls="patient-results"
        aria-activedescendant={activeId}
        aria-autocomplete="list"
      />
      <ErrorAlert error={error} />
      {fuzzy && <Alert color="yellow" title="Close matches">No exact match for every word; showing names with small spelling differences too.</Alert>}
      {searched && results.length === 0 && <Text role="status">No patient matches “{searched}”.</Text>}
      {results.length > 0 && (
        <Text size="sm" role="status">
          {results.length >= LIMIT
            ? `Showing the best ${LIMIT} matches; type more of the name, or a date of birth, to narrow the list.`
            : `${results.length} patient${results.length === 1 ? '' : 's'} found`}
        </Text>
      )}
      {/* No results, no box: an empty frame reads as "still loading". */}
      <Paper withBorder ref={listRef} style={{ height: results.length > 0 ? `min(60vh, 640px, ${results.length * ROW_HEIGHT + 2}px)` : 0, overflow: 'auto', display: results.length > 0 ? undefined : 'none' }}
        id="patient-results" role="listbox" aria-label="Search results">
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const p = results[item.index] as PatientSummary;
            const selected = item.index === active;
            return (
              // ARIA combobox pattern: the keyboard drives the list from the search field
              // (arrows, Enter, aria-activedescendant); the click is the pointer's equivalent.
              // eslint-disable-next-line jsx-a11y/click-events-have-key-events
              <div
                key={p.id}
                id={`patient-option-${p.id}`}
                role="option"
                aria-selected={selected}
                tabIndex={-1}
                onClick={() => onOpen(p.id)}
                onMouseEnter={() => setActive(item.index)}
                style={{
                  position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${item.start}px)`,
                  padding: '8px 12px', cursor: 'pointer', borderBottom: '1px solid var(--mantine-color-gray-2)',
                  background: selected ? 'var(--mantine-color-teal-0)' : undefined,
                }}
              >
                <Text fw={600}>
                  {p.familyName}, {p.givenNames}{p.preferredName ? ` (“${p.preferredName}”)` : ''}
                </Text>
                <Text size="sm" c="dimmed">
                  Born {formatDate(p.dateOfBirth)} · MRN {p.mrn}{p.phone ? ` · ${p.phone}` : ''}
                </Text>
              </div>
            );
          })}
        </div>
      </Paper>
    </Stack>
  );
}
