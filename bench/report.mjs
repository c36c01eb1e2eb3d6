// Statistics and the markdown that `npm run bench` prints and writes into bench/RESULTS.md.
import fs from 'node:fs';

export function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  if (!sorted.length) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export const median = (values) => quantile(values, 0.5);

export function stats(values) {
  return { n: values.length, median: median(values), p25: quantile(values, 0.25), p75: quantile(values, 0.75), p95: quantile(values, 0.95), min: Math.min(...values), max: Math.max(...values) };
}

export function ms(value) {
  if (!Number.isFinite(value)) return 'n/a';
  if (value >= 1000) return `${(value / 1000).toFixed(2)} s`;
  return value >= 100 ? `${value.toFixed(0)} ms` : value >= 1 ? `${value.toFixed(1)} ms` : `${value.toFixed(2)} ms`;
}

export const bytes = (n) => (n >= 2 ** 20 ? `${(n / 2 ** 20).toFixed(1)} MiB` : `${(n / 1024).toFixed(0)} KiB`);

/** One row per measurement: median, IQR, min–max, runs, and what the picture held. */
export function timingTable(rows) {
  const lines = ['| measurement | median | IQR | min – max | runs | picture |', '|---|--:|--:|--:|--:|---|'];
  for (const { name, samples, size } of rows) {
    const s = stats(samples);
    lines.push(`| ${name} | **${ms(s.median)}** | ${ms(s.p25)} – ${ms(s.p75)} | ${ms(s.min)} – ${ms(s.max)} | ${s.n} | ${size ?? ''} |`);
  }
  return lines.join('\n');
}

/** Targets: each row has a shown value, the target as text, and whether it passes (undefined: not measured). */
export function targetTable(rows) {
  const lines = ['| target | measured | goal | result |', '|---|--:|---|---|'];
  for (const { name, value, goal, pass } of rows) lines.push(`| ${name} | ${value} | ${goal} | ${pass === undefined ? 'not measured' : pass ? 'pass' : '**FAIL**'} |`);
  return lines.join('\n');
}

export function keyValueTable(header, rows) {
  return [`| ${header[0]} | ${header[1]} |`, '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${v} |`)].join('\n');
}

const BEGIN = '<!-- bench:begin (written by `npm run bench`; edit outside these markers) -->';
const END = '<!-- bench:end -->';

/**
 * Replaces one generated part of RESULTS.md, keeping what people wrote around it: the main benchmark's
 * (no section), or a room's (bench/rooms.mjs), each between markers of its own.
 */
export function writeResults(file, generated, section) {
  const begin = section ? `<!-- bench:begin ${section} (written by \`npm run bench\`) -->` : BEGIN;
  const end = section ? `<!-- bench:end ${section} -->` : END;
  const block = `${begin}\n${generated.trim()}\n${end}`;
  let text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : `# Benchmark results\n`;
  const start = text.indexOf(begin);
  const stop = text.indexOf(end);
  text = start >= 0 && stop > start ? text.slice(0, start) + block + text.slice(stop + end.length) : `${text.trimEnd()}\n\n${block}\n`;
  fs.writeFileSync(file, text);
}
