// Create an instance: a form for the shipped elements that builds the instance JSON, and the JSON editor that is sent.
import { get, post } from './api.js';
import { previewResult } from './preview.js';
import { h, fill, field, announce } from './dom.js';
import { clearErrors, showErrors } from './errors.js';

export const MASK = '********';
const POLLER = "configuration['event.poller.configuration']";

export async function renderCreate(main) {
  const { body: elements } = await get('/elements');
  const secrets = new Map(); // field path -> the secret typed into the form, sent in place of the mask
  let controls = {}; // field path -> id of the form control that holds it

  const editor = h('textarea', { id: 'instance-json', rows: 24, spellcheck: 'false', autocomplete: 'off', class: 'code' });
  const errors = h('div', { class: 'errors', id: 'instance-json-errors', role: 'alert', hidden: true });
  editor.setAttribute('aria-describedby', 'instance-json-hint instance-json-errors');
  const create = h('button', { type: 'submit', class: 'primary' }, 'Create');
  const previewOut = h('div', { class: 'create-preview', 'aria-live': 'polite' });
  const elementSelect = h('select', { id: 'form-element' }, elements.map((e) => h('option', { value: e.key }, e.name + ' (' + e.key + ')')));
  const formBody = h('div');
  const resourceList = h('div', { class: 'resource-list' });
  let resourceCount = 0;

  const input = (id, type, value) => h('input', { id, type: type || 'text', value: value ?? '', autocomplete: 'off' });

  const addResource = (name, resource) => {
    const n = ++resourceCount;
    const dates = (resource && resource.datesConfiguration) || {};
    const set = h('fieldset', { class: 'resource', 'data-resource': n },
      h('legend', {}, 'Resource ' + n),
      field('Resource name', input('res-' + n + '-name', 'text', name), 'the object type, e.g. candidates'),
      field('URL', input('res-' + n + '-url', 'text', resource && resource.url), 'hub path with the ${date:...} or ${gmtDate:...} placeholder'),
      field('ID field', input('res-' + n + '-id', 'text', resource && resource.idField)),
      field('Updated date field', input('res-' + n + '-updated', 'text', dates.updatedDateField)),
      field('Updated date format', input('res-' + n + '-updated-format', 'text', dates.updatedDateFormat)),
      field('Created date field (optional)', input('res-' + n + '-created', 'text', dates.createdDateField)),
      field('Created date format (optional)', input('res-' + n + '-created-format', 'text', dates.createdDateFormat)),
      h('button', { type: 'button', onclick: () => set.remove() }, 'Remove resource ' + n));
    resourceList.append(set);
  };

  const showElement = () => {
    const element = elements.find((e) => e.key === elementSelect.value);
    const example = element.example || { configuration: {} };
    const config = example.configuration || {};
    resourceCount = 0;
    fill(resourceList);
    Object.entries(config['event.poller.configuration'] || {}).forEach(([name, r]) => addResource(name, r));
    fill(formBody,
      field('Name', input('form-name', 'text', example.name)),
      field('Tags', input('form-tags', 'text', (example.tags || []).join(', ')), 'separated by commas'),
      h('fieldset', {}, h('legend', {}, 'Credentials'),
        element.configuration.map((c, i) => field(c.key + (c.required ? '' : ' (optional)'),
          input('form-config-' + i, c.secret ? 'password' : 'text', c.secret ? '' : config[c.key]))),
        element.providerData.map((key) => field('providerData.' + key + (key === 'code' ? ' (authorization code)' : ''),
          input('form-provider-' + key, 'password', '')))),
      h('fieldset', {}, h('legend', {}, 'Events'),
        field('Hub base URL (optional)', input('form-base-url', 'url', config['base.url']), 'base.url: where the hub paths are served'),
        field('Callback URL', input('form-callback', 'url', config['event.notification.callback.url'])),
        field('Refresh interval (minutes)', input('form-interval', 'text', config['event.poller.refresh_interval'] || '15')),
        field('Signature key (optional)', input('form-signature', 'password', ''), 'signs each notification (Elements-Webhook-Signature)')),
      h('fieldset', {}, h('legend', {}, 'Resources to poll'), resourceList,
        h('button', { type: 'button', onclick: () => addResource('', null) }, 'Add resource')));
  };

  const buildJson = () => {
    const element = elements.find((e) => e.key === elementSelect.value);
    const value = (id) => { const el = document.getElementById(id); return el ? el.value.trim() : ''; };
    const configuration = {};
    controls = { 'element.key': 'form-element', name: 'form-name', tags: 'form-tags' };
    secrets.clear();
    const putConfig = (key, id, secret) => {
      const v = value(id);
      controls["configuration['" + key + "']"] = id;
      if (!v) return;
      if (secret) { secrets.set("configuration['" + key + "']", v); configuration[key] = MASK; } else configuration[key] = v;
    };
    element.configuration.forEach((c, i) => putConfig(c.key, 'form-config-' + i, c.secret));
    putConfig('base.url', 'form-base-url', false);
    configuration['event.notification.enabled'] = true;
    putConfig('event.notification.callback.url', 'form-callback', false);
    putConfig('event.poller.refresh_interval', 'form-interval', false);
    putConfig('event.notification.signature.key', 'form-signature', true);
    const poller = {};
    controls[POLLER] = 'res-1-name';
    for (const set of resourceList.querySelectorAll('fieldset.resource')) {
      const n = set.getAttribute('data-resource');
      const name = value('res-' + n + '-name') || 'resource' + n;
      const path = POLLER + '.' + name;
      const dates = {};
      const date = (key, id) => { controls[path + '.datesConfiguration.' + key] = id; if (value(id)) dates[key] = value(id); };
      date('updatedDateField', 'res-' + n + '-updated');
      date('updatedDateFormat', 'res-' + n + '-updated-format');
      date('createdDateField', 'res-' + n + '-created');
      date('createdDateFormat', 'res-' + n + '-created-format');
      Object.assign(controls, { [path]: 'res-' + n + '-name', [path + '.url']: 'res-' + n + '-url', [path + '.idField']: 'res-' + n + '-id',
        [path + '.datesConfiguration']: 'res-' + n + '-updated' });
      poller[name] = { url: value('res-' + n + '-url'), idField: value('res-' + n + '-id'), datesConfiguration: dates };
    }
    configuration['event.poller.configuration'] = poller;
    const body = { element: { key: element.key }, name: value('form-name'),
      tags: value('form-tags').split(',').map((t) => t.trim()).filter((t) => t), configuration };
    if (element.providerData.length) {
      body.providerData = {};
      for (const key of element.providerData) {
        controls['providerData.' + key] = 'form-provider-' + key;
        const v = value('form-provider-' + key);
        if (v) { body.providerData[key] = MASK; secrets.set('providerData.' + key, v); }
      }
    }
    editor.value = JSON.stringify(body, null, 2);
    announce('Instance JSON built from the form' + (secrets.size ? '; secrets are shown as ' + MASK + ' and sent as typed' : ''));
  };

  /** The editor's JSON with the form's secrets in place of the mask, or null after showing why it is not JSON. */
  const parsedBody = () => {
    clearErrors(Object.values(controls), errors);
    editor.removeAttribute('aria-invalid');
    try {
      const body = JSON.parse(editor.value);
      withSecrets(body, secrets);
      return body;
    } catch (e) {
      editor.setAttribute('aria-invalid', 'true');
      showErrors([], 'Instance JSON is not valid JSON: ' + e.message, {}, errors, editor.value);
      return null;
    }
  };
  const refused = (e) => {
    editor.setAttribute('aria-invalid', 'true');
    const first = showErrors(e.errors || [], e.message, controls, errors, editor.value);
    (first && !document.getElementById(first).closest('[hidden]') ? document.getElementById(first) : editor).focus();
  };
  const submit = async (event) => {
    event.preventDefault();
    const body = parsedBody();
    if (!body) return;
    try {
      const { body: created } = await post('/instances', body);
      announce('Created instance ' + created.name + ' (#' + created.id + ')');
      location.hash = '#/instances/' + created.id;
    } catch (e) {
      refused(e);
    }
  };
  const preview = async () => {
    const body = parsedBody();
    if (!body) return;
    const resources = Object.keys((body.configuration || {})['event.poller.configuration'] || {});
    fill(previewOut, h('p', { class: 'muted' }, 'Polling ' + (resources[0] || 'the resource') + ' once…'));
    try {
      const { body: result } = await post('/instances/preview' + (resources.length ? '?resource=' + encodeURIComponent(resources[0]) : ''), body);
      fill(previewOut, previewResult(result));
    } catch (e) {
      fill(previewOut);
      refused(e);
    }
  };

  elementSelect.addEventListener('change', showElement);
  fill(main,
    h('h1', {}, 'Create an instance'),
    h('div', { class: 'create' },
      h('form', { class: 'builder', 'aria-labelledby': 'builder-title', onsubmit: (e) => { e.preventDefault(); buildJson(); } },
        h('h2', { id: 'builder-title' }, 'Build it with a form'),
        field('Element', elementSelect), formBody,
        h('button', { type: 'submit' }, 'Build JSON')),
      h('form', { class: 'json', 'aria-labelledby': 'json-title', onsubmit: submit },
        h('h2', { id: 'json-title' }, 'Or write the JSON'),
        h('label', { for: 'instance-json' }, 'Instance JSON'),
        h('p', { class: 'hint', id: 'instance-json-hint' }, 'The body of POST /elements/api-v2/instances, as for Open Connectors. '
          + 'A preview polls once from one interval ago and stores nothing.'),
        editor, errors, h('div', { class: 'buttons' }, create,
          h('button', { type: 'button', onclick: preview }, 'Preview the first resource')),
        previewOut)));
  showElement();
}

/** Puts the secrets typed into the form where the JSON still has the mask. */
function withSecrets(body, secrets) {
  for (const [path, secret] of secrets) {
    const config = path.match(/^configuration\['(.*)'\]$/);
    if (config && body.configuration && body.configuration[config[1]] === MASK) body.configuration[config[1]] = secret;
    const provider = path.match(/^providerData\.(.*)$/);
    if (provider && body.providerData && body.providerData[provider[1]] === MASK) body.providerData[provider[1]] = secret;
  }
}
