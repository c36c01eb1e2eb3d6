// Helpers for Playwright UI tests against a running code-server workbench (VS Code 1.100 DOM).
// Each helper waits with a bound and, on failure, names what it did not find, because a bare
// Playwright timeout on a CSS selector tells a reader nothing about the workbench's state.
import * as fs from 'fs';
import * as path from 'path';
import type { Browser, Locator, Page } from 'playwright-core';

const DEFAULT_TIMEOUT = 30_000;

export interface TreeRow {
  /** The row's label text (what a person reads). */
  label: string;
  /** Nesting depth from aria-level: 1 for top-level rows. */
  level: number;
  /** true/false for collapsible rows, undefined for leaves. */
  expanded?: boolean;
  /** The description shown after the label, if any. */
  description?: string;
  /** The accessible label (often label plus description or tooltip). */
  ariaLabel: string;
}

/** Opens the workbench at url and resolves once it can be used (activity bar shown, no dialogs). */
export async function openWorkbench(browser: Browser, url: string, timeoutMs = 60_000): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(url, { timeout: timeoutMs });
  await waitFor(page.locator('.monaco-workbench'), timeoutMs, `the workbench (.monaco-workbench) at ${url}`);
  await waitFor(page.locator('.part.activitybar .action-item').first(), timeoutMs, 'the activity bar');
  await waitFor(page.locator('.part.statusbar'), timeoutMs, 'the status bar');
  await dismissDialogsAndNotifications(page);
  return page;
}

/** Answers a workspace-trust dialog (trusting) and clears notification toasts. */
export async function dismissDialogsAndNotifications(page: Page): Promise<void> {
  const dialog = page.locator('.monaco-dialog-box');
  if (await dialog.isVisible()) {
    const trust = dialog.getByRole('button', { name: /trust/i }).first();
    if (await trust.isVisible()) await trust.click();
    else await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
  }
  const clear = page.locator('.notification-toast .codicon-notifications-clear');
  for (let i = 0; i < 20 && (await clear.count()) > 0; i++) {
    await clear.first().click({ timeout: 2_000 }).catch(() => undefined);
  }
}

