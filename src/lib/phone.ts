import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

/** Answers already worked out, per country and input: a profile or a list by phone asks for the same ones. */
const answers = new Map<string, string | null>();
const MAX_ANSWERS = 10_000;

/**
 * Normalises a phone number in any common form to E.164, using the tenant's default country for
 * national forms. Returns null when the input is not a valid number.
 */
export function toE164(input: string | number | null | undefined, defaultCountry = 'EG'): string | null {
  if (input === null || input === undefined) return null;
  const key = `${defaultCountry}|${input}`;
  const known = answers.get(key);
  if (known !== undefined) return known;
  const answer = parseE164(String(input), defaultCountry);
  // Parsing costs tens of microseconds; a full table starts afresh rather than tracking recency.
  if (answers.size >= MAX_ANSWERS) answers.clear();
  answers.set(key, answer);
  return answer;
}

function parseE164(input: string, defaultCountry: string): string | null {
  let s = input.trim();
  if (!s) return null;
  s = s.replace(/[\s\-().]/g, '');
  if (s.startsWith('00')) s = `+${s.slice(2)}`;
  const country = defaultCountry.toUpperCase() as CountryCode;
  let parsed = parsePhoneNumberFromString(s, country);
  if (!parsed?.isValid() && /^\d+$/.test(s)) {
    // "201001234567": the country code written without "+".
    parsed = parsePhoneNumberFromString(`+${s}`);
  }
  if (!parsed?.isValid()) return null;
  return parsed.number;
}

/** The national form a courier expects ("01001234567" for Egypt). */
export function toNational(e164: string): string {
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed) return e164;
  return parsed.formatNational().replace(/\s/g, '');
}
