/** "+49 ••• ••• 67": country code and last two digits only. */
export function maskPhone(countryCode: string, e164: string): string {
  return `${countryCode} ••• ••• ${e164.slice(-2)}`;
}

/** "a•••@example.com": first letter and domain only. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return '•••';
  return `${email[0]}•••${email.slice(at)}`;
}