/** Runs a command from the palette (F1) by its full title, e.g. "Matryoshka: Refresh". */
export async function runCommand(page: Page, title: string, timeoutMs = DEFAULT_TIMEOUT): Promise<void> {
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('input.input');
  // Match the row's label exactly, so "X" does not run "X Again". (Its aria-label is not enough:
  // it appends the keybinding, e.g. "View: Toggle Terminal, Control+`".)
  const row = widget.locator('.quick-input-list .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: exactText(title) }) })
    .first();
  const deadline = Date.now() + timeoutMs;
  // The palette lists the commands known when it opens and does not update while open. Soon after
  // load an extension's commands may not be registered yet, so reopen it until the command shows.
  for (let attempt = 1; ; attempt++) {
    // F1 sometimes goes nowhere right after a theme switch or a webview took focus: if the
    // palette does not open, dismiss whatever holds the keyboard and press it again.
    for (let press = 0; !(await input.isVisible()) && Date.now() < deadline; press++) {
      if (press > 0) await page.keyboard.press('Escape');
      await page.keyboard.press('F1');
      await input.waitFor({ state: 'visible', timeout: 3_000 }).catch(() => undefined);
    }
    await waitFor(input, Math.max(deadline - Date.now(), 1_000), 'the command palette input (after F1)');
    // Something else taking focus (a theme switch still applying, a notification) can close the
    // palette right after it opened: then open it again rather than type into nothing.
    const filled = await input.fill(`>${title}`, { timeout: 3_000 }).then(() => true, () => false);
    const found = filled && await row.waitFor({ state: 'visible', timeout: Math.min(3_000, Math.max(deadline - Date.now(), 500)) })
      .then(() => true, () => false);
    if (found) break;
    if (Date.now() >= deadline) {
      const offered = await widget.locator('.quick-input-list .monaco-list-row').evaluateAll(
        (rows) => rows.map((r) => r.getAttribute('aria-label')));
      await page.keyboard.press('Escape');
      throw new Error(`command "${title}" not found in the command palette after ${attempt} tries ` +
        `(${timeoutMs} ms); it offered: ${JSON.stringify(offered)}`);
    }
    await page.keyboard.press('Escape');
    await widget.waitFor({ state: 'hidden', timeout: 2_000 }).catch(() => undefined);
    await page.waitForTimeout(500);
  }
  await row.click();
  await widget.waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
}

/** Shows the view container whose activity-bar item is titled title (e.g. "Explorer", "Matryoshka"). */
export async function openViewContainer(page: Page, title: string, timeoutMs = DEFAULT_TIMEOUT): Promise<void> {
  // The <a> carries "Title (Keybinding)" or just "Title"; its <li> says whether it is selected.
  const item = page.locator('.part.activitybar li.action-item')
    .filter({ has: page.locator(`a.action-label[aria-label="${cssString(title)}"], a.action-label[aria-label^="${cssString(title)} ("]`) })
    .first();
  try {
    await item.waitFor({ state: 'visible', timeout: timeoutMs });
  } catch {
    const titles = await page.locator('.part.activitybar li.action-item a.action-label').evaluateAll(
      (links) => links.map((a) => a.getAttribute('aria-label')));
    throw new Error(`no activity-bar item titled "${title}"; found: ${JSON.stringify(titles)}`);
  }
  // Clicking the selected item closes the side bar, so click only while it is not shown; and look
  // again after each click: just after a reload the workbench may be restoring the side bar itself,
  // and a click in that moment closes what it opens.
  const shown = async () => (await item.getAttribute('aria-selected')) === 'true' && (await page.locator('.part.sidebar').isVisible());
  const deadline = Date.now() + timeoutMs;
  while (!(await shown())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for the side bar after opening "${title}"`);
    await item.click();
    // Give the click time to show the side bar before judging it (a second click would close it).
    for (const settle = Date.now() + 5000; Date.now() < settle && !(await shown()); ) await page.waitForTimeout(200);
  }
}

/**
 * The pane of the view titled viewTitle in the side bar (or panel). A container with one view
 * merges the view's header into its own title, but the header element (aria-label
 * "<title> Section[: ...]", or "<title> - <description> Section" while the view has a description)
 * stays in the DOM, so matching on it works in both layouts.
 */
function viewPane(page: Page, viewTitle: string): Locator {
  const t = cssString(viewTitle);
  return page.locator('.pane')
    .filter({ has: page.locator(`.pane-header[aria-label="${t} Section"], .pane-header[aria-label^="${t} Section:"], .pane-header[aria-label^="${t} - "][aria-label$=" Section"]`) })
    .first();
}

async function findViewPane(page: Page, viewTitle: string, timeoutMs: number): Promise<Locator> {
  const pane = viewPane(page, viewTitle);
  try {
    await pane.waitFor({ state: 'attached', timeout: timeoutMs });
  } catch {
    const views = await page.locator('.pane-header').evaluateAll((hs) => hs.map((h) => h.getAttribute('aria-label')));
    throw new Error(`no view titled "${viewTitle}" is open (open its container first); views: ${JSON.stringify(views)}`);
  }
  const header = pane.locator('.pane-header');
  if ((await header.getAttribute('aria-expanded')) === 'false') {
    await header.click(); // a collapsed section renders no rows
  }
  return pane;
}

/**
 * The rows of a tree view once `ready(rows)` holds, read again every `intervalMs`; when `timeoutMs`
 * runs out, the rows as they are then (the caller asserts on them, naming what it waited for).
 * A view that cannot be read yet (the workbench reloading) counts as no rows.
 */
export async function treeRowsWhen(page: Page, viewTitle: string, ready: (rows: TreeRow[]) => boolean, timeoutMs: number, intervalMs = 500): Promise<TreeRow[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await treeRowLabels(page, viewTitle).catch((): TreeRow[] => []);
    if (ready(rows) || Date.now() >= deadline) return rows;
    await page.waitForTimeout(intervalMs);
  }
}

/** The rendered rows of a tree view, top to bottom, with their nesting depth. */
export async function treeRowLabels(page: Page, viewTitle: string, timeoutMs = DEFAULT_TIMEOUT): Promise<TreeRow[]> {
  const pane = await findViewPane(page, viewTitle, timeoutMs);
  const body = pane.locator('.pane-body');
  await waitFor(body, timeoutMs, `the body of view "${viewTitle}"`);
  const rows = await body.locator('.monaco-list-row').evaluateAll((els) => els.map((el) => {
    const expanded = el.getAttribute('aria-expanded');
    return {
      top: parseFloat((el as HTMLElement).style.top || '0'),
      label: (el.querySelector('.label-name')?.textContent ?? el.textContent ?? '').trim(),
      description: el.querySelector('.label-description')?.textContent?.trim() || undefined,
      level: Number(el.getAttribute('aria-level') ?? '1'),
      expanded: expanded === null ? undefined : expanded === 'true',
      ariaLabel: el.getAttribute('aria-label') ?? '',
    };
  }));
  // Virtualised lists may keep DOM order different from screen order; sort by position.
  // Leave out absent keys so tests can deepStrictEqual against plain { label, level } objects.
  return rows.sort((a, b) => a.top - b.top).map(({ top: _top, ...row }) => {
    const out: TreeRow = { label: row.label, level: row.level, ariaLabel: row.ariaLabel };
    if (row.expanded !== undefined) out.expanded = row.expanded;
    if (row.description !== undefined) out.description = row.description;
    return out;
  });
}

/** Expands the first tree row whose label is label (optionally within view viewTitle). */
export async function expandRow(page: Page, label: string, viewTitle?: string, timeoutMs = DEFAULT_TIMEOUT): Promise<void> {
  const scope = viewTitle ? (await findViewPane(page, viewTitle, timeoutMs)).locator('.pane-body') : page.locator('.part.sidebar, .part.panel');
  const row = scope.locator('.monaco-list-row[role="treeitem"]')
    .filter({ has: page.locator('.label-name', { hasText: exactText(label) }) })
    .first();
  try {
    await row.waitFor({ state: 'visible', timeout: timeoutMs });
  } catch {
    const where = viewTitle ? `view "${viewTitle}"` : 'the side bar';
    const labels = await scope.locator('.monaco-list-row .label-name').allTextContents();
    throw new Error(`no tree row labelled "${label}" in ${where}; rows: ${JSON.stringify(labels)}`);
  }
  const state = await row.getAttribute('aria-expanded');
  if (state === null) throw new Error(`tree row "${label}" cannot be expanded (it has no children)`);
  if (state === 'true') return;
  await row.locator('.monaco-tl-twistie').click();
  try {
    await page.waitForFunction((el) => el?.getAttribute('aria-expanded') === 'true', await row.elementHandle(), { timeout: timeoutMs });
  } catch {
    throw new Error(`tree row "${label}" did not expand within ${timeoutMs} ms`);
  }
}

/** The tree row labelled exactly `label` in the side bar. */
export function treeRow(page: Page, label: string): Locator {
  return page.locator('.pane-body .monaco-list-row[role="treeitem"]').filter({ has: page.locator('.label-name', { hasText: exactText(label) }) }).first();
}

/** Clicks tree rows in turn, holding Control from the second on: a multi-selection as a person makes one. */
export async function selectRows(page: Page, labels: string[]): Promise<void> {
  for (const [index, label] of labels.entries()) {
    const row = treeRow(page, label);
    await waitFor(row, DEFAULT_TIMEOUT, `the tree row "${label}"`);
    await row.click({ modifiers: index === 0 ? [] : ['Control'] });
  }
  for (const label of labels) {
    await page.waitForFunction((el) => el?.getAttribute('aria-selected') === 'true', await treeRow(page, label).elementHandle(), { timeout: 5_000 })
      .catch(() => { throw new Error(`tree row "${label}" is not selected after clicking it`); });
  }
}

/** Right-clicks the tree row `label` and picks `entry` from its context menu. */
export async function contextMenu(page: Page, label: string, entry: string): Promise<void> {
  const row = treeRow(page, label);
  await waitFor(row, DEFAULT_TIMEOUT, `the tree row "${label}"`);
  await row.click({ button: 'right' });
  await pickMenuEntry(page, entry);
}

/** The entries of a tree row's context menu, read once `waitFor` shows; the menu is closed again. */
export async function menuEntries(page: Page, label: string, waitForEntry: string): Promise<string[]> {
  const row = treeRow(page, label);
  await waitFor(row, DEFAULT_TIMEOUT, `the tree row "${label}"`);
  await row.click({ button: 'right' });
  await waitFor(page.getByRole('menuitem', { name: waitForEntry, exact: true }).first(), 10_000, `the menu entry "${waitForEntry}"`);
  const entries = await page.getByRole('menuitem').evaluateAll((items) => items.map((i) => i.getAttribute('aria-label') ?? i.textContent ?? ''));
  await page.keyboard.press('Escape');
  return entries.map((e) => e.trim());
}

/** Picks `entry` from the context menu or drop-down that is open. */
export async function pickMenuEntry(page: Page, entry: string): Promise<void> {
  const item = page.getByRole('menuitem', { name: entry, exact: true }).first();
  await waitFor(item, 10_000, `the menu entry "${entry}"`);
  // A person moves to the entry, then clicks: the menu acts on mouse-up over a hovered entry, and
  // ignores a synthetic click that lands before it has finished opening.
  const box = await item.boundingBox();
  if (!box) throw new Error(`the menu entry "${entry}" has no size`);
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 5 });
  await page.waitForTimeout(300);
  await page.mouse.down();
  await page.mouse.up();
}

/** Saves a PNG of the page to <repo>/test-results/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const dir = path.join(repoRoot(), 'test-results');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name.replace(/[^\w.-]+/g, '_')}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** The repo root: the nearest folder above this file with a package.json (works from test/ui and out/test/ui). */
function repoRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${__dirname}`);
    dir = parent;
  }
  return dir;
}

