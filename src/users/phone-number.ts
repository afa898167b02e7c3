import {
  getCountries,
  getCountryCallingCode,
  parsePhoneNumberFromString,
} from 'libphonenumber-js/max';

export interface NormalizedPhone {
  /** "+49" */
  countryCode: string;
  /** The national significant number, digits only: "1701234567". */
  number: string;
  /** "+491701234567" */
  e164: string;
  /** ISO 3166 country, when the number identifies one ("DE"). */
  country: string | null;
}

export const COUNTRY_CODE_PATTERN = /^\+[1-9]\d{0,3}$/;
export const NATIONAL_NUMBER_PATTERN = /^[0-9 ()./-]{2,30}$/;

/**
 * The country calling codes of libphonenumber's metadata (geographic ones; the non-geographic
 * +800/+808/+870/+88x numbers cannot receive SMS codes and are refused like unknown codes).
 */
const CALLING_CODES = new Set(getCountries().map((country) => getCountryCallingCode(country)));

/**
 * A phone number given as a country calling code and a national number, checked against
 * libphonenumber's full metadata: it must be a real, dialable number of that country code. The
 * national trunk prefix and separators are accepted ("0170 123-4567" for +49). Null when invalid.
 */
export function normalizePhone(countryCode: string, number: string): NormalizedPhone | null {
  if (!COUNTRY_CODE_PATTERN.test(countryCode) || !NATIONAL_NUMBER_PATTERN.test(number)) return null;
  if (!CALLING_CODES.has(countryCode.slice(1))) return null;
  let parsed: ReturnType<typeof parsePhoneNumberFromString>;
  try {
    parsed = parsePhoneNumberFromString(number, { defaultCallingCode: countryCode.slice(1) });
  } catch {
    // The library throws on input its metadata does not cover: not a number of this code.
    return null;
  }
  if (!parsed || !parsed.isValid() || `+${parsed.countryCallingCode}` !== countryCode) return null;
  return {
    countryCode,
    number: parsed.nationalNumber,
    e164: parsed.number,
    country: parsed.country ?? null,
  };
}
