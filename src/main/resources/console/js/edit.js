// Edit an instance: the fields people change most, sent as a PATCH (configuration merged key by key).
import { get, patch } from './api.js';
import { h, fill, field, announce } from './dom.js';
import { clearErrors, showErrors } from './errors.js';

const CONTROLS = {
  name: 'edit-name',
  tags: 'edit-tags',
  "configuration['event.poller.refresh_interval']": 'edit-interval',
  "configuration['event.notification.callback.url']": 'edit-callback',
  "configuration['event.notification.enabled']": 'edit-enabled',
};

export async function renderEdit(main, id) {
  const { body: instance } = await get('/instances/' + id);
  const config = instance.configuration || {};
  const name = h('input', { id: 'edit-name', type: 'text', value: instance.name });
  const tags = h('input', { id: 'edit-tags', type: 'text', value: (instance.tags || []).join(', ') });
  const interval = h('input', { id: 'edit-interval', type: 'text', inputmode: 'decimal', value: String(config['event.poller.refresh_interval'] ?? '') });
  const callback = h('input', { id: 'edit-callback', type: 'url', value: config['event.notification.callback.url'] || '' });
  const enabled = h('input', { id: 'edit-enabled', type: 'checkbox', checked: instance.eventsEnabled });
  const errors = h('div', { class: 'errors', id: 'edit-errors', role: 'alert', hidden: true });
  const form = h('form', { class: 'edit', onsubmit: async (event) => {
    event.preventDefault();
    clearErrors(Object.values(CONTROLS), errors);
    const body = { name: name.value.trim(), tags: tags.value.split(',').map((t) => t.trim()).filter((t) => t),
      configuration: { 'event.poller.refresh_interval': interval.value.trim(),
        'event.notification.callback.url': callback.value.trim(), 'event.notification.enabled': enabled.checked } };
    try {
      await patch('/instances/' + id, body);
      announce('Saved ' + body.name);
      location.hash = '#/instances/' + id;
    } catch (e) {
      const first = showErrors(e.errors || [], e.message, CONTROLS, errors, JSON.stringify(body, null, 2));
      (first ? document.getElementById(first) : errors).focus();
    }
  } },
  field('Name', name), field('Tags', tags, 'separated by commas'),
  field('Refresh interval (minutes)', interval, 'how often each resource is polled; the routes follow at once'),
  field('Callback URL', callback),
  h('div', { class: 'field checkbox' }, enabled, h('label', { for: 'edit-enabled' }, 'Events enabled'),
    h('p', { class: 'field-error', id: 'edit-enabled-error', hidden: true })),
  h('p', { class: 'hint' }, 'Secrets and resources stay as they are; change them with PATCH /elements/api-v2/instances/' + id + '.'),
  errors, h('button', { type: 'submit', class: 'primary' }, 'Save'));
  errors.setAttribute('tabindex', '-1');
  fill(main,
    h('p', { class: 'crumbs' }, h('a', { href: '#/instances' }, 'Instances'), ' / ',
      h('a', { href: '#/instances/' + id }, instance.name), ' / Edit'),
    h('h1', {}, 'Edit ' + instance.name), form);
  name.focus();
}
