// Password policy shared by the setup form, the user forms, the engine and the admin CLI.
import { z } from 'zod';

/** A small list of passwords that meet the length rule but are still guessed first. */
const common = new Set([
  'password1234', 'password12345', 'password123456', '123456789012', '1234567890123',
  'qwertyuiop12', 'qwertyuiopas', 'iloveyou1234', 'letmein12345', 'welcome12345',
  'administrator', 'changeme1234', 'passw0rd1234', 'p@ssword1234', 'p@ssw0rd1234',
  'abcdefghijkl', 'abc123456789', '111111111111', '000000000000', 'aaaaaaaaaaaa',
  'chartroom123', 'chartroom1234', 'doctor123456', 'hospital1234', 'clinic123456',
  'medical12345', 'nurse1234567', 'summer2026!!', 'winter2026!!', 'football1234',
  'baseball1234', 'sunshine1234', 'trustno11234', 'monkey123456', 'dragon123456',
]);

export const Password = z
  .string()
  .min(12, 'must be at least 12 characters')
  .max(256, 'must be at most 256 characters')
  .refine((p) => !common.has(p.toLowerCase()), 'is too common; choose another')
  .refine((p) => new Set(p).size >= 4, 'uses too few different characters');

/** What a sign-in form accepts: any non-empty password (policy applies when one is set). */
export const PasswordAttempt = z.string().min(1, 'is required').max(256);
