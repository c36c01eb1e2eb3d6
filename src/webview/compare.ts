// The compare webview: two `docker ps` lists, a verdict and a diagram. Every engine string is set
// with textContent (or a title attribute, which is text), never as HTML. Messages follow
// src/model/compareProtocol.ts; the layout wraps to the editor's width (media/compare.css).
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import type { Row } from '../model/compare';
import { containerCount, diagramOf, visibleItems, type DiagramItem } from '../model/compareDiagram';
import { relationText, relationWord, type FromWebview, type ToWebview } from '../model/compareProtocol';

interface VsCodeApi {
  postMessage(message: FromWebview): void;
  setState(state: unknown): void;
  getState(): unknown;
}
declare function acquireVsCodeApi(): VsCodeApi;

type ComparisonMessage = Extract<ToWebview, { type: 'comparison' }>;

const vscode = acquireVsCodeApi();

/**
 * The columns in reading order: who, how it relates, then the rest. `cut` columns stay on one line
 * and end in "…", with the whole text on hover; the others wrap.
 */
const COLUMNS: Array<{ key: keyof Row; title: string; cut?: boolean; hover?: (row: Row) => string }> = [
  { key: 'names', title: 'NAMES' },
  { key: 'relation', title: 'RELATION', hover: (row) => relationText(row.relation) },
  { key: 'image', title: 'IMAGE' },
  { key: 'status', title: 'STATUS' },
  { key: 'ports', title: 'PORTS' },
  { key: 'created', title: 'CREATED', cut: true, hover: (row) => (row.createdAt ? `${row.created} (${row.createdAt})` : row.created) },
  { key: 'command', title: 'COMMAND', cut: true, hover: (row) => row.commandFull },
  { key: 'id', title: 'CONTAINER ID', cut: true, hover: (row) => row.id },
];

/** Which "+ N more" groups the person opened; kept across re-renders (refreshes, engine events). */
const expanded = new Set<string>();
let shown: ComparisonMessage | undefined;

function element<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function cell(row: Row, column: (typeof COLUMNS)[number]): HTMLTableCellElement {
  const text = column.key === 'relation' ? relationWord(row.relation) : String(row[column.key] ?? '');
  const td = element('td', text, `col-${column.key}${column.cut ? ' cut' : ''}`);
  if (column.hover) td.setAttribute('title', column.hover(row));
  return td;
}

