// One instance: its configuration at a glance, each resource's state, OAuth2 state and the activity charts.
import { get, post } from './api.js';
import { h, fill, field, when } from './dom.js';
import { every } from './refresh.js';
import { resources, oauth } from './instances.js';
import { activityCharts } from './charts.js';
import { previewResult } from './preview.js';

export async function renderInstance(main, id) {
  const { body: instance } = await get('/instances/' + id);
  const summary = h('div');
  const charts = h('section', { class: 'charts', 'aria-labelledby': 'charts-title' });
  const preview = previewSection(id, instance);
  fill(main,
    h('p', { class: 'crumbs' }, h('a', { href: '#/instances' }, 'Instances'), ' / ', instance.name),
    h('div', { class: 'title-row' }, h('h1', {}, instance.name),
      h('a', { class: 'button', href: '#/instances/' + id + '/events' }, 'Event log'),
      h('a', { class: 'button', href: '#/instances/' + id + '/edit' }, 'Edit')),
    summary, charts, preview);
  const show = (data) => fill(summary, details(data));
  show(instance);
  const stopCharts = await activityCharts(charts, id);
  const stop = every(10000, async () => (await get('/instances/' + id)).body, show, instance);
  return () => { stop(); stopCharts(); };
}

/** Runs one poll of a resource against the vendor (POST .../resources/{r}/preview) and shows what it would do. */
function previewSection(id, instance) {
  const resource = h('select', { id: 'preview-resource' }, (instance.resources || []).map((r) => h('option', { value: r.name }, r.name)));
  const since = h('input', { id: 'preview-since', type: 'text', placeholder: '2026-11-27T10:00:00Z', autocomplete: 'off' });
  const result = h('div', { 'aria-live': 'polite' });
  const run = h('button', { type: 'submit' }, 'Preview');
  const form = h('form', { class: 'preview', onsubmit: async (event) => {
    event.preventDefault();
    run.disabled = true;
    fill(result, h('p', { class: 'muted' }, 'Polling ' + resource.value + ' once…'));
    try {
      const query = since.value.trim() ? '?since=' + encodeURIComponent(since.value.trim()) : '';
      const { body } = await post('/instances/' + id + '/resources/' + encodeURIComponent(resource.value) + '/preview' + query);
      fill(result, previewResult(body));
    } catch (e) {
      fill(result, h('p', { class: 'error', role: 'alert' }, e.message));
    } finally {
      run.disabled = false;
    }
  } }, h('div', { class: 'filters' }, field('Resource', resource),
    field('Since (optional)', since, 'an ISO-8601 instant; the watermark when empty'), h('div', { class: 'field' }, h('span', {}, '\u00a0'), run)));
  return h('section', { 'aria-labelledby': 'preview-title' },
    h('h2', { id: 'preview-title' }, 'Preview a poll'),
    h('p', { class: 'muted' }, 'One poll of the resource against the vendor, with its requests, paging and change detection. '
      + 'Nothing is stored or delivered and no watermark moves.'),
    form, result);
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
