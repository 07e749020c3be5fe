import { complianceSchema } from '../config/compliance-schema';
import { GatewayError } from '../errors/gateway-error';
import { passesIbanCheck, passesLuhn } from './checksums';
import { Classifier, headerRaisesClass } from './classifier';
import type { Detector } from './detectors';

const classifier = new Classifier(
  complianceSchema.parse({ patterns: [{ name: 'project-x', regex: 'project\\s+x-\\d+' }], keywords: ['top secret', 'diagnosis'] }),
);
const reasonsOf = (text: string) => classifier.classify(() => text, false).reasons;

describe('detectors', () => {
  test.each([
    ['us_ssn', 'My SSN is 123-45-6789.'],
    ['us_ssn', 'ssn: 123456789'],
    ['medical_record_number', 'Patient MRN: 00123456'],
    ['medical_record_number', 'medical record number #A-1234567'],
    ['date_of_birth', 'DOB 03/14/1985'],
    ['date_of_birth', 'born on March 14, 1985'],
    ['date_of_birth', 'Date of birth: 1985-03-14'],
    ['phone_number', 'call me at (555) 867-5309'],
    ['phone_number', 'call +44 20 7946 0958 tomorrow'],
    ['email', 'write to jane.doe+test@example.co.uk'],
    ['card_number', 'card 4111 1111 1111 1111 exp 12/30'],
    ['card_number', 'pan 5500-0000-0000-0004'],
    ['iban', 'IBAN DE89 3704 0044 0532 0130 00 thanks'],
    ['iban', 'pay GB82WEST12345698765432'],
    ['pattern:project-x', 'status of Project X-42?'],
    ['keyword', 'this is Top  Secret material'],
    ['keyword', 'the diagnosis was clear'],
  ])('%s finds %j', (reason, text) => {
    expect(reasonsOf(text)).toContain(reason);
  });

  test.each([
    ['an SSN the SSA never issues', '000-12-3456 and 666-12-3456 and 900-12-3456'],
    ['a digit run failing Luhn', 'order 4111 1111 1111 1112'],
    ['an IBAN failing mod 97', 'DE89 3704 0044 0532 0130 02'],
    ['a date without birth context', 'the meeting is on 03/14/1985'],
    ['a version number', 'upgrade to 1.22.333 from 1.2.3'],
    ['a keyword inside another word', 'undiagnosis-like wordplay: topsecretive'],
    ['plain prose', 'Write a haiku about the sea.'],
  ])('nothing on %s', (_what, text) => {
    expect(reasonsOf(text)).toEqual([]);
  });

  test('reports reason codes, never the matched text', () => {
    const result = classifier.classify(() => 'SSN 123-45-6789, mail a@b.io', false);
    expect(result).toEqual({ dataClass: 'sensitive', reasons: ['us_ssn', 'email'] });
  });

  test('only the configured built-ins run', () => {
    const emailOnly = new Classifier(complianceSchema.parse({ detectors: ['email'] }));
    expect(emailOnly.classify(() => 'SSN 123-45-6789', false).dataClass).toBe('standard');
    expect(emailOnly.classify(() => 'x@y.org', false).reasons).toEqual(['email']);
  });
});

describe('checksums', () => {
  test.each([
    ['4111111111111111', true],
    ['4111111111111112', false],
    ['79927398713', true],
  ])('Luhn %s -> %s', (digits, valid) => expect(passesLuhn(digits)).toBe(valid));

  test.each([
    ['DE89370400440532013000', true],
    ['GB82WEST12345698765432', true],
    ['GB82WEST12345698765433', false],
  ])('IBAN %s -> %s', (iban, valid) => expect(passesIbanCheck(iban)).toBe(valid));
});

describe('the client header', () => {
  test('raises the class to sensitive, with reason "header"', () => {
    expect(classifier.classify(() => 'hello', headerRaisesClass('sensitive'))).toEqual({ dataClass: 'sensitive', reasons: ['header'] });
  });

  test('never lowers it: "standard" on sensitive content stays sensitive', () => {
    expect(classifier.classify(() => 'SSN 123-45-6789', headerRaisesClass('standard')).dataClass).toBe('sensitive');
  });

  test('fails when the header holds anything else, naming the header', () => {
    expect(() => headerRaisesClass('public')).toThrow(GatewayError);
    try {
      headerRaisesClass('public');
    } catch (error) {
      expect((error as GatewayError).toBody().error).toEqual({
        message: 'Header x-switchyard-data-class must be "sensitive" or "standard", got "public".',
        type: 'invalid_request_error',
        param: 'x-switchyard-data-class',
        code: 'invalid_request',
      });
    }
  });
});

describe('fail closed', () => {
  const throwing: Detector = {
    id: 'broken',
    patterns: [],
    applies: () => {
      throw new Error('detector bug');
    },
  };

  test('a detector that throws makes the request sensitive with reason classifier_error', () => {
    const broken = new Classifier(complianceSchema.parse({}), [throwing]);
    expect(broken.classify(() => 'harmless text', false)).toEqual({ dataClass: 'sensitive', reasons: ['classifier_error'] });
  });

  test('text extraction that throws fails closed too', () => {
    expect(
      classifier.classify(() => {
        throw new Error('unreadable');
      }, false),
    ).toEqual({ dataClass: 'sensitive', reasons: ['classifier_error'] });
  });
});

test('the digit precondition is answered per text: alternating texts, and long texts', () => {
  const plain = new Classifier(complianceSchema.parse({}));
  const ssn = 'my SSN is 123-45-6789';
  const none = 'no numbers in this one';
  expect(plain.classify(() => ssn, false).reasons).toEqual(['us_ssn']);
  expect(plain.classify(() => none, false).reasons).toEqual([]);
  expect(plain.classify(() => ssn, false).reasons).toEqual(['us_ssn']);
  // An equal text that is another string object gets the same answer.
  expect(plain.classify(() => ['my SSN is', '123-45-6789'].join(' '), false).reasons).toEqual(['us_ssn']);
  const long = `${'word '.repeat(20_000)}${ssn}`;
  expect(plain.classify(() => long, false).reasons).toEqual(['us_ssn']);
  expect(plain.classify(() => 'word '.repeat(20_000), false).reasons).toEqual([]);
});
