// Small DOM helpers: elements are built with createElement and text nodes only (never from HTML text), so no value from the
// API is ever parsed as markup.

/** An element with attributes ("on..." adds a listener) and children (nodes or text). */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'class') el.className = value;
    else if (key === 'value' || key === 'checked') el[key] = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
}

/** Replaces the children of el. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** A labelled form field: the label above the control, an error slot after it. */
export function field(label, control, hint) {
  const id = control.id;
  const error = h('p', { class: 'field-error', id: id + '-error', hidden: true });
  control.setAttribute('aria-describedby', (hint ? id + '-hint ' : '') + id + '-error');
  return h('div', { class: 'field' },
    h('label', { for: id }, label),
    hint ? h('p', { class: 'hint', id: id + '-hint' }, hint) : null,
    control, error);
}

/** Shows message in the error slot of the field whose control has this id (or clears it with null). */
export function fieldError(id, message) {
  const control = document.getElementById(id);
  const slot = document.getElementById(id + '-error');
  if (!control || !slot) return false;
  slot.hidden = !message;
  slot.textContent = message || '';
  if (message) control.setAttribute('aria-invalid', 'true'); else control.removeAttribute('aria-invalid');
  return true;
}

/** "3 min ago"-style age of an ISO date, with the date itself for the title. */
export function when(iso) {
  if (!iso) return h('span', { class: 'muted' }, 'never');
  const seconds = Math.round((Date.now() - Date.parse(iso)) / 1000);
  const text = seconds < 0 ? 'in ' + age(-seconds) : age(seconds) + ' ago';
  return h('time', { datetime: iso, title: iso }, text);
}

function age(seconds) {
  if (seconds < 60) return seconds + ' s';
  if (seconds < 3600) return Math.round(seconds / 60) + ' min';
  if (seconds < 86400) return Math.round(seconds / 3600) + ' h';
  return Math.round(seconds / 86400) + ' d';
}

/** Announces a message to screen readers and shows it briefly. */
export function announce(message) {
  const status = document.getElementById('status');
  status.textContent = message;
  clearTimeout(announce.timer);
  announce.timer = setTimeout(() => { status.textContent = ''; }, 6000);
}
