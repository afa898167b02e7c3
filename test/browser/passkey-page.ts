/**
 * The frontend a browser test opens: a page on its own origin that calls the service's API
 * (CORS), hands the WebAuthn options to navigator.credentials as a frontend would (the browser's
 * own JSON parsers when it has them, else by hand), and posts the credential's JSON back. Each
 * function answers what the service answered, as { status, body }.
 */
export const PASSKEY_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Passkeys</title></head>
<body>
<script>
const API = new URLSearchParams(location.search).get('api');

function fromBase64url(text) {
  const padded = text.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((text.length + 3) % 4);
  const binary = atob(padded);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes.buffer;
}

function toBase64url(buffer) {
  let binary = '';
  for (const byte of new Uint8Array(buffer)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
}

function descriptors(list) {
  return (list || []).map((c) => ({ ...c, id: fromBase64url(c.id) }));
}

async function call(method, path, body, token) {
  const headers = {};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = 'Bearer ' + token;
  const response = await fetch(API + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

function creationOptions(json) {
  if (PublicKeyCredential.parseCreationOptionsFromJSON)
    return PublicKeyCredential.parseCreationOptionsFromJSON(json);
  return {
    ...json,
    challenge: fromBase64url(json.challenge),
    user: { ...json.user, id: fromBase64url(json.user.id) },
    excludeCredentials: descriptors(json.excludeCredentials),
  };
}

function requestOptions(json) {
  if (PublicKeyCredential.parseRequestOptionsFromJSON)
    return PublicKeyCredential.parseRequestOptionsFromJSON(json);
  return {
    ...json,
    challenge: fromBase64url(json.challenge),
    allowCredentials: descriptors(json.allowCredentials),
  };
}

/** The credential as JSON: toJSON() where the browser has it (with every member it adds). */
function credentialJson(credential) {
  if (typeof credential.toJSON === 'function') return credential.toJSON();
  const r = credential.response;
  const response = r.attestationObject
    ? {
        clientDataJSON: toBase64url(r.clientDataJSON),
        attestationObject: toBase64url(r.attestationObject),
        transports: r.getTransports(),
      }
    : {
        clientDataJSON: toBase64url(r.clientDataJSON),
        authenticatorData: toBase64url(r.authenticatorData),
        signature: toBase64url(r.signature),
        ...(r.userHandle ? { userHandle: toBase64url(r.userHandle) } : {}),
      };
  return {
    id: credential.id,
    rawId: toBase64url(credential.rawId),
    type: credential.type,
    authenticatorAttachment: credential.authenticatorAttachment,
    clientExtensionResults: credential.getClientExtensionResults(),
    response,
  };
}

/** My profile → add a passkey: the password, the browser's ceremony, the result. */
async function addPasskey({ token, password }) {
  const options = await call('POST', '/me/passkeys/options', { password }, token);
  if (options.status !== 200) return { options };
  const credential = await navigator.credentials.create({ publicKey: creationOptions(options.body) });
  const json = credentialJson(credential);
  const added = await call('POST', '/me/passkeys', { response: json }, token);
  return { options, sentMembers: Object.keys(json).concat(Object.keys(json.response)), added };
}

async function logOutCompletely({ token }) {
  return call('POST', '/auth/logout', { complete: true }, token);
}

/** Sign in: email and password, then the passkey the service asks for. */
async function signIn({ email, password }) {
  const challenge = await call('POST', '/auth/login', { email, password });
  if (challenge.status !== 202 || !challenge.body.passkeyOptions) return { challenge };
  const credential = await navigator.credentials.get({
    publicKey: requestOptions(challenge.body.passkeyOptions),
  });
  const verified = await call('POST', '/auth/login/verify', {
    challengeId: challenge.body.challengeId,
    passkey: credentialJson(credential),
  });
  return { challenge, verified };
}
</script>
</body>
</html>
`;
