// Shows an engine error to the user in words; the code stays available for support.
import { Alert } from '@mantine/core';
import type { AppError } from '../../../shared/errors';

export function ErrorAlert({ error }: { error: AppError | null }) {
  if (!error) return null;
  return (
    <Alert color="red" role="alert" title="That did not work" data-code={error.code}>
      {error.message}
    </Alert>
  );
}
