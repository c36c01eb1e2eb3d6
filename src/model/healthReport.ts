import type { HealthBadge, HealthResult, HealthStatus } from './health';

/**
 * The health report as a person scans it: problems first (errors, then warnings), the checks that
 * passed last and folded; each problem with what to do and the actions that are safe to offer.
 * Every string is text: the report view sets it with textContent.
 */
export type ReportAction =
  | { kind: 'copy'; label: string; text: string }
  | { kind: 'openSetting'; label: string; setting: string };

export interface ReportItem {
  check: string;
  status: HealthStatus;
  detail: string;
  fix?: string;
  actions: ReportAction[];
}

export interface ReportGroup {
  status: HealthStatus;
  title: string;
  items: ReportItem[];
}

export interface HealthReportModel {
  subject: string;
  when: string;
  /** "2 problems: 1 error, 1 warning; 9 checks passed". */
  summary: string;
  groups: ReportGroup[];
}

/** Settings a "what to do" may name; only these get an Open Setting action. */
const SETTINGS = ['matryoshka.engines', 'matryoshka.sysbox.runtimes', 'matryoshka.maxDepth', 'matryoshka.requestTimeoutSeconds', 'matryoshka.dind.image', 'matryoshka.sysbox.image', 'matryoshka.dood.image'];

const ORDER: HealthStatus[] = ['error', 'warn', 'ok'];
const TITLES: Record<HealthStatus, string> = { error: 'Errors', warn: 'Warnings', ok: 'Passed' };

function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The actions a result offers: the fix as text to copy, and the settings it names. */
export function actionsFor(result: HealthResult): ReportAction[] {
  if (result.status === 'ok' || !result.fix) return [];
  const actions: ReportAction[] = [{ kind: 'copy', label: 'Copy what to do', text: result.fix }];
  for (const setting of SETTINGS) {
    // The whole key, not a prefix of a longer one (matryoshka.engines vs matryoshka.enginesX).
    if (new RegExp(`(^|[^\\w.])${setting.replace(/\./g, '\\.')}(?![\\w.]*\\w)`).test(result.fix)) {
      actions.push({ kind: 'openSetting', label: `Open Setting ${setting}`, setting });
    }
  }
  return actions;
}

export function healthReportModel(subject: string, results: readonly HealthResult[], when: string): HealthReportModel {
  const groups = ORDER.map((status) => ({
    status,
    title: TITLES[status],
    // Within a group, the checks keep their fixed order: the same report reads the same way twice.
    items: results.filter((r) => r.status === status).map((r) => ({ check: r.check, status: r.status, detail: r.detail, ...(r.fix ? { fix: r.fix } : {}), actions: actionsFor(r) })),
  })).filter((g) => g.items.length > 0);
  const errors = results.filter((r) => r.status === 'error').length;
  const warnings = results.filter((r) => r.status === 'warn').length;
  const passed = results.length - errors - warnings;
  const problems = errors + warnings;
  const summary = problems === 0
    ? `No problems: ${count(passed, 'check')} passed.`
    : `${count(problems, 'problem')}: ${[errors ? count(errors, 'error') : '', warnings ? count(warnings, 'warning') : ''].filter(Boolean).join(', ')}; ${count(passed, 'check')} passed.`;
  return { subject, when, summary, groups };
}

/** The action of item `item`, number `action`, in the order the report lists them (what a webview may name). */
export function reportAction(report: HealthReportModel | undefined, item: number, action: number): ReportAction | undefined {
  const items = report?.groups.flatMap((g) => g.items) ?? [];
  return items[item]?.actions[action];
}

/** What the tree row shows for a check: a count in the theme's error or warning colour. */
export interface HealthDecoration {
  badge: string;
  color: 'problemsErrorIcon.foreground' | 'problemsWarningIcon.foreground';
  tooltip: string;
}

export function healthDecoration(badge: HealthBadge | undefined): HealthDecoration | undefined {
  if (!badge || badge.problems.length === 0) return undefined;
  return {
    // A decoration's badge holds at most two characters.
    badge: badge.problems.length > 9 ? '9+' : String(badge.problems.length),
    color: badge.worst === 'error' ? 'problemsErrorIcon.foreground' : 'problemsWarningIcon.foreground',
    tooltip: `Health: ${count(badge.problems.length, 'problem')} at the last check`,
  };
}
