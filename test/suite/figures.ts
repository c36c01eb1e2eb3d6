// Figures that suites measure (not a test file: index.ts loads *.test.js only).
import * as fs from 'node:fs';

/** Adds `figures` under `key` to the file MATRYOSHKA_FIGURES names (other suites write there too). */
export function recordFigures(key: string, figures: Record<string, unknown>): void {
  const file = process.env.MATRYOSHKA_FIGURES;
  if (!file) return;
  let all: Record<string, unknown> = {};
  try {
    all = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    // No figures yet.
  }
  fs.writeFileSync(file, JSON.stringify({ ...all, [key]: figures }, null, 2));
}

/** Sleeps without blocking the extension host. */
export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
