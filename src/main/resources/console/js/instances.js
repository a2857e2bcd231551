// The instance list: search by name or tag, pages of 50 with the API's elements-next-page-token.
import { get } from './api.js';
import { h, fill, field, when } from './dom.js';
import { every } from './refresh.js';

const PAGE_SIZE = 50;

export async function renderInstances(main, query) {
  const search = query.get('search') || '';
  const page = query.get('page') || '';
  const input = h('input', { id: 'instance-search', type: 'search', value: search });
  const form = h('form', { class: 'search', role: 'search', onsubmit: (event) => {
    event.preventDefault();
    location.hash = '#/instances' + (input.value.trim() ? '?search=' + encodeURIComponent(input.value.trim()) : '');
  } }, field('Search by name or tag', input), h('button', { type: 'submit' }, 'Search'));
  const table = h('div', { class: 'table-wrap' });
  const pager = h('nav', { class: 'pager', 'aria-label': 'Pages' });
  fill(main, h('div', { class: 'title-row' }, h('h1', {}, 'Instances'), h('a', { class: 'button primary', href: '#/create' }, 'Create instance')),
    form, table, pager);

  const load = async () => {
    const params = new URLSearchParams({ pageSize: PAGE_SIZE });
    if (search) params.set('search', search);
    if (page) params.set('nextPage', page);
    const { body, headers } = await get('/instances?' + params);
    return { instances: body, next: headers.get('elements-next-page-token') };
  };
  const show = ({ instances, next }) => {
    fill(table, instances.length ? list(instances)
      : h('p', { class: 'empty' }, search ? 'No instance has a name or tag containing “' + search + '”.' : 'No instances yet.'));
    const base = '#/instances?' + (search ? 'search=' + encodeURIComponent(search) + '&' : '');
    fill(pager, page ? h('a', { href: base.replace(/[?&]$/, '') }, 'First page') : null,
      next ? h('a', { href: base + 'page=' + encodeURIComponent(next), rel: 'next' }, 'Next page') : null);
  };
  const first = await load();
  show(first);
  return every(10000, load, show, first);
}

function list(instances) {
  return h('table', { class: 'instances' },
    h('caption', { class: 'visually-hidden' }, 'Instances with the state of each resource'),
    h('thead', {}, h('tr', {}, ['Name', 'Element', 'Tags', 'Enabled', 'Resources', 'Pending', 'Dead', 'OAuth']
      .map((title) => h('th', { scope: 'col' }, title)))),
    h('tbody', {}, instances.map(row)));
}

function row(instance) {
  if (instance.error) {
    return h('tr', { class: 'invalid' },
      h('th', { scope: 'row' }, h('a', { href: '#/instances/' + instance.id }, instance.name)),
      h('td', {}, instance.element.key), h('td', { colspan: 6, class: 'error' }, instance.error));
  }
  return h('tr', { 'data-instance': instance.id },
    h('th', { scope: 'row' }, h('a', { href: '#/instances/' + instance.id }, instance.name), h('span', { class: 'muted id' }, ' #' + instance.id)),
    h('td', {}, instance.element.key),
    h('td', {}, (instance.tags || []).map((t) => h('span', { class: 'tag' }, t))),
    h('td', {}, instance.eventsEnabled ? 'yes' : h('span', { class: 'warn' }, 'no')),
    h('td', {}, resources(instance.resources || [])),
    h('td', { class: 'number' }, String(instance.pendingNotifications)),
    h('td', { class: 'number' }, instance.deadNotifications > 0
      ? h('a', { class: 'dead', href: '#/instances/' + instance.id + '/events?status=dead' }, String(instance.deadNotifications))
      : '0'),
    h('td', {}, instance.oauth ? oauth(instance.oauth) : h('span', { class: 'muted' }, '–')));
}

export function resources(list) {
  return h('ul', { class: 'resources' }, list.map((r) => h('li', {},
    h('strong', {}, r.name), ' polled ', when(r.lastPollDate),
    r.lastPollResult ? h('span', { class: resultClass(r.lastPollResult) }, ': ' + r.lastPollResult) : null,
    h('br'), h('span', { class: 'muted' }, 'watermark ', h('time', { datetime: r.watermark }, r.watermark),
      ' · ' + r.pendingNotifications + ' pending · ' + r.deadNotifications + ' dead'))));
}

export function resultClass(result) {
  return /fail|error|refused|invalid|skipped/i.test(result) ? 'result warn' : 'result';
}

export function oauth(state) {
  return h('span', { class: state.state === 'ok' ? 'ok' : 'warn', title: state.lastRefreshError || '' }, state.state);
}
