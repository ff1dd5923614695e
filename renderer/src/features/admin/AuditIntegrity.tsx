// Checks every workstation's audit chain (this one's and each other's as it arrived here),
// against the heads the cloud keeps, and says chain by chain what it found.
import { Alert, Button, List, Stack } from '@mantine/core';
import { useState } from 'react';
import type { AuditVerification } from '../../../../shared/domain/audit';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useApi } from '../../lib/api';
import { useCall } from '../../lib/use-call';

export function AuditIntegrity() {
  const api = useApi();
  const { pending, error, run } = useCall();
  const [v, setV] = useState<AuditVerification | null>(null);
  return (
    <Stack gap="xs" align="flex-start">
      <Button variant="light" loading={pending} onClick={async () => setV(await run(api.call('audit.verify', {})))}>Check integrity</Button>
      <ErrorAlert error={error} />
      {v && (
        <Alert role="status" color={v.ok ? 'teal' : 'red'} title={v.ok ? 'Audit log intact' : 'Audit log altered'} w="100%">
          <List size="sm" aria-label="Audit chains">
            {v.chains.map((c) => (
              <List.Item key={c.workstationId}>
                {c.workstationName}: {c.rows} entries{c.ok ? ', intact.' : `: ${c.problems.join(' ')}`}
              </List.Item>
            ))}
          </List>
          {!v.headsChecked && 'The clinic cloud could not be asked for where each chain ended when it was sent; checked here only.'}
        </Alert>
      )}
    </Stack>
  );
}
