import * as vscode from 'vscode';
import { ContainerFileError, ContainerFiles, type FileStat } from '../engine/containerFiles';
import type { FileKind } from '../model/containerPaths';
import { CONTAINER_SCHEME, ContainerUriError, containerUriPath, parseContainerUriPath, type ContainerFileAddress } from '../model/containerUri';
import { containerGone, containerIdGone, FileSignatures } from '../model/fileSignatures';
import { resolveTarget, TargetError } from '../model/targets';
import type { EngineService } from '../services/engineService';
import { MAX_FILE_SETTING, readFileSettings } from '../services/settings';

/**
 * The files of every container at every depth as a file system of the editor (URI form in
 * src/model/containerUri.ts). Each call resolves the URI's container against the latest listing,
 * so a URI kept across reloads, relay reconnects or a recreated container (same name) still
 * works. Change events: what Matryoshka itself wrote, and, for changes made by anything else, a
 * file whose editor gets focus is stat'ed again (one HEAD) and reported changed if it differs;
 * nothing polls.
 */
export class ContainerFileSystem implements vscode.FileSystemProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changed.event;
  /** One ContainerFiles per container (it remembers which tools the container lacks). */
  private readonly files = new Map<string, ContainerFiles>();
  /**
   * What each file read last looked like, to tell a change made by someone else on focus. An
   * entry goes when the file's last tab closes or its container is gone, and the oldest past
   * SIGNATURE_LIMIT (files that search or the Explorer read never get a tab).
   */
  private readonly seen = new FileSignatures(SIGNATURE_LIMIT);
  private readonly subscriptions: vscode.Disposable[] = [this.changed];

  constructor(private readonly engineService: EngineService, private readonly log: (message: string) => void) {
    this.subscriptions.push(
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        if (editor?.document.uri.scheme === CONTAINER_SCHEME) void this.recheck(editor.document.uri);
      }),
      vscode.window.tabGroups.onDidChangeTabs((event) => {
        if (event.closed.length) this.forgetClosed(event.closed);
      }),
      engineService.onDidChange(() => this.forgetRemoved()),
    );
  }

  /** Whether a file's signature is kept (for tests: what is kept, and that it does not grow). */
  remembers(uri: vscode.Uri): boolean {
    return this.seen.has(uri.toString());
  }

  private forgetClosed(closed: readonly vscode.Tab[]): void {
    const open = new Set(vscode.window.tabGroups.all.flatMap((group) => group.tabs).flatMap(tabUris).map((uri) => uri.toString()));
    for (const uri of closed.flatMap(tabUris)) {
      if (uri.scheme === CONTAINER_SCHEME && !open.has(uri.toString())) this.seen.delete(uri.toString());
    }
  }

  /** Containers gone from the listing take their signatures and their ContainerFiles with them. */
  private forgetRemoved(): void {
    const snapshot = this.engineService.snapshot();
    const gone = new Map<string, boolean>();
    this.seen.retain((key) => {
      const path = vscode.Uri.parse(key).path;
      const container = path.slice(0, path.indexOf('/-/') + 1);
      if (!gone.has(container)) {
        try {
          const address = parseContainerUriPath(path);
          gone.set(container, containerGone(snapshot, address.engine, address.path));
        } catch {
          gone.set(container, true);
        }
      }
      return !gone.get(container);
    });
    for (const key of [...this.files.keys()]) {
      const [engineKey, id] = key.split('\n');
      if (containerIdGone(snapshot, engineKey, id)) this.files.delete(key);
    }
  }

  static register(engineService: EngineService, log: (message: string) => void): ContainerFileSystem {
    const provider = new ContainerFileSystem(engineService, log);
    provider.subscriptions.push(vscode.workspace.registerFileSystemProvider(CONTAINER_SCHEME, provider, { isCaseSensitive: true }));
    return provider;
  }

  static uriFor(address: ContainerFileAddress): vscode.Uri {
    return vscode.Uri.from({ scheme: CONTAINER_SCHEME, path: containerUriPath(address) });
  }

  watch(): vscode.Disposable {
    // Events come from our own writes and from focus re-checks (see the class comment).
    return new vscode.Disposable(() => undefined);
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    return await this.run(uri, 'read', async (files, file) => {
      const stat = await files.stat(file);
      this.remember(uri, stat);
      return toFileStat(stat);
    });
  }

  async readDirectory(uri: vscode.Uri): Promise<[string, vscode.FileType][]> {
    return await this.run(uri, 'list', async (files, file) => (await files.readDirectory(file)).map((e) => [e.name, fileType(e.kind, e.targetKind)]));
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    return await this.run(uri, 'read', async (files, file) => {
      const { data, stat } = await files.read(file);
      // A symlink's own stat is what stat() reports for it: asked separately.
      await (stat ? Promise.resolve(stat) : files.stat(file)).then((s) => this.remember(uri, s), () => undefined);
      return data;
    });
  }

  async writeFile(uri: vscode.Uri, content: Uint8Array, options: { create: boolean; overwrite: boolean }): Promise<void> {
    await this.run(uri, 'write', async (files, file) => {
      const { created, stat } = await files.writeFile(file, content, options);
      await (stat ? Promise.resolve(stat) : files.stat(file)).then((s) => this.remember(uri, s), () => undefined);
      this.changed.fire([{ type: created ? vscode.FileChangeType.Created : vscode.FileChangeType.Changed, uri }]);
    });
  }

  async createDirectory(uri: vscode.Uri): Promise<void> {
    await this.run(uri, 'create', async (files, file) => {
      await files.createDirectory(file);
      this.changed.fire([{ type: vscode.FileChangeType.Created, uri }]);
    });
  }

  async delete(uri: vscode.Uri, options: { recursive: boolean }): Promise<void> {
    await this.run(uri, 'delete', async (files, file) => {
      await files.delete(file, options);
      this.seen.delete(uri.toString());
      this.changed.fire([{ type: vscode.FileChangeType.Deleted, uri }]);
    });
  }

  async rename(oldUri: vscode.Uri, newUri: vscode.Uri, options: { overwrite: boolean }): Promise<void> {
    const from = this.address(oldUri, 'rename');
    const to = this.address(newUri, 'rename');
    if (from.engine !== to.engine || from.path.join('\n') !== to.path.join('\n')) {
      throw vscode.FileSystemError.NoPermissions(`Cannot move ${from.file} to another container: copy it instead.`);
    }
    await this.run(oldUri, 'rename', async (files, file) => {
      await files.rename(file, to.file, options);
      this.changed.fire([{ type: vscode.FileChangeType.Deleted, uri: oldUri }, { type: vscode.FileChangeType.Created, uri: newUri }]);
    });
  }

  /** Refresh on a node: files below `uri` that were read are stat'ed again and reported if changed. */
  async recheckBelow(uri: vscode.Uri): Promise<void> {
    const prefix = uri.toString().replace(/\/?$/, '/');
    await Promise.all([...this.seen.keys()].filter((key) => key.startsWith(prefix) || key === uri.toString()).map((key) => this.recheck(vscode.Uri.parse(key))));
  }

  private async recheck(uri: vscode.Uri): Promise<void> {
    const before = this.seen.get(uri.toString());
    if (before === undefined) return;
    try {
      const { files, address } = await this.resolve(uri, 'read');
      const stat = await files.stat(address.file);
      this.remember(uri, stat);
      if (signature(stat) !== before) this.changed.fire([{ type: vscode.FileChangeType.Changed, uri }]);
    } catch {
      // Gone, or the engine is away: the editor says so when it next reads.
      this.seen.delete(uri.toString());
      this.changed.fire([{ type: vscode.FileChangeType.Deleted, uri }]);
    }
  }

  private remember(uri: vscode.Uri, stat: FileStat): void {
    if (stat.kind === 'file' || stat.targetKind === 'file') this.seen.set(uri.toString(), signature(stat));
  }

  private address(uri: vscode.Uri, verb: string): ContainerFileAddress {
    try {
      return parseContainerUriPath(uri.path);
    } catch (error) {
      if (error instanceof ContainerUriError) throw vscode.FileSystemError.FileNotFound(`Cannot ${verb} ${uri.toString()}: ${error.message}`);
      throw error;
    }
  }

  private async resolve(uri: vscode.Uri, verb: string): Promise<{ files: ContainerFiles; address: ContainerFileAddress }> {
    const address = this.address(uri, verb);
    await this.engineService.ready();
    const where = [address.engine, ...address.path].join(' › ');
    let resolved;
    try {
      resolved = resolveTarget(this.engineService.snapshot(), { engine: address.engine, path: address.path });
    } catch (error) {
      if (!(error instanceof TargetError)) throw error;
      throw vscode.FileSystemError.Unavailable(`Cannot ${verb} ${address.file} in container ${where}: the container is not there (removed, or its engine cannot be reached). ${error.message}`);
    }
    const engine = resolved.engines[resolved.engines.length - 1];
    const api = this.engineService.apiFor(engine.key);
    if (!api) throw vscode.FileSystemError.Unavailable(`Cannot ${verb} ${address.file} in container ${where}: its engine is not connected; refresh the Matryoshka view.`);
    const key = `${engine.key}\n${resolved.container.id}`;
    let files = this.files.get(key);
    if (!files || files.container.api !== api) {
      const settings = () => readFileSettings();
      files = new ContainerFiles({ api, id: resolved.container.id, label: where }, { maxFileBytes: () => settings().maxFileBytes, maxFileSetting: MAX_FILE_SETTING });
      this.files.set(key, files);
    }
    return { files, address };
  }

  private async run<T>(uri: vscode.Uri, verb: string, work: (files: ContainerFiles, file: string) => Promise<T>): Promise<T> {
    const { files, address } = await this.resolve(uri, verb);
    try {
      return await work(files, address.file);
    } catch (error) {
      // A missing file is the editor's everyday question (does it exist?), not a failure.
      if (!(error instanceof ContainerFileError && error.reason === 'not-found')) this.log(`${verb} ${uri.toString()}: ${(error as Error).message}`);
      throw toFileSystemError(error);
    }
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.files.clear();
  }
}

