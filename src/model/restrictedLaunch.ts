import type { WorkspaceRequest } from './workspaceSpec';

export interface RestrictedLaunch extends Pick<WorkspaceRequest, 'mode' | 'name' | 'image' | 'folder' | 'runtime' | 'publish'> {
  /** The engine's label, e.g. "default › ci-runner". */
  engine: string;
  modeName: string;
  risks: { flag: string; meaning: string }[];
  /** The folder's own settings that were ignored, as `matryoshka.key = value`. */
  ignored: string[];
  /** Where the image came from: "typed by you", "given by the command's caller", "your user settings or the default". */
  imageFrom: string;
}

/**
 * The question asked before every launch in Restricted Mode. It names exactly what will be created
 * (image, mounts, flags), says that the untrusted folder's settings played no part, and how to use
 * them: the person decides on what they can see, not on what the folder asked for.
 */
export function restrictedLaunchQuestion(launch: RestrictedLaunch): { message: string; detail: string } {
  const flags = launch.risks.map((r) => r.flag);
  const message = `Restricted Mode: launch the ${launch.modeName} workspace ${launch.name} on ${launch.engine}${flags.length ? ` with ${flags.join(' and ')}` : ''}?`;
  const what = [
    `Image: ${launch.image} (${launch.imageFrom})`,
    ...(launch.runtime ? [`Runtime: ${launch.runtime}`] : []),
    `Folder mounted: ${launch.folder ?? 'none'}`,
    ...(launch.mode === 'dood' ? [] : [`Inner engine: ${launch.publish ? 'published on 127.0.0.1 with TLS' : 'private'}`]),
  ];
  const ignored = launch.ignored.length
    ? `This folder is not trusted, so its own Matryoshka settings are ignored:\n${launch.ignored.map((s) => `  ${s}`).join('\n')}`
    : 'This folder is not trusted, so its own Matryoshka settings (if any) are ignored.';
  const detail = [
    what.join('\n'),
    ...launch.risks.map((r) => `${r.flag}: ${r.meaning}`),
    ignored,
    'Only your user settings and the defaults fill in what was not given. To use the folder\'s settings, trust the folder (Manage Workspace Trust) and launch again.',
  ].join('\n\n');
  return { message, detail };
}
