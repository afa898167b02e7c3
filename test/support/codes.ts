/**
 * How a message carrying a security code says it, in every locale the service writes in:
 * "Your security code is 0427." (en), "Ihr Sicherheitscode lautet 0427." (de). One pattern for
 * all readers of codes (tests, the registry of secrets); group 1 is the code.
 */
export const SECURITY_CODE_SOURCE = String.raw`(?:security code is|Sicherheitscode lautet) (\d{4,10})`;

/** The first security code in an email or SMS text, in any locale. */
export const SECURITY_CODE = new RegExp(SECURITY_CODE_SOURCE);

/** The subject of a login-code email, in any locale ("Your security code", "Ihr Sicherheitscode"). */
export const CODE_SUBJECT = /security code|Sicherheitscode/i;