/** At most this many files' signatures are kept (a few hundred bytes each). */
const SIGNATURE_LIMIT = 256;

function tabUris(tab: vscode.Tab): vscode.Uri[] {
  const input = tab.input;
  if (input instanceof vscode.TabInputText) return [input.uri];
  if (input instanceof vscode.TabInputTextDiff) return [input.original, input.modified];
  return [];
}

function signature(stat: FileStat): string {
  return `${stat.size}:${stat.mtimeMs}:${stat.mode}`;
}

function fileType(kind: FileKind, targetKind?: FileKind): vscode.FileType {
  const base = (k: FileKind | undefined) => (k === 'directory' ? vscode.FileType.Directory : k === 'file' ? vscode.FileType.File : vscode.FileType.Unknown);
  if (kind === 'symlink') return vscode.FileType.SymbolicLink | base(targetKind);
  return base(kind);
}

function toFileStat(stat: FileStat): vscode.FileStat {
  return { type: fileType(stat.kind, stat.targetKind), ctime: stat.mtimeMs, mtime: stat.mtimeMs, size: stat.size };
}

function toFileSystemError(error: unknown): Error {
  if (error instanceof vscode.FileSystemError) return error;
  if (!(error instanceof ContainerFileError)) return vscode.FileSystemError.Unavailable((error as Error)?.message ?? String(error));
  switch (error.code) {
    case 'FileNotFound':
      return vscode.FileSystemError.FileNotFound(error.message);
    case 'FileExists':
      return vscode.FileSystemError.FileExists(error.message);
    case 'FileNotADirectory':
      return vscode.FileSystemError.FileNotADirectory(error.message);
    case 'FileIsADirectory':
      return vscode.FileSystemError.FileIsADirectory(error.message);
    case 'NoPermissions':
      return vscode.FileSystemError.NoPermissions(error.message);
    default:
      return vscode.FileSystemError.Unavailable(error.message);
  }
}
