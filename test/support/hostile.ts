import fc from 'fast-check';
import type { ContainerInspect, ContainerSummary } from '../../src/model/apiTypes';
import { classify } from '../../src/model/classify';
import { containerName, type ContainerSnapshot } from '../../src/model/snapshot';
import { recordedEngine } from './recorded';

/** One seed for every property, printed by fast-check on failure; FC_SEED=… replays another run. */
export const SEED = Number(process.env.FC_SEED ?? 20250909);
/** Cases per property (FC_RUNS=… for more). */
export const RUNS = Number(process.env.FC_RUNS ?? 2000);

/** The cases the issue names, and their relatives. */
export const NAMED_CASES = [
  '<img src=x onerror=alert(1)>',
  '"><script>alert(document.domain)</script>',
  '```\n[Run me](command:workbench.action.terminal.new)',
  '~~~\n</code>[x](command:matryoshka.remove?%5B%5D "t")',
  '[Click](command:workbench.action.quit)',
  '![i](https://attacker.example/x.png)',
  '<https://attacker.example>',
  'https://attacker.example/a www.attacker.example me@attacker.example',
  '\u202Egnp.exe',
  'a\u0000b',
  '\u001b]8;;command:workbench.action.quit\u0007link\u001b]8;;\u0007',
  '$(alert) $(loading~spin)',
  '&lt;b&gt; &#60;b&#62; &amp;',
  ' leading and trailing \u00a0',
  '*a* _b_ `c` ~~d~~ # h\n> q\n- l\n1. l\n---\n|a|b|\n|-|-|',
  'line\r\nbreak\u2028sep\u2029para\u0085nel',
  '\\',
  '\ud800 lone surrogate',
];

const TOKENS = [
  '<', '>', '"', "'", '`', '```', '~~~', '[', ']', '(', ')', '](', '!', 'command:', 'javascript:', 'https://', 'file:',
  'www.', '$(', '\\', '&', '&amp;', '&#60;', '#', '*', '**', '_', '|', '\n', '\r', '\t', '\0', '\u202e', '\u2066', '\u200b',
  '\u001b', '\u2028', '\u00a0', 'onerror=', '<script>', '<img src=x ', ' ', '=', '/', ':', '@', '.', '%', '{', '}', '-', '+',
];

const tokenString = fc
  .array(fc.oneof(fc.constantFrom(...TOKENS), fc.string({ maxLength: 4 }), fc.string({ unit: 'binary', maxLength: 3 })), { minLength: 1, maxLength: 24 })
  .map((parts) => parts.join(''));

/** About 10 kB of hostile text. */
const long = fc.tuple(fc.constantFrom(...NAMED_CASES), tokenString).map(([a, b]) => {
  const unit = `${a}${b}`;
  return unit.repeat(Math.ceil(10240 / unit.length)).slice(0, 10240);
});

/** Engine text: named cases, token soup, any code points, 10 kB; never empty (Docker names are not). */
export const hostile: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NAMED_CASES) },
  { weight: 8, arbitrary: tokenString },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }) },
  { weight: 1, arbitrary: long },
).filter((text) => text.length > 0);

/** Which string fields of a recorded container the engine's text replaces. */
export interface HostileFields {
  name: string;
  image: string;
  command: string;
  state: string;
  status: string;
  label: string;
  mountSource: string;
  mountDestination: string;
}

export const hostileFields: fc.Arbitrary<HostileFields> = fc.record({
  name: hostile,
  image: hostile,
  command: hostile,
  state: hostile,
  status: hostile,
  label: hostile,
  mountSource: hostile,
  mountDestination: hostile,
});

const host = recordedEngine('host');

/**
 * A recorded container (index into the host recording) as an engine that lies would return it:
 * the recorded JSON with its strings replaced, classified by the real code.
 */
export function hostileContainer(index: number, f: HostileFields): ContainerSnapshot {
  const recorded = host.containers[index % host.containers.length];
  const summary: ContainerSummary = structuredClone(recorded);
  summary.Names = [`/${f.name}`];
  summary.Image = f.image;
  summary.Command = f.command;
  summary.State = f.state;
  summary.Status = f.status;
  summary.Labels = { ...(summary.Labels ?? {}), [f.label]: f.label };
  summary.Mounts = [...(summary.Mounts ?? []), { Type: 'bind', Source: f.mountSource, Destination: f.mountDestination, RW: false }];
  const inspectRecorded = host.inspect.get(recorded.Id);
  const inspect: ContainerInspect | undefined = inspectRecorded ? structuredClone(inspectRecorded) : undefined;
  if (inspect) {
    inspect.Name = `/${f.name}`;
    inspect.Mounts = summary.Mounts;
    if (inspect.Config) inspect.Config.Image = f.image;
  }
  return {
    engineKey: 'default',
    id: summary.Id,
    name: containerName(summary),
    summary,
    inspect,
    classification: classify({ summary, inspect, engineSocketPaths: ['/var/run/docker.sock'], sysboxRuntimes: ['sysbox-runc'], probe: { answered: false, reason: f.status } }),
  };
}

export const recordedCount = host.containers.length;
