import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  checkHostKey,
  keyTypeOf,
  knownHostLine,
  knownHostName,
  knownKeyTypes,
  parseKnownHosts,
  sha256Fingerprint,
  type KnownHostEntry,
} from '../model/knownHosts';

/** What the person is asked about a host that no known_hosts file names. */
export interface UnknownHostKey {
  host: string;
  port: number;
  keyType: string;
  /** `SHA256:…`, as ssh prints it. */
  fingerprint: string;
}

export interface HostKeyPolicy {
  /**
   * known_hosts files to read; a trusted key is appended to the first. Default: OpenSSH's
   * ~/.ssh/known_hosts, ~/.ssh/known_hosts2 and /etc/ssh/ssh_known_hosts.
   */
  knownHostsFiles?: readonly string[] | (() => readonly string[]);
  /**
   * Asks the person whether to trust an unknown host's key. Absent, or `mayAsk()` false (Restricted
   * Mode): an unknown host is not contacted at all.
   */
  confirmUnknownHost?: (question: UnknownHostKey) => Promise<boolean>;
  mayAsk?: () => boolean;
}

export function defaultKnownHostsFiles(home = os.homedir()): string[] {
  return [path.join(home, '.ssh', 'known_hosts'), path.join(home, '.ssh', 'known_hosts2'), '/etc/ssh/ssh_known_hosts'];
}

/**
 * Checks ssh host keys against known_hosts for every ssh engine of a session, so that many logins
 * to one host at once (an engine's relays, several engines on one box) ask the person at most once.
 */
export class HostKeyChecker {
  /** Answers given or pending this session, by host name and fingerprint. */
  private readonly answers = new Map<string, Promise<boolean>>();

  constructor(private readonly policy: HostKeyPolicy = {}, private readonly log: (message: string) => void = () => undefined) {}

  private get files(): readonly string[] {
    const files = typeof this.policy.knownHostsFiles === 'function' ? this.policy.knownHostsFiles() : this.policy.knownHostsFiles;
    return files?.length ? files : defaultKnownHostsFiles();
  }

  /** Types to offer first in the handshake, so that a server presents the key on record. */
  preferredKeyTypes(host: string, port: number): string[] {
    return knownKeyTypes(this.entries(), host, port);
  }

  /** Throws, before any connection is made, when the host is unknown and may not be asked about. */
  beforeConnect(host: string, port: number): void {
    if (this.preferredKeyTypes(host, port).length > 0 || this.mayAsk()) return;
    throw new Error(
      `${knownHostName(host, port)} is not in ${this.files[0]}, and Matryoshka does not contact unknown ssh hosts ` +
        'in Restricted Mode: trust this workspace to be asked about its key, or add the key with ssh-keyscan after checking its fingerprint.',
    );
  }

  /**
   * Resolves when the key may be used; rejects with the reason otherwise. Nothing is sent before.
   * `waiting` is told when the answer depends on a person (asked now, or being asked already).
   */
  async verify(host: string, port: number, blob: Buffer, waiting?: (question: UnknownHostKey) => void): Promise<void> {
    const name = knownHostName(host, port);
    const fingerprint = sha256Fingerprint(blob);
    const verdict = checkHostKey(this.entries(), host, port, blob);
    if (verdict.kind === 'known') return;
    if (verdict.kind === 'revoked') {
      throw new Error(`the host key of ${name} (${fingerprint}) is marked @revoked in known_hosts line ${verdict.entry.line}; refusing to connect.`);
    }
    if (verdict.kind === 'changed') {
      throw new Error(
        `WARNING: the host key of ${name} changed: it now presents ${keyTypeOf(blob)} ${fingerprint}, which is not the key on record ` +
          `(${describeRecorded(verdict.entries)}). Someone may be impersonating the host; Matryoshka refused to connect and sent nothing. ` +
          `If the change is expected, remove the old line with \`ssh-keygen -R "${name}"\` and refresh.`,
      );
    }
    if (!this.mayAsk()) {
      throw new Error(`${name} is not in known_hosts and unknown hosts are not trusted in Restricted Mode; trust the workspace to be asked.`);
    }
    const question: UnknownHostKey = { host, port, keyType: keyTypeOf(blob), fingerprint };
    const key = `${name} ${fingerprint}`;
    let answer = this.answers.get(key);
    if (!answer) {
      answer = this.ask(question, blob);
      this.answers.set(key, answer);
    }
    waiting?.(question);
    if (!(await answer)) throw new Error(`the host key of ${name} (${fingerprint}) was not trusted; nothing was sent. You are not asked again until VS Code restarts.`);
  }

  private async ask(question: UnknownHostKey, blob: Buffer): Promise<boolean> {
    const confirm = this.policy.confirmUnknownHost as (q: UnknownHostKey) => Promise<boolean>;
    const trusted = await confirm(question).catch(() => false);
    if (!trusted) return false;
    const line = knownHostLine(question.host, question.port, blob);
    try {
      appendKnownHost(this.files[0], line);
    } catch (error) {
      throw new Error(`the key of ${knownHostName(question.host, question.port)} was trusted but could not be added to ${this.files[0]}: ${(error as Error).message}`);
    }
    this.log(`ssh ${knownHostName(question.host, question.port)}: trusted ${question.keyType} ${question.fingerprint}, added to ${this.files[0]}`);
    return true;
  }

  private mayAsk(): boolean {
    return this.policy.confirmUnknownHost !== undefined && (this.policy.mayAsk?.() ?? true);
  }

  private entries(): KnownHostEntry[] {
    return this.files.flatMap((file) => {
      try {
        return parseKnownHosts(fs.readFileSync(file, 'utf8'));
      } catch {
        return [];
      }
    });
  }
}

function describeRecorded(entries: readonly KnownHostEntry[]): string {
  return entries.map((e) => `${e.keyType} ${sha256Fingerprint(Buffer.from(e.key, 'base64'))}`).join(', ');
}

/** Appends a line, creating ~/.ssh (0700) and the file (0600) as ssh does. */
export function appendKnownHost(file: string, line: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  let text = line + '\n';
  try {
    const current = fs.readFileSync(file, 'utf8');
    if (current.length > 0 && !current.endsWith('\n')) text = '\n' + text;
  } catch {
    // No file yet: appendFile creates it with the mode below.
  }
  fs.appendFileSync(file, text, { mode: 0o600 });
}