function table(rows: Row[], side: 'outer' | 'inner', label: string): HTMLElement {
  const section = element('section', undefined, 'list');
  section.setAttribute('aria-label', label);
  section.append(element('h2', label));
  if (rows.length === 0) {
    section.append(element('p', 'No running containers.', 'empty'));
    return section;
  }
  const grid = element('table');
  grid.dataset.side = side;
  const columns = element('colgroup');
  for (const column of COLUMNS) columns.append(element('col', undefined, `col-${column.key}`));
  const head = element('tr');
  for (const column of COLUMNS) head.append(element('th', column.title, `col-${column.key}`));
  grid.append(columns, element('thead'));
  grid.tHead?.append(head);
  const body = element('tbody');
  for (const row of rows) {
    const tr = element('tr', undefined, `relation-${row.relation}`);
    tr.dataset.id = row.id;
    tr.tabIndex = 0;
    tr.setAttribute('aria-label', `${row.names}, ${relationText(row.relation)}`);
    for (const column of COLUMNS) tr.append(cell(row, column));
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

function box(kind: string, caption: string): HTMLDivElement {
  const node = element('div', undefined, `box ${kind}`);
  node.append(element('div', caption, 'caption'));
  return node;
}

const ITEM_NOTE: Record<DiagramItem['relation'], string> = { self: 'this container', sibling: 'sibling', child: 'child', 'outside-only': '' };

function chip(entry: DiagramItem): HTMLElement {
  const node = element('div', undefined, `chip relation-${entry.relation}`);
  node.append(element('span', entry.name, 'name'));
  if (ITEM_NOTE[entry.relation]) node.append(element('span', ITEM_NOTE[entry.relation], 'note'));
  if (entry.engineInside !== undefined) {
    const nested = element('div', undefined, 'nested');
    nested.append(element('span', `its engine: ${containerCount(entry.engineInside)}`));
    node.append(nested);
  }
  return node;
}

/** The items of one group, the first few as boxes and a "+ N more" button that shows the rest. */
function group(key: string, items: DiagramItem[], label: string): HTMLElement {
  const list = element('div', undefined, 'items');
  list.dataset.group = key;
  list.setAttribute('role', 'list');
  list.setAttribute('aria-label', label);
  const { shown: visible, hidden } = visibleItems(items, expanded.has(key));
  for (const entry of visible) {
    const node = chip(entry);
    node.setAttribute('role', 'listitem');
    list.append(node);
  }
  const beyond = visibleItems(items, false).hidden;
  if (beyond > 0) {
    const more = element('button', hidden > 0 ? `+ ${hidden} more` : 'Show fewer', 'more');
    more.type = 'button';
    more.setAttribute('aria-expanded', String(hidden === 0));
    more.addEventListener('click', () => {
      if (expanded.has(key)) expanded.delete(key);
      else expanded.add(key);
      if (shown) render(shown);
      (document.querySelector(`.items[data-group="${key}"] .more`) as HTMLElement | null)?.focus();
    });
    list.append(more);
  }
  return list;
}

/** The engines and containers as nested boxes: what runs inside what. */
function diagram(message: ComparisonMessage): HTMLElement {
  const figure = element('section', undefined, 'diagram');
  figure.setAttribute('aria-label', 'Diagram');
  const model = diagramOf(message.comparison, message.engineName, message.containerName);
  const engine = box('engine', `engine ${model.engine}`);
  if (model.kind === 'shared') {
    engine.querySelector('.caption')?.append(element('span', ` · shared by ${model.container} and its siblings`, 'note'));
    engine.append(group('members', model.members, `containers on engine ${model.engine}`));
  } else {
    const container = box('container relation-self', model.container);
    if (model.kind === 'own') {
      const inner = box('engine inner', `its own engine: ${containerCount(model.children.length)}`);
      if (model.children.length) inner.append(group('children', model.children, `containers inside ${model.container}`));
      else inner.append(element('p', 'No containers running yet.', 'empty'));
      container.append(inner);
    } else {
      container.append(element('p', 'Its own list could not be read.', 'empty'));
    }
    engine.append(container);
    if (model.kind === 'own' && model.others > 0) {
      engine.append(element('p', `Beside it on ${model.engine}: ${model.others} other container${model.others === 1 ? '' : 's'}, not visible inside.`, 'others'));
    }
  }
  figure.append(engine);
  return figure;
}

function render(message: ComparisonMessage): void {
  shown = message;
  const root = document.getElementById('root') as HTMLElement;
  const { comparison } = message;
  // Kept by VS Code across reloads: the serializer reopens the panel for the same container.
  vscode.setState({ target: message.target });
  const header = element('header');
  header.append(element('h1', message.title));
  const verdict = element('p', comparison.verdict, 'verdict');
  header.append(verdict);
  const actions = element('div', undefined, 'actions');
  const copy = document.createElement('vscode-button');
  copy.textContent = 'Copy as text';
  copy.addEventListener('click', () => vscode.postMessage({ type: 'copy' }));
  const refresh = document.createElement('vscode-button');
  refresh.setAttribute('secondary', '');
  refresh.textContent = 'Refresh';
  refresh.addEventListener('click', () => {
    setNotice('Refreshing…');
    vscode.postMessage({ type: 'refresh' });
  });
  const notice = element('span', message.notice ?? `updated ${message.updated}`, 'notice');
  notice.setAttribute('role', 'status');
  actions.append(copy, refresh, notice);
  header.append(actions);
  const lists = element('div', undefined, 'lists');
  lists.append(table(comparison.outer, 'outer', message.outerLabel), table(comparison.inner, 'inner', message.innerLabel));
  root.replaceChildren(header, diagram(message), lists);
}

function setNotice(text: string): void {
  const notice = document.querySelector('.notice');
  if (notice) notice.textContent = text;
}

window.addEventListener('message', (event: MessageEvent<ToWebview>) => {
  const message = event.data;
  if (message.type === 'notice') return setNotice(message.text);
  if (message.type === 'comparison') return render(message);
  shown = undefined;
  const root = document.getElementById('root') as HTMLElement;
  root.replaceChildren(element('p', message.message, 'problem'));
});
vscode.postMessage({ type: 'ready' });
