import { isRunning } from './classify';
import type { ImageSummary } from './healthTypes';
import { escapeMarkdown } from './markdown';
import { formatSize } from './sizes';
import type { ContainerSnapshot, EngineSnapshot } from './snapshot';

/** One image of an engine as the Images node lists it. */
export interface ImageRow {
  id: string;
  shortId: string;
  /** The first tag, or `<none>` with the short id for an untagged image. */
  label: string;
  tags: string[];
  size: number;
  /** The containers of this engine made from it (any state), by name. */
  usedBy: string[];
  created?: number;
}

export function imageRows(images: readonly ImageSummary[], containers: readonly ContainerSnapshot[]): ImageRow[] {
  return images
    .map((image) => {
      const tags = (image.RepoTags ?? []).filter((t) => t !== '<none>:<none>');
      const shortId = image.Id.replace(/^sha256:/, '').slice(0, 12);
      return {
        id: image.Id,
        shortId,
        label: tags[0] ?? `<none> ${shortId}`,
        tags,
        size: image.Size ?? -1,
        created: image.Created,
        usedBy: containers.filter((c) => c.summary.ImageID === image.Id).map((c) => c.name).sort(),
      };
    })
    .sort((a, b) => Number(a.label.startsWith('<none>')) - Number(b.label.startsWith('<none>')) || a.label.localeCompare(b.label));
}

export function imageDescription(row: ImageRow): string {
  const use = row.usedBy.length ? `used by ${row.usedBy.join(', ')}` : 'unused';
  return `${formatSize(row.size)} · ${use}`;
}

export function imageTooltipMarkdown(row: ImageRow, engineLabel: string): string {
  const e = escapeMarkdown;
  const lines = [
    `**${e(row.label)}** on ${e(engineLabel)}`,
    '',
    `- Id: ${e(row.shortId)}`,
    `- Size: ${e(formatSize(row.size))}`,
    `- Tags: ${row.tags.length ? row.tags.map(e).join(', ') : 'none'}`,
  ];
  if (row.created) lines.push(`- Created: ${e(new Date(row.created * 1000).toISOString())}`);
  lines.push(`- Used by: ${row.usedBy.length ? row.usedBy.map(e).join(', ') : 'no container'}`);
  return lines.join('\n');
}

/** What `docker save` should name: a tag when there is one (the inner engine keeps it), else the id. */
export function imageReference(row: ImageRow): string {
  return row.tags[0] ?? row.id;
}

/** Containers of an engine that run a reachable engine of their own: where an image can be copied to. */
export function copyDestinations(engine: EngineSnapshot): ContainerSnapshot[] {
  return engine.containers.filter((c) => isRunning(c.summary) && c.inner?.status.kind === 'connected');
}
