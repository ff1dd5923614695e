// What care is under way on this workstation, for the install gate (install-gate.ts): the
// notes open in an editor (the UI says when one opens and closes) and the video calls joined
// (video/visit-sessions.ts). Both end with the session: a signed-out workstation holds no care.
export type CareKind = 'note' | 'call';

export class CareLedger {
  private readonly open = { note: new Set<string>(), call: new Set<string>() };

  opened(kind: CareKind, id: string): void {
    this.open[kind].add(id);
  }

  closed(kind: CareKind, id: string): void {
    this.open[kind].delete(id);
  }

  /** The session ended: nothing is being edited or called from here any more. */
  clear(): void {
    this.open.note.clear();
    this.open.call.clear();
  }

  get notes(): number {
    return this.open.note.size;
  }

  get calls(): number {
    return this.open.call.size;
  }
}
