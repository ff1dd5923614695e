// Medical record numbers: the workstation's two-digit number, a six-digit sequence of that
// workstation, and a Luhn check digit. Workstations of one clinic never hand out the same MRN,
// even offline; the check digit catches a mistyped one instead of finding the wrong patient.
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

export function formatMrn(workstationNumber: number, sequence: number): string {
  if (!Number.isInteger(workstationNumber) || workstationNumber < 1 || workstationNumber > 99) throw new Error('workstation number must be 1–99');
  const seq = String(sequence).padStart(6, '0');
  if (seq.length !== 6) throw new Error('MRN sequence exhausted');
  const body = `${String(workstationNumber).padStart(2, '0')}${seq}`;
  return `${body}${luhnCheckDigit(body)}`;
}

export function isValidMrn(mrn: string): boolean {
  return /^\d{9}$/.test(mrn) && luhnCheckDigit(mrn.slice(0, 8)) === Number(mrn[8]);
}
