// Activity charts of an instance (uPlot, from the jar): events found and delivered per minute, delivery latency.
import { get } from './api.js';
import { h, fill, field } from './dom.js';
import { every } from './refresh.js';

const WINDOWS = [['60', 'Last hour'], ['360', 'Last 6 hours'], ['1440', 'Last 24 hours']];

/** Draws the charts into section and keeps them current; returns the function that stops the refresh. */
export async function activityCharts(section, id) {
  const select = h('select', { id: 'activity-window' }, WINDOWS.map(([v, label]) => h('option', { value: v }, label)));
  const events = h('figure', { class: 'chart' });
  const latency = h('figure', { class: 'chart' });
  const numbers = h('details', { class: 'numbers' });
  fill(section, h('div', { class: 'title-row' }, h('h2', { id: 'charts-title' }, 'Activity'), field('Time window', select)),
    h('div', { class: 'chart-row' }, events, latency), numbers);
  const load = async () => (await get('/instances/' + id + '/activity?minutes=' + select.value)).body;
  const show = (data) => draw(data, events, latency, numbers);
  let stop = () => {};
  const start = async () => {
    stop();
    const data = await load();
    show(data);
    stop = every(15000, load, show, data);
  };
  select.addEventListener('change', start);
  await start();
  return () => stop();
}

function draw(data, events, latency, numbers) {
  const minutes = data.minutes;
  const x = minutes.map((m) => Date.parse(m.minute) / 1000);
  const found = minutes.map((m) => m.found);
  const delivered = minutes.map((m) => m.delivered);
  const avg = minutes.map((m) => m.latencyAvgMs);
  const max = minutes.map((m) => m.latencyMaxMs);
  const totalFound = found.reduce((a, b) => a + b, 0);
  const totalDelivered = delivered.reduce((a, b) => a + b, 0);
  const worst = Math.max(0, ...max.filter((v) => v !== null));
  chart(events, 'Events per minute', totalFound + ' events found and ' + totalDelivered + ' delivered in this window',
    [x, found, delivered], [{ label: 'found', stroke: '#2457a6', width: 2 }, { label: 'delivered', stroke: '#1d7a3a', width: 2 }]);
  chart(latency, 'Delivery latency (ms)', 'slowest delivery in this window: ' + worst + ' ms',
    [x, avg, max], [{ label: 'average', stroke: '#8a4b00', width: 2, spanGaps: false }, { label: 'maximum', stroke: '#b3261e', width: 1, dash: [4, 4] }]);
  fill(numbers, h('summary', {}, 'The numbers of the charts'),
    h('table', {}, h('thead', {}, h('tr', {}, ['Minute', 'Found', 'Delivered', 'Average latency (ms)', 'Maximum latency (ms)']
      .map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, minutes.filter((m) => m.found || m.delivered).map((m) => h('tr', {},
      h('th', { scope: 'row' }, h('time', { datetime: m.minute }, m.minute)), h('td', {}, String(m.found)),
      h('td', {}, String(m.delivered)), h('td', {}, m.latencyAvgMs ?? '–'), h('td', {}, m.latencyMaxMs ?? '–'))))));
}

function chart(figure, title, description, data, series) {
  const plot = h('div', { class: 'plot', role: 'img', 'aria-label': title + ': ' + description });
  fill(figure, h('figcaption', {}, h('strong', {}, title), h('span', { class: 'muted' }, ' ' + description)), plot);
  if (typeof window.uPlot !== 'function') {
    fill(plot, h('p', { class: 'muted' }, 'The chart library did not load.'));
    return;
  }
  const width = Math.max(280, figure.clientWidth - 16);
  // eslint-disable-next-line no-new
  new window.uPlot({ width, height: 200, series: [{}, ...series], axes: [{}, { size: 50 }], scales: { x: { time: true } },
    legend: { live: false } }, data, plot);
}
