// An instance's event log: filter by delivery status, read each notification as sent, replay dead letters.
import { get, post } from './api.js';
import { h, fill, field, when, announce } from './dom.js';
import { every } from './refresh.js';

const STATUSES = [['', 'All'], ['pending', 'Pending'], ['delivered', 'Delivered'], ['dead', 'Dead']];
const LIMIT = 200;
let refocusStatus = false; // a change of the filter re-renders the page: the filter keeps the keyboard focus

export async function renderEvents(main, id, query) {
  const status = query.get('status') || '';
  const { body: instance } = await get('/instances/' + id);
  const select = h('select', { id: 'event-status' }, STATUSES.map(([v, label]) => h('option', { value: v, selected: v === status }, label)));
  select.value = status;
  select.addEventListener('change', () => {
    refocusStatus = true;
    location.hash = '#/instances/' + id + '/events' + (select.value ? '?status=' + select.value : '');
  });
  const opened = new Map(); // event id -> notification body, for the notifications shown
  const table = h('div', { class: 'table-wrap' });
  const load = async () => (await get('/instances/' + id + '/events?limit=' + LIMIT + (status ? '&status=' + status : ''))).body;
  let current = [];
  const show = (events) => { current = events; fill(table, events.length ? list(events) : h('p', { class: 'empty' }, 'No events' + (status ? ' with status ' + status : '') + '.')); };
  const replayAll = h('button', { type: 'button', onclick: async () => {
    const { body } = await post('/instances/' + id + '/events/retry?status=dead');
    announce(body.requeued + ' dead ' + (body.requeued === 1 ? 'letter' : 'letters') + ' queued for delivery again');
    show(await load());
  } }, 'Replay all dead letters');

  const list = (events) => h('table', { class: 'events' },
    h('caption', { class: 'visually-hidden' }, 'Events, newest first'),
    h('thead', {}, h('tr', {}, ['Event', 'Object', 'Status', 'Attempts', 'Last status', 'Error', 'Notification', 'Replay']
      .map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, events.slice().reverse().map((e) => h('tr', { 'data-event': e.id, class: 'status-' + e.status },
      h('th', { scope: 'row' }, e.eventType, h('br'), when(e.eventDate)),
      h('td', {}, e.objectType + ' ', h('code', {}, e.objectId)),
      h('td', {}, h('span', { class: 'badge badge-' + e.status }, e.status),
        e.status === 'pending' && e.nextAttemptDate ? h('span', { class: 'muted' }, ' next ', when(e.nextAttemptDate)) : null,
        e.status === 'delivered' ? h('span', { class: 'muted' }, ' ', when(e.deliveredDate)) : null),
      h('td', { class: 'number' }, String(e.attempts)),
      h('td', { class: 'number' }, e.lastStatus === null ? '–' : String(e.lastStatus)),
      h('td', { class: 'error-text' }, e.lastError || ''),
      h('td', {}, notification(e)),
      h('td', {}, e.status === 'dead' ? h('button', { type: 'button', 'aria-label': 'Replay event ' + e.objectId, onclick: async () => {
        await post('/instances/' + id + '/events/' + encodeURIComponent(e.id) + '/retry');
        announce('Event ' + e.objectId + ' queued for delivery again');
        show(await load());
      } }, 'Replay') : null)))));

  const notification = (e) => {
    const body = h('pre', { class: 'json', tabindex: 0 });
    const details = h('details', {}, h('summary', {}, 'Show notification'), body);
    details.addEventListener('toggle', async () => {
      if (!details.open) { opened.delete(e.id); return; }
      if (!opened.get(e.id)) opened.set(e.id, (await get('/instances/' + id + '/events/' + encodeURIComponent(e.id) + '/notification')).body);
      body.textContent = JSON.stringify(opened.get(e.id), null, 2);
    });
    if (opened.has(e.id)) {
      details.open = true;
      body.textContent = JSON.stringify(opened.get(e.id), null, 2);
    }
    return details;
  };

  fill(main,
    h('p', { class: 'crumbs' }, h('a', { href: '#/instances' }, 'Instances'), ' / ',
      h('a', { href: '#/instances/' + id }, instance.name), ' / Event log'),
    h('div', { class: 'title-row' }, h('h1', {}, 'Event log of ' + instance.name), replayAll),
    h('div', { class: 'filters' }, field('Status', select)),
    h('p', { class: 'muted' }, 'The newest ' + LIMIT + ' events, newest first; delivered ones are kept for polling.delivery.retention.'),
    table);
  const first = await load();
  show(first);
  if (refocusStatus) {
    refocusStatus = false;
    select.focus();
  }
  return every(3000, load, show, first);
}
