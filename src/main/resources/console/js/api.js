// Calls the engine's API with the secrets signed in for this tab (sessionStorage: gone when the tab closes).
const ROOT = '/elements/api-v2';
const USER = 'pollingEvents.userSecret';
const ORGANIZATION = 'pollingEvents.organizationSecret';

export function signedIn() {
  return sessionStorage.getItem(USER) !== null && sessionStorage.getItem(ORGANIZATION) !== null;
}

export function signIn(userSecret, organizationSecret) {
  sessionStorage.setItem(USER, userSecret);
  sessionStorage.setItem(ORGANIZATION, organizationSecret);
}

export function signOut() {
  sessionStorage.removeItem(USER);
  sessionStorage.removeItem(ORGANIZATION);
}

/** An API answer that is not 2xx: status, message and the field errors of a refused instance body. */
export class ApiError extends Error {
  constructor(status, body) {
    super(body && body.message ? body.message : 'HTTP ' + status);
    this.status = status;
    this.errors = body && Array.isArray(body.errors) ? body.errors : [];
  }
}

/** Sends the request; resolves to { body, headers } or rejects with an ApiError (401 also signs out). */
export async function call(method, path, body) {
  const headers = {
    Authorization: 'User ' + sessionStorage.getItem(USER) + ', Organization ' + sessionStorage.getItem(ORGANIZATION),
    Accept: 'application/json',
  };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(ROOT + path, {
    method, headers, body: body === undefined ? undefined : (typeof body === 'string' ? body : JSON.stringify(body)),
    cache: 'no-store', credentials: 'omit',
  });
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch (e) { json = { message: text }; }
  if (!response.ok) {
    if (response.status === 401) {
      signOut();
      window.dispatchEvent(new CustomEvent('signed-out', { detail: json && json.message }));
    }
    throw new ApiError(response.status, json);
  }
  return { body: json, headers: response.headers };
}

export const get = (path) => call('GET', path);
export const post = (path, body) => call('POST', path, body);
export const patch = (path, body) => call('PATCH', path, body);
