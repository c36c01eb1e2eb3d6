import * as z from 'zod/mini';
import { MAX_FILTER_LENGTH } from './treeFilter';
import { UserFacingError } from './userFacingError';

/**
 * What `matryoshka.setFilter` takes from another extension or a keybinding. Strict: a misspelt or
 * extra field (`{ filter: "db" }`, `{ text, engine }`) is an error, not a silently cleared filter.
 */
export const filterArgumentSchema = z.strictObject({ text: z.string().check(z.maxLength(MAX_FILTER_LENGTH)) });

const USAGE = `matryoshka.setFilter takes { text: string } (at most ${MAX_FILTER_LENGTH} characters; an empty text clears the filter).`;

interface Issue {
  code: string;
  path: PropertyKey[];
  keys?: string[];
}

/** The filter text of a `{ text }` argument, or an error that says what was wrong with it and what to pass. */
export function parseFilterArgument(argument: unknown): string {
  const result = filterArgumentSchema.safeParse(argument);
  if (result.success) return result.data.text;
  const issues = result.error.issues as Issue[];
  // A misspelt field explains a missing text better than the missing text does.
  const issue = issues.find((i) => i.code === 'unrecognized_keys') ?? issues[0];
  throw new UserFacingError(`${USAGE} ${problem(issue, argument)}`);
}

function problem(issue: Issue, argument: unknown): string {
  if (issue.code === 'unrecognized_keys') return `It has no field ${(issue.keys ?? []).map((k) => JSON.stringify(k)).join(', ')}.`;
  if (issue.path.length === 0) {
    return typeof argument === 'string' ? `It got the text alone: pass { text: ${JSON.stringify(shortened(argument))} } instead.` : `It got ${kindOf(argument)}.`;
  }
  const text = (argument as { text?: unknown }).text;
  if (issue.code === 'too_big' && typeof text === 'string') return `The text given has ${text.length} characters.`;
  return `Its text is ${kindOf(text)}.`;
}

function shortened(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

function kindOf(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