async function waitFor(locator: Locator, timeoutMs: number, what: string): Promise<void> {
  try {
    await locator.waitFor({ state: 'visible', timeout: timeoutMs });
  } catch {
    throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
  }
}

/** Escapes a value for use inside a double-quoted CSS attribute selector. */
function cssString(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

/** A pattern matching exactly this text (give or take surrounding white space). */
function exactText(value: string): RegExp {
  return new RegExp(`^\\s*${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
}

/** Picks the row labelled exactly `label` in the open quick pick (typing narrows it first). */
export async function pickQuickItem(page: Page, label: string, timeoutMs = DEFAULT_TIMEOUT): Promise<void> {
  const widget = page.locator('.quick-input-widget');
  await waitFor(widget.locator('input.input'), timeoutMs, `a quick pick offering "${label}"`);
  await widget.locator('input.input').fill(label);
  const row = widget.locator('.quick-input-list .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: exactText(label) }) })
    .first();
  await waitFor(row, timeoutMs, `the quick pick row "${label}"`);
  // The pointer still rests where the previous pick was clicked; a row's hover (long descriptions
  // have one) may have opened under it and would take this click (seen in CI). Move away first.
  await page.mouse.move(1, 1);
  await page.locator('.context-view .hover-contents').first().waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
  await row.click();
}

/**
 * Types `value` into the input box whose title matches `title` (replacing its default unless
 * `value` is undefined) and presses Enter. The title tells one step of a flow from the next: they
 * reuse the same widget.
 */
export async function answerInputBox(page: Page, title: RegExp, value: string | undefined, timeoutMs = DEFAULT_TIMEOUT): Promise<string> {
  const widget = page.locator('.quick-input-widget').filter({ has: page.locator('.quick-input-title', { hasText: title }) });
  const input = widget.locator('input.input');
  await waitFor(input, timeoutMs, `an input box titled ${title}`);
  if (value !== undefined) await input.fill(value);
  const answered = await input.inputValue();
  await input.press('Enter');
  return answered;
}

/**
 * A workspace launch from the palette, up to the dialogs that follow: the default engine, `name`,
 * the image the box offers, no folder, then each of `picks` (the publish question). Resolves to the
 * image that was offered.
 */
export async function startLaunch(page: Page, command: string, name: string, picks: string[] = []): Promise<string> {
  await runCommand(page, command);
  await pickQuickItem(page, 'default');
  await answerInputBox(page, /: name$/, name);
  const image = await answerInputBox(page, /: image$/, undefined);
  await pickQuickItem(page, 'No folder');
  for (const pick of picks) await pickQuickItem(page, pick);
  return image;
}

/** Clicks `button` in the modal dialog that is open (or opens within the timeout); returns the dialog's text. */
export async function answerDialog(page: Page, button: string, timeoutMs = DEFAULT_TIMEOUT): Promise<string> {
  const dialog = page.locator('.monaco-dialog-box');
  await waitFor(dialog, timeoutMs, 'a modal dialog');
  const text = await dialog.innerText();
  await dialog.getByRole('button', { name: button, exact: true }).click();
  await dialog.waitFor({ state: 'hidden', timeout: timeoutMs });
  return text;
}

/** Drags the side bar's edge by `by` pixels, so that descriptions (and badges) are not cut off in a screenshot. */
export async function widenSideBar(page: Page, by: number): Promise<void> {
  const box = await page.locator('.part.sidebar').boundingBox();
  if (!box) return;
  const edge = { x: box.x + box.width - 1, y: box.y + box.height / 2 };
  await page.mouse.move(edge.x, edge.y);
  await page.mouse.down();
  await page.mouse.move(edge.x + by, edge.y, { steps: 8 });
  await page.mouse.up();
}

/** Clicks the action titled `title` in the side bar's view title (e.g. "Filter…"), hovering it first as a person does. */
export async function clickViewTitleAction(page: Page, title: string, timeoutMs = DEFAULT_TIMEOUT): Promise<void> {
  const t = cssString(title);
  const action = page.locator(`.part.sidebar a.action-label[aria-label="${t}"], .part.sidebar a.action-label[aria-label^="${t} ("]`).first();
  await page.locator('.part.sidebar .composite.title').hover().catch(() => undefined);
  await waitFor(action, timeoutMs, `the view title action "${title}"`);
  await action.click();
}

/** Polls `probe` every 250 ms until it gives a truthy value; past `timeoutMs` fails with `describe()`'s account. */
export async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T>, describe: () => Promise<string> = async () => ''): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; ${await describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The text of the terminal shown in the panel ('' while there is none). */
export function activeTerminalText(page: Page): Promise<string> {
  return page.locator('.terminal-wrapper.active .xterm-rows').first().innerText().catch(() => '');
}
