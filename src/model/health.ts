import { checkApiVersion, checkCgroups, checkEngineAnswers, checkEngineWarnings, checkMtu, checkPrivileges, checkProbe, checkUserNamespace } from './healthChecks';
import { checkDoodSocket, checkDoodWorkdir } from './healthDood';
import { checkDataRoot, checkStorageDriver } from './healthStorage';
import type { HealthInput, HealthResult, HealthStatus } from './healthTypes';
import { escapeMarkdown } from './markdown';

export type { HealthInput, HealthResult, HealthStatus } from './healthTypes';

const CHECKS: ReadonlyArray<(input: HealthInput) => HealthResult | undefined> = [
  checkEngineAnswers,
  checkStorageDriver,
  checkDataRoot,
  checkMtu,
  checkCgroups,
  checkProbe,
  checkPrivileges,
  checkUserNamespace,
  checkApiVersion,
  checkEngineWarnings,
  checkDoodSocket,
  checkDoodWorkdir,
];

/** Every check that applies to what was gathered, in a fixed order; checks without their input say nothing. */
export function runHealthChecks(input: HealthInput): HealthResult[] {
  return CHECKS.map((check) => check(input))
    .filter((r): r is HealthResult => r !== undefined)
    // Labels like "the engine inside X" open many details: start the sentence with a capital.
    .map((r) => (r.detail.startsWith('the ') ? { ...r, detail: `T${r.detail.slice(1)}` } : r));
}

const RANK: Record<HealthStatus, number> = { ok: 0, warn: 1, error: 2 };

/** What a tree node shows after a check: the problems, worst first. */
export interface HealthBadge {
  worst: HealthStatus;
  problems: HealthResult[];
}

export function healthBadge(results: readonly HealthResult[]): HealthBadge {
  const problems = results.filter((r) => r.status !== 'ok').sort((a, b) => RANK[b.status] - RANK[a.status]);
  return { worst: problems[0]?.status ?? 'ok', problems };
}

/** One line per problem, for a tooltip (plain text). */
export function badgeTooltip(badge: HealthBadge): string {
  if (!badge.problems.length) return 'Health: no problems found';
  const head = `Health: ${badge.problems.length} problem${badge.problems.length === 1 ? '' : 's'}`;
  return [head, ...badge.problems.map((p) => `${p.status === 'error' ? 'error' : 'warning'}, ${p.check}: ${firstSentence(p.detail)}`)].join('\n');
}

function firstSentence(text: string): string {
  const end = text.search(/\.(\s|$)/);
  return end > 0 && end < 160 ? text.slice(0, end + 1) : text.length > 160 ? `${text.slice(0, 159)}…` : text;
}

/**
 * The problems as Markdown for the top of the node's tooltip, every engine string escaped; the rest
 * of the tooltip follows the rule this ends with.
 */
export function badgeMarkdown(badge: HealthBadge | undefined): string {
  if (!badge) return '';
  if (badge.problems.length === 0) return '**Health**: no problems at the last check\n\n---\n\n';
  const lines = badge.problems.map((p) => `- ${p.status === 'error' ? '⛔ **Error**' : '⚠ **Warning**'}, ${escapeMarkdown(p.check)}: ${escapeMarkdown(firstSentence(p.detail))}`);
  return [`**Health**: ${badge.problems.length} problem${badge.problems.length === 1 ? '' : 's'} at the last check (Check Engine Health for details)`, '', ...lines, '', '---', '', ''].join('\n');
}
