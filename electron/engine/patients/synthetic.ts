// Synthetic patients for demos and benchmarks: seeded, so the same seed gives the same clinic.
import { Faker, en_US, en } from '@faker-js/faker';
import type { PatientFields } from '../../../shared/domain/patient';

const sexes = ['female', 'male', 'female', 'male', 'intersex', 'unknown'] as const;
const genders = ['', '', '', 'woman', 'man', 'non-binary', 'declined'] as const;
const payers = ['Harbor Health Plan', 'Blue Meadow Insurance', 'Medicare', 'Medicaid', 'Summit Mutual', 'Self-pay'];

export function syntheticPatients(count: number, seed = 20261129): PatientFields[] {
  const faker = new Faker({ locale: [en_US, en] });
  faker.seed(seed);
  const out: PatientFields[] = [];
  for (let i = 0; i < count; i++) {
    const sexAtBirth = faker.helpers.arrayElement(sexes);
    const nameSex = sexAtBirth === 'female' ? 'female' : sexAtBirth === 'male' ? 'male' : undefined;
    const given = faker.person.firstName(nameSex);
    const family = faker.person.lastName();
    const dob = faker.date.birthdate({ mode: 'age', min: 0, max: 98 }).toISOString().slice(0, 10);
    const payer = faker.helpers.arrayElement(payers);
    out.push({
      familyName: family,
      givenNames: faker.datatype.boolean(0.3) ? `${given} ${faker.person.middleName(nameSex)}` : given,
      preferredName: faker.datatype.boolean(0.1) ? faker.person.firstName(nameSex) : '',
      dateOfBirth: dob,
      sexAtBirth,
      genderIdentity: faker.helpers.arrayElement(genders),
      phone: faker.string.numeric({ length: 3, allowLeadingZeros: false }).replace(/^[01]/, '5') + '-' + faker.string.numeric(3) + '-' + faker.string.numeric(4),
      email: faker.datatype.boolean(0.7) ? faker.internet.email({ firstName: given, lastName: family }).toLowerCase() : '',
      addressLine1: faker.location.streetAddress(),
      addressLine2: faker.datatype.boolean(0.2) ? faker.location.secondaryAddress() : '',
      city: faker.location.city(),
      region: faker.location.state({ abbreviated: true }),
      postalCode: faker.location.zipCode('#####'),
      country: 'United States',
      emergencyName: faker.person.fullName(),
      emergencyRelationship: faker.helpers.arrayElement(['Spouse', 'Parent', 'Child', 'Sibling', 'Friend']),
      emergencyPhone: `555-${faker.string.numeric(3)}-${faker.string.numeric(4)}`,
      insurancePayer: payer,
      insuranceMemberId: payer === 'Self-pay' ? '' : faker.string.alphanumeric({ length: 10, casing: 'upper' }),
      insuranceGroup: payer === 'Self-pay' ? '' : faker.string.numeric(6),
    });
  }
  return out;
}
