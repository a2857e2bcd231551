// The console's router: #/instances, #/create, #/instances/{id}, #/instances/{id}/events, #/instances/{id}/edit.
import { get, signedIn, signIn, signOut } from './api.js';
import { h, fill, field, announce } from './dom.js';
import { renderInstances } from './instances.js';
import { renderInstance } from './instance.js';
import { renderEvents } from './events.js';
import { renderCreate } from './create.js';
import { renderEdit } from './edit.js';

const main = document.getElementById('main');
let cleanup = null;
let engineTimer = null;

const routes = [
  [/^#\/instances\/(\d+)\/events$/, (m, q) => renderEvents(main, Number(m[1]), q)],
  [/^#\/instances\/(\d+)\/edit$/, (m) => renderEdit(main, Number(m[1]))],
  [/^#\/instances\/(\d+)$/, (m) => renderInstance(main, Number(m[1]))],
  [/^#\/create$/, () => renderCreate(main)],
  [/^#\/instances$/, (m, q) => renderInstances(main, q)],
];

async function route() {
  if (cleanup) { cleanup(); cleanup = null; }
  const [path, query] = (location.hash || '#/instances').split('?');
  if (!signedIn()) { showSignIn(); return; }
  showChrome(true);
  const found = routes.find(([pattern]) => pattern.test(path));
  if (!found) { location.hash = '#/instances'; return; }
  try {
    cleanup = await found[1](path.match(found[0]), new URLSearchParams(query || '')) || null;
  } catch (e) {
    if (!signedIn()) return;
    fill(main, h('h1', {}, 'Something went wrong'), h('p', { class: 'error', role: 'alert' }, e.message));
  }
  markCurrentLink(path);
  // the link that was followed is gone with the old page: start the keyboard and the screen reader at the new one
  if (!document.activeElement || document.activeElement === document.body) main.focus();
}

function markCurrentLink(path) {
  for (const a of document.querySelectorAll('#nav a')) {
    if (path.startsWith(a.getAttribute('href'))) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
}

function showChrome(on) {
  document.getElementById('nav').hidden = !on;
  document.getElementById('engine').hidden = !on;
  document.getElementById('sign-out').hidden = !on;
  clearInterval(engineTimer);
  if (on) {
    refreshEngine();
    engineTimer = setInterval(refreshEngine, 15000);
  }
}

async function refreshEngine() {
  try {
    const { body } = await get('/engine');
    const health = document.getElementById('engine-health');
    health.textContent = body.health;
    health.className = 'health health-' + String(body.health).toLowerCase();
    health.title = body.failingChecks.map((c) => c.id + ': ' + c.message).join('\n');
    document.getElementById('engine-version').textContent = body.version;
    document.getElementById('engine-node').textContent = body.nodeId + (body.cluster ? ' (cluster)' : '');
  } catch (e) {
    document.getElementById('engine-health').textContent = 'unreachable';
  }
}

function showSignIn(message) {
  showChrome(false);
  const user = h('input', { id: 'user-secret', type: 'password', autocomplete: 'off', required: true });
  const organization = h('input', { id: 'organization-secret', type: 'password', autocomplete: 'off', required: true });
  const error = h('p', { class: 'error', id: 'sign-in-error', role: 'alert', hidden: !message }, message || '');
  const form = h('form', { class: 'sign-in', novalidate: true, onsubmit: async (event) => {
    event.preventDefault();
    if (!user.value || !organization.value) {
      error.hidden = false;
      error.textContent = 'Enter both secrets.';
      return;
    }
    signIn(user.value, organization.value);
    user.value = '';
    organization.value = '';
    try {
      await get('/engine');
      if (!location.hash || location.hash === '#/sign-in') location.hash = '#/instances'; else route();
    } catch (e) {
      showSignIn(e.status === 401 ? 'Those secrets were refused: ' + e.message : e.message);
    }
  } },
  h('h1', {}, 'Sign in'),
  h('p', {}, 'Use the API secrets of this engine (polling.api.user-secret and polling.api.organization-secret). '
    + 'They are kept for this browser tab only.'),
  field('User secret', user), field('Organization secret', organization), error,
  h('button', { type: 'submit', class: 'primary' }, 'Sign in'));
  fill(main, form);
  user.focus();
}

document.getElementById('sign-out').addEventListener('click', () => {
  signOut();
  announce('Signed out');
  showSignIn();
});
window.addEventListener('signed-out', (event) => showSignIn(event.detail || 'Please sign in again.'));
window.addEventListener('hashchange', route);
route();
