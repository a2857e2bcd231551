// Shows the answer of a preview: the vendor requests one poll made and the events it would emit; nothing was stored.
import { h } from './dom.js';

export function previewResult(result) {
  const events = (result.notifications || []).flatMap((n) => (n.message && n.message.events) || []);
  const facts = [
    ['Outcome', result.outcome],
    ['Watermark', result.watermark || '–'],
    ['Asked from', result.askedFrom || '–'],
    ['Records read', String(result.recordsRead ?? 0)],
    ['Invalid records', String(result.invalidRecords ?? 0)],
    ['Truncated', result.truncated ? 'yes' : 'no'],
  ];
  return h('div', { class: 'preview-result' },
    h('h3', {}, 'Preview of ' + result.resource),
    h('p', { class: 'muted' }, result.note || ''),
    h('dl', { class: 'summary' }, facts.map(([k, v]) => h('div', {}, h('dt', {}, k),
      h('dd', { class: k === 'Outcome' && v !== 'ok' ? 'warn' : null }, v)))),
    h('h4', {}, 'Vendor requests'),
    h('div', { class: 'table-wrap' }, h('table', { class: 'requests' },
      h('thead', {}, h('tr', {}, ['Method', 'URL', 'Status'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, (result.requests || []).map((r) => h('tr', {},
        h('td', {}, r.method), h('td', { class: 'url' }, h('code', {}, r.url),
          r.body ? h('details', {}, h('summary', {}, 'Request body'), h('pre', { class: 'json', tabindex: 0 }, pretty(r.body))) : null),
        h('td', { class: 'number' }, String(r.status ?? '–'))))))),
    h('h4', {}, events.length === 1 ? '1 event would be emitted' : events.length + ' events would be emitted'),
    events.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'preview-events' },
      h('thead', {}, h('tr', {}, ['Event', 'Object', 'Date'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, events.map((e) => h('tr', {}, h('td', {}, e.eventType), h('td', {}, e.objectType + ' ', h('code', {}, e.objectId)),
        h('td', {}, h('time', { datetime: e.eventDate }, e.eventDate))))))) : null,
    h('details', {}, h('summary', {}, 'Records read (the first 50)'), h('pre', { class: 'json', tabindex: 0 }, pretty(result.records || []))),
    h('details', {}, h('summary', {}, 'Notification bodies'), h('pre', { class: 'json', tabindex: 0 }, pretty(result.notifications || []))));
}

function pretty(value) {
  return typeof value === 'string' ? value : JSON.stringify(value, null, 2);
}
