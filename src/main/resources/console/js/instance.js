// One instance: its configuration at a glance, each resource's state, OAuth2 state and the activity charts.
import { get } from './api.js';
import { h, fill, when } from './dom.js';
import { every } from './refresh.js';
import { resources, oauth } from './instances.js';
import { activityCharts } from './charts.js';

export async function renderInstance(main, id) {
  const { body: instance } = await get('/instances/' + id);
  const summary = h('div');
  const charts = h('section', { class: 'charts', 'aria-labelledby': 'charts-title' });
  fill(main,
    h('p', { class: 'crumbs' }, h('a', { href: '#/instances' }, 'Instances'), ' / ', instance.name),
    h('div', { class: 'title-row' }, h('h1', {}, instance.name),
      h('a', { class: 'button', href: '#/instances/' + id + '/events' }, 'Event log'),
      h('a', { class: 'button', href: '#/instances/' + id + '/edit' }, 'Edit')),
    summary, charts);
  const show = (data) => fill(summary, details(data));
  show(instance);
  const stopCharts = await activityCharts(charts, id);
  const stop = every(10000, async () => (await get('/instances/' + id)).body, show, instance);
  return () => { stop(); stopCharts(); };
}

function details(instance) {
  if (instance.error) return h('p', { class: 'error', role: 'alert' }, instance.error);
  const config = instance.configuration || {};
  const rows = [
    ['Element', instance.element.key],
    ['Tags', (instance.tags || []).map((t) => h('span', { class: 'tag' }, t))],
    ['Events enabled', instance.eventsEnabled ? 'yes' : 'no'],
    ['Refresh interval', (config['event.poller.refresh_interval'] ?? '–') + ' min'],
    ['Callback URL', config['event.notification.callback.url'] || '–'],
    ['Pending notifications', String(instance.pendingNotifications)],
    ['Dead letters', instance.deadNotifications > 0
      ? h('a', { href: '#/instances/' + instance.id + '/events?status=dead' }, String(instance.deadNotifications)) : '0'],
    ['OAuth2', instance.oauth ? oauth(instance.oauth) : 'not used'],
    ['Created', when(instance.createdDate)],
    ['Updated', when(instance.updatedDate)],
  ];
  return [
    h('dl', { class: 'summary' }, rows.map(([k, v]) => h('div', {}, h('dt', {}, k), h('dd', {}, v)))),
    instance.oauth && instance.oauth.fix ? h('p', { class: 'warn' }, instance.oauth.lastRefreshError + ': ' + instance.oauth.fix) : null,
    h('h2', {}, 'Resources'),
    resources(instance.resources || []),
  ];
}
