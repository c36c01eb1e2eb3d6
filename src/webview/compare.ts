// The compare webview: two `docker ps` lists, a verdict and a diagram. Every engine string is set
// with textContent, never as HTML. Messages follow src/model/compareProtocol.ts.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import type { Comparison, Row } from '../model/compare';
import { relationText, type FromWebview, type ToWebview } from '../model/compareProtocol';

interface VsCodeApi {
  postMessage(message: FromWebview): void;
  setState(state: unknown): void;
  getState(): unknown;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const COLUMNS: Array<[keyof Row, string]> = [
  ['id', 'CONTAINER ID'],
  ['image', 'IMAGE'],
  ['command', 'COMMAND'],
  ['created', 'CREATED'],
  ['status', 'STATUS'],
  ['ports', 'PORTS'],
  ['names', 'NAMES'],
];

function element<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function table(rows: Row[], side: 'outer' | 'inner', label: string): HTMLElement {
  const section = element('section');
  section.setAttribute('aria-label', label);
  section.append(element('h2', label));
  if (rows.length === 0) {
    section.append(element('p', 'No running containers.', 'empty'));
    return section;
  }
  const grid = element('table');
  grid.dataset.side = side;
  const head = element('tr');
  for (const [, title] of COLUMNS) head.append(element('th', title));
  head.append(element('th', 'RELATION'));
  grid.append(element('thead'));
  grid.tHead?.append(head);
  const body = element('tbody');
  for (const row of rows) {
    const tr = element('tr', undefined, `relation-${row.relation}`);
    tr.dataset.id = row.id;
    tr.tabIndex = 0;
    tr.setAttribute('aria-label', `${row.names}, ${relationText(row.relation)}`);
    for (const [key] of COLUMNS) tr.append(element('td', String(row[key])));
    tr.append(element('td', relationText(row.relation), 'relation'));
    tr.addEventListener('dblclick', () => vscode.postMessage({ type: 'inspect', side, id: row.id }));
    tr.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') vscode.postMessage({ type: 'inspect', side, id: row.id });
    });
    body.append(tr);
  }
  grid.append(body);
  section.append(grid);
  return section;
}

const SVG = 'http://www.w3.org/2000/svg';

function svgElement(tag: string, attributes: Record<string, string | number>, text?: string): SVGElement {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

/** The outer engine as a box with the container in it; its children inside it, or its siblings beside it. */
function diagram(title: string, outerLabel: string, comparison: Comparison): SVGElement {
  const children = comparison.inner.filter((r) => r.relation === 'child');
  const siblings = comparison.inner.filter((r) => r.relation === 'sibling');
  const shown = (rows: Row[]) => rows.slice(0, 6);
  const more = (rows: Row[]) => (rows.length > 6 ? `+ ${rows.length - 6} more` : '');
  const height = 90 + 26 * Math.max(shown(children).length, shown(siblings).length, 1) + 30;
  const svg = svgElement('svg', { viewBox: `0 0 640 ${height}`, width: '100%', role: 'img', 'aria-label': comparison.verdict });
  svg.append(svgElement('rect', { x: 4, y: 4, width: 632, height: height - 8, rx: 8, class: 'engine' }));
  svg.append(svgElement('text', { x: 16, y: 26, class: 'caption' }, outerLabel));
  svg.append(svgElement('rect', { x: 20, y: 40, width: 300, height: height - 56, rx: 6, class: 'container' }));
  svg.append(svgElement('text', { x: 32, y: 62, class: 'caption' }, title));
  shown(children).forEach((row, i) => {
    svg.append(svgElement('rect', { x: 36, y: 74 + 26 * i, width: 268, height: 20, rx: 4, class: 'child' }));
    svg.append(svgElement('text', { x: 44, y: 88 + 26 * i }, `${row.names} (child)`));
  });
  if (more(children)) svg.append(svgElement('text', { x: 44, y: height - 22 }, more(children)));
  shown(siblings).forEach((row, i) => {
    svg.append(svgElement('rect', { x: 340, y: 74 + 26 * i, width: 280, height: 20, rx: 4, class: 'sibling' }));
    svg.append(svgElement('text', { x: 348, y: 88 + 26 * i }, `${row.names} (sibling)`));
  });
  if (more(siblings)) svg.append(svgElement('text', { x: 348, y: height - 22 }, more(siblings)));
  return svg;
}

function render(message: ToWebview): void {
  const root = document.getElementById('root') as HTMLElement;
  root.replaceChildren();
  if (message.type === 'problem') {
    root.append(element('p', message.message, 'problem'));
    return;
  }
  const { comparison } = message;
  // Kept by VS Code across reloads: the serializer reopens the panel for the same container.
  vscode.setState({ target: message.target });
  const header = element('header');
  header.append(element('h1', message.title));
  const verdict = element('p', comparison.verdict, 'verdict');
  verdict.setAttribute('role', 'status');
  header.append(verdict);
  const actions = element('div', undefined, 'actions');
  const copy = document.createElement('vscode-button');
  copy.textContent = 'Copy as text';
  copy.addEventListener('click', () => vscode.postMessage({ type: 'copy' }));
  const refresh = document.createElement('vscode-button');
  refresh.setAttribute('secondary', '');
  refresh.textContent = 'Refresh';
  refresh.addEventListener('click', () => vscode.postMessage({ type: 'refresh' }));
  actions.append(copy, refresh, element('span', `updated ${message.updated}`, 'updated'));
  header.append(actions);
  root.append(header, diagram(message.title, message.outerLabel, comparison));
  const lists = element('div', undefined, 'lists');
  lists.append(table(comparison.outer, 'outer', message.outerLabel), table(comparison.inner, 'inner', message.innerLabel));
  root.append(lists);
}

window.addEventListener('message', (event: MessageEvent<ToWebview>) => render(event.data));
vscode.postMessage({ type: 'ready' });
