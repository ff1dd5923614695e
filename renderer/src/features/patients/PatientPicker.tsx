// Choosing a patient inside a form (booking): type a name, date of birth, phone or MRN.
import { Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import type { PatientId } from '../../../../shared/domain/ids';
import type { PatientSummary } from '../../../../shared/domain/patient';
import { useApi } from '../../lib/api';
import { formatDate } from './format';

const label = (p: PatientSummary) => `${p.familyName}, ${p.givenNames} · ${formatDate(p.dateOfBirth)} · MRN ${p.mrn}`;

export function PatientPicker({ value, onChange, initial, error, autoFocus = false }: {
  value: PatientId | null;
  onChange: (id: PatientId | null) => void;
  initial?: PatientSummary;
  error?: string;
  /** Takes the focus when its dialog opens, so typing a name goes straight in. */
  autoFocus?: boolean;
}) {
  const api = useApi();
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search.trim(), 150);
  const [options, setOptions] = useState<readonly PatientSummary[]>(initial ? [initial] : []);

  useEffect(() => {
    if (debounced.length < 2 || (value && options.some((o) => label(o) === debounced))) return;
    let live = true;
    void api.call('patients.search', { query: debounced, limit: 20 }).then((r) => {
      if (live && r.ok) setOptions(r.value.results);
    });
    return () => { live = false; };
  }, [api, debounced]); // eslint-disable-line react-hooks/exhaustive-deps

  return (
    <Select
      label="Patient"
      required
      searchable
      placeholder="Name, date of birth, phone or MRN"
      // Nothing to show before two characters are typed: no empty list opens when the field takes the focus.
      nothingFoundMessage={debounced.length >= 2 ? 'No patient found' : undefined}
      data={options.map((p) => ({ value: p.id, label: label(p) }))}
      filter={({ options: o }) => o}
      value={value}
      onChange={(v) => onChange(v as PatientId | null)}
      searchValue={search}
      onSearchChange={setSearch}
      error={error}
      data-autofocus={autoFocus || undefined}
    />
  );
}
