// The allergy alerts on a medication: each active allergy the reviewed table says speaks against
// it (shared/allergies/), in the shape the chart and the prescribing warning show.
import { checkAllergy } from '../../../shared/allergies/allergy-check';
import type { Allergy, AllergyAlert } from '../../../shared/domain/chart';

export function allergyAlerts(medication: { readonly name: string; readonly rxnorm: string }, allergies: readonly Allergy[]): AllergyAlert[] {
  return allergies.flatMap((a) => {
    const finding = checkAllergy(medication, a);
    return finding ? [{ allergyId: a.id, substance: a.substance, reaction: a.reaction, severity: a.severity, ...finding }] : [];
  });
}
