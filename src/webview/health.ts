// The health report webview: problems first, each with what to do and its actions; the checks that
// passed folded at the end. Every string is set with textContent, never as HTML. Messages follow
// src/model/healthProtocol.ts.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import type { HealthStatus } from '../model/health';
import type { FromHealthWebview, ToHealthWebview } from '../model/healthProtocol';
import type { HealthReportModel, ReportItem } from '../model/healthReport';

interface VsCodeApi {
  postMessage(message: FromHealthWebview): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();

/** A glyph for each status, coloured by the theme in media/health.css, and its word for screen readers. */
const MARK: Record<HealthStatus, { glyph: string; word: string }> = {
  error: { glyph: '✕', word: 'Error' },
  warn: { glyph: '!', word: 'Warning' },
  ok: { glyph: '✓', word: 'Passed' },
};

function element<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function icon(status: HealthStatus): HTMLElement {
  const mark = element('span', MARK[status].glyph, `icon status-${status}`);
  mark.setAttribute('role', 'img');
  mark.setAttribute('aria-label', MARK[status].word);
  return mark;
}

function item(entry: ReportItem, index: number): HTMLElement {
  const node = element('article', undefined, `item status-${entry.status}`);
  const title = element('h3');
  title.append(icon(entry.status), element('span', entry.check));
  node.append(title, element('p', entry.detail, 'detail'));
  if (entry.fix) {
    const fix = element('p', undefined, 'fix');
    fix.append(element('strong', 'What to do: '), element('span', entry.fix));
    node.append(fix);
  }
  if (entry.actions.length) {
    const actions = element('div', undefined, 'actions');
    entry.actions.forEach((action, actionIndex) => {
      const button = document.createElement('vscode-button');
      button.setAttribute('secondary', '');
      button.textContent = action.label;
      button.addEventListener('click', () => vscode.postMessage({ type: 'action', item: index, action: actionIndex }));
      actions.append(button);
    });
    node.append(actions);
  }
  return node;
}

function render(report: HealthReportModel, notice: string | undefined): void {
  const root = document.getElementById('root') as HTMLElement;
  const header = element('header');
  header.append(element('h1', `Health of ${report.subject}`));
  const worst = report.groups[0]?.status ?? 'ok';
  const summary = element('p', undefined, `summary status-${worst}`);
  summary.append(icon(worst), element('span', report.summary));
  header.append(summary);
  const bar = element('div', undefined, 'bar');
  const again = document.createElement('vscode-button');
  again.textContent = 'Run again';
  again.addEventListener('click', () => {
    setNotice('Checking again…');
    vscode.postMessage({ type: 'runAgain' });
  });
  const status = element('span', notice ?? `Checked ${report.when}.`, 'notice');
  status.setAttribute('role', 'status');
  bar.append(again, status);
  header.append(bar);
  const body: HTMLElement[] = [header];
  let index = 0;
  for (const group of report.groups) {
    const items = group.items.map((entry) => item(entry, index++));
    if (group.status === 'ok') {
      // What passed matters less: folded, one click away.
      const folded = element('details', undefined, 'group status-ok');
      folded.append(element('summary', `${group.title} (${group.items.length})`), ...items);
      body.push(folded);
    } else {
      const section = element('section', undefined, `group status-${group.status}`);
      section.setAttribute('aria-label', group.title);
      section.append(element('h2', `${group.title} (${group.items.length})`), ...items);
      body.push(section);
    }
  }
  root.replaceChildren(...body);
}

function setNotice(text: string): void {
  const notice = document.querySelector('.notice');
  if (notice) notice.textContent = text;
}

window.addEventListener('message', (event: MessageEvent<ToHealthWebview>) => {
  const message = event.data;
  if (message.type === 'notice') setNotice(message.text);
  else render(message.report, message.notice);
});
vscode.postMessage({ type: 'ready' });
