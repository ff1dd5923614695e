// An update policy in words, for IT's Updates page: what is offered to whom, now.
import type { UpdatePolicy } from '../../../../shared/updates/policy';

export function describePolicy(p: UpdatePolicy): string {
  if (p.rollback) return `Rolled back: every workstation is offered ${p.rollback}.`;
  if (p.pin) return `Pinned: every workstation stays on ${p.pin}.`;
  if (!p.stage) return p.base ? `Every workstation is offered ${p.base}.` : 'No release is offered yet.';
  const rest = p.base ? `the others stay on ${p.base}` : 'the others are offered nothing new';
  if (p.halted) return `Halted: ${p.stage.version} reaches no more workstations; ${rest}.`;
  if (p.stage.percent === 100) return `${p.stage.version} is offered to every workstation.`;
  return `${p.stage.version} is being rolled out to ${p.stage.percent} % of workstations; ${rest}.`;
}

export const windowWords = (p: UpdatePolicy): string => (p.window ? `${p.window.from}–${p.window.to}` : 'none (only at sign-out)');
