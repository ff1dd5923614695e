// The shape of one numbered migration.
import type { Tx } from '../connection';

export interface Migration {
  readonly version: number;
  readonly name: string;
  up(tx: Tx): Promise<void>;
}
