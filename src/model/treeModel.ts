import type { PortBinding } from './apiTypes';
import { modeLabel, securityMeaning, isRunning } from './classify';
import { escapeMarkdown } from './markdown';
import { naturalCompare } from './naturalOrder';
import { startedAt, stateText } from './uptime';
import { WORKSPACE_LABEL } from './workspaceSpec';
import type { ContainerSnapshot, EngineSnapshot } from './snapshot';

import { engineLabelOf, pathLabel, type NodePath } from './targets';

export type NoteKind = 'dood' | 'disconnected' | 'connecting' | 'empty' | 'limit';

export interface NoteModel {
  kind: NoteKind;
  id: string;
  text: string;
  detail?: string;
}

export type ChildModel =
  | { kind: 'container'; container: ContainerSnapshot; at: NodePath; /** What the row says when not the name (a Compose service, a pod's container). */ label?: string }
  | { kind: 'note'; note: NoteModel };

export function engineNodeId(engine: EngineSnapshot): string {
  return `engine:${engine.key}`;
}

export function containerNodeId(container: ContainerSnapshot): string {
  return `container:${container.engineKey}/${container.id}`;
}

/**
 * Ids of the row that shows an engine's containers: the engine's own row for a root engine, the
 * row of the container that runs it for an inner one (containerNodeId of that container, since an
 * inner engine's key is innerEngineKey of it). Only one of the two exists.
 */
export function engineRowIds(engineKey: string): string[] {
  return [`engine:${engineKey}`, `container:${engineKey}`];
}

/** Running first, then by name in natural order (build-2 before build-10): what a user looks for first is what is running. */
export function sortContainers(containers: readonly ContainerSnapshot[]): ContainerSnapshot[] {
  return [...containers].sort(
    (a, b) => Number(isRunning(b.summary)) - Number(isRunning(a.summary)) || naturalCompare(a.name, b.name),
  );
}

function statusNotes(engine: EngineSnapshot, ownerId: string): NoteModel[] {
  if (engine.status.kind === 'disconnected') {
    return [{ kind: 'disconnected', id: `${ownerId}:disconnected`, text: 'Disconnected', detail: engine.status.reason }];
  }
  if (engine.status.kind === 'connecting') {
    return [{ kind: 'connecting', id: `${ownerId}:connecting`, text: 'Connecting…' }];
  }
  return engine.containers.length === 0 ? [{ kind: 'empty', id: `${ownerId}:empty`, text: 'No containers' }] : [];
}

export function engineChildren(engine: EngineSnapshot, path: NodePath): ChildModel[] {
  const notes = statusNotes(engine, engineNodeId(engine));
  if (engine.status.kind !== 'connected') return notes.map((note) => ({ kind: 'note', note }));
  return [
    ...sortContainers(engine.containers).map((container) => ({
      kind: 'container' as const,
      container,
      at: { engine: path.engine, path: [...path.path, container.name] },
    })),
    ...notes.map((note) => ({ kind: 'note' as const, note })),
  ];
}

/** Under a DinD/Sysbox container: its engine's containers (children); under DooD: a note on siblings. */
export function containerChildren(container: ContainerSnapshot, path: NodePath, engineName: string): ChildModel[] {
  const children: ChildModel[] = container.inner ? engineChildren(container.inner, path) : [];
  if (container.notFollowed !== undefined) {
    children.push({ kind: 'note', note: { kind: 'limit', id: `${containerNodeId(container)}:limit`, text: container.notFollowed } });
  }
  const shared = container.classification.aliasOf;
  if (container.classification.dood && shared !== undefined && shared !== engineLabelOf(path)) {
    children.push({
      kind: 'note',
      note: {
        kind: 'dood',
        id: `${containerNodeId(container)}:dood`,
        text: `Talks to ${shared}: what it starts run there`,
        detail: `The Docker socket inside ${container.name} answers as engine ${shared}, so “docker ps” inside shows the containers of ${shared}.`,
      },
    });
  } else if (container.classification.dood) {
    children.push({
      kind: 'note',
      note: {
        kind: 'dood',
        id: `${containerNodeId(container)}:dood`,
        text: `Shares ${engineName}: what it starts are siblings, listed beside it`,
        detail: `${container.name} talks to the engine that runs it, so “docker ps” inside shows the same containers as ${engineName}.`,
      },
    });
  }
  return children;
}

