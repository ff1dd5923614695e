// Medical record numbers: a six-digit sequence plus a Luhn check digit, so a mistyped MRN
// is caught instead of finding the wrong patient.
export function luhnCheckDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

export function formatMrn(sequence: number): string {
  const body = String(sequence).padStart(6, '0');
  if (body.length !== 6) throw new Error('MRN sequence exhausted');
  return `${body}${luhnCheckDigit(body)}`;
}

export function isValidMrn(mrn: string): boolean {
  return /^\d{7}$/.test(mrn) && luhnCheckDigit(mrn.slice(0, 6)) === Number(mrn[6]);
}
