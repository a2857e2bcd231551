// Shows the API's field errors ({field, message}) next to the form control that holds the field, and lists every one
// under the JSON editor with the line of the JSON it points at.
import { h, fill, fieldError } from './dom.js';

/** Clears the error slots of the given control ids and the list. */
export function clearErrors(ids, list) {
  for (const id of ids) fieldError(id, null);
  fill(list);
  list.hidden = true;
}

/**
 * Puts each error next to its control (controls: field path -> control id) and into list, with the line of text where
 * the field's last key appears. Returns the id of the first control that got an error, or null.
 */
export function showErrors(errors, message, controls, list, text) {
  let first = null;
  for (const error of errors) {
    const id = controls[error.field];
    if (id && fieldError(id, error.message)) first = first || id;
  }
  const items = errors.map((e) => {
    const line = lineOf(text, e.field);
    return h('li', {}, h('code', { class: 'field-name' }, e.field), line ? h('span', { class: 'muted' }, ' (line ' + line + ')') : null,
      ': ' + e.message);
  });
  fill(list, h('p', {}, errors.length ? 'The engine refused the instance:' : message), errors.length ? h('ul', {}, items) : null);
  list.hidden = false;
  return first;
}

/** The 1-based line of text on which the last key of a field path such as configuration['a.b'].res.url appears. */
export function lineOf(text, path) {
  if (!text || !path) return null;
  const keys = path.match(/\['[^']*'\]|[^.[\]]+/g) || [];
  let from = 0;
  let at = -1;
  for (const raw of keys) {
    const key = raw.startsWith("['") ? raw.slice(2, -2) : raw;
    const found = text.indexOf('"' + key + '"', from);
    if (found < 0) break;
    at = found;
    from = found + key.length + 2;
  }
  return at < 0 ? null : text.slice(0, at).split('\n').length;
}