export function hasChildren(container: ContainerSnapshot): boolean {
  return container.inner !== undefined || container.classification.dood || container.notFollowed !== undefined;
}

export function engineDescription(engine: EngineSnapshot): string {
  const version = engine.version?.Version ? `Docker ${engine.version.Version}` : '';
  if (engine.status.kind === 'disconnected') return `disconnected · ${engine.endpoint}`;
  if (engine.status.kind === 'connecting') return `connecting · ${engine.endpoint}`;
  return [version, engine.endpoint].filter(Boolean).join(' · ');
}

export function engineTooltipMarkdown(engine: EngineSnapshot): string {
  const lines = [
    `**Engine ${escapeMarkdown(engine.name)}**${engine.current ? ' (current context)' : ''}`,
    '',
    `- Endpoint: ${escapeMarkdown(engine.endpoint)}`,
  ];
  if (engine.version) {
    lines.push(`- Docker ${escapeMarkdown(engine.version.Version ?? '?')}, API ${escapeMarkdown(engine.version.ApiVersion ?? '?')}, ${escapeMarkdown(engine.version.Os ?? '')}/${escapeMarkdown(engine.version.Arch ?? '')}`);
  }
  if (engine.status.kind === 'disconnected') {
    lines.push(`- **Disconnected**: ${escapeMarkdown(engine.status.reason)}`);
    lines.push(engine.status.permanent ? '- Retrying will not help until the container changes.' : '- Reconnecting by itself; use Retry to try now.');
  } else {
    lines.push(`- ${engine.containers.length} containers, ${engine.containers.filter((c) => isRunning(c.summary)).length} running`);
  }
  return lines.join('\n');
}

/**
 * A container row's description, what matters first so a narrow side bar cuts the least of it:
 * the mode (none for a plain container) and whether Matryoshka launched it, the uptime or state,
 * then the image ("dind workspace · up 5 min · docker:dind").
 */
export function containerDescription(container: ContainerSnapshot, now = Date.now()): string {
  const image = container.summary.Image ?? container.inspect?.Config?.Image ?? '';
  const mode = container.classification.mode === 'plain' ? '' : modeLabel(container.classification);
  const workspace = container.summary.Labels?.[WORKSPACE_LABEL] !== undefined;
  const kind = [mode, workspace ? 'workspace' : ''].filter(Boolean).join(' ');
  return [kind, stateText(container, now), image].filter(Boolean).join(' · ');
}

function formatPort(port: PortBinding): string {
  const inside = `${port.PrivatePort ?? '?'}/${port.Type ?? 'tcp'}`;
  return port.PublicPort ? `${port.IP ?? ''}:${port.PublicPort} → ${inside}` : inside;
}

export function containerTooltipMarkdown(container: ContainerSnapshot, path: NodePath, now = Date.now()): string {
  const c = container.classification;
  const started = startedAt(container);
  const summary = container.summary;
  const e = escapeMarkdown;
  const lines = [
    `**${e(container.name)}** — ${e(modeLabel(c))}`,
    '',
    `- Where: ${e(pathLabel(path))}`,
    `- Id: ${e(container.id.slice(0, 12))}`,
    `- Image: ${e(summary.Image ?? '')}`,
    // Worked out at hover time: the engine's "Up 2 seconds" from the listing would go stale.
    `- State: ${e(stateText(container, now))}${started === undefined ? '' : `, started ${e(new Date(started).toLocaleString())}`}`,
    '',
    '**Why this mode**',
    '',
    ...c.evidence.map((line) => `- ${e(line)}`),
    '',
    '**What it means**',
    '',
    ...securityMeaning(c).map((line) => `- ${e(line)}`),
  ];
  const ports = summary.Ports ?? [];
  if (ports.length) lines.push('', '**Ports**', '', ...ports.map((p) => `- ${e(formatPort(p))}`));
  const mounts = container.inspect?.Mounts ?? summary.Mounts ?? [];
  if (mounts.length) {
    lines.push('', '**Mounts**', '', ...mounts.map((m) => `- ${e(m.Type ?? '')} ${e(m.Name ?? m.Source ?? '')} → ${e(m.Destination ?? '')}${m.RW === false ? ' (read-only)' : ''}`));
  }
  return lines.join('\n');
}
