import * as os from 'node:os';
import * as vscode from 'vscode';
import { HostKeyChecker, defaultKnownHostsFiles, type UnknownHostKey } from '../engine/hostKeys';
import { notificationText } from '../model/markdown';

/**
 * The host key checker of this VS Code session: asks in a modal about a host no known_hosts file
 * names, and never in Restricted Mode (an unknown host is then not contacted). Tests point it at
 * their own known_hosts with MATRYOSHKA_KNOWN_HOSTS, read here only, never by the engine layer.
 */
export function newHostKeyChecker(log: (message: string) => void): HostKeyChecker {
  const override = () => process.env.MATRYOSHKA_KNOWN_HOSTS;
  return new HostKeyChecker(
    {
      knownHostsFiles: () => {
        const file = override();
        return file ? [file] : defaultKnownHostsFiles();
      },
      mayAsk: () => vscode.workspace.isTrusted,
      confirmUnknownHost: (question) => confirmUnknownHost(question, override() ?? '~/.ssh/known_hosts'),
    },
    log,
  );
}

async function confirmUnknownHost(question: UnknownHostKey, file: string): Promise<boolean> {
  const where = question.port === 22 ? question.host : `${question.host}:${question.port}`;
  const trust = 'Trust';
  const answer = await vscode.window.showWarningMessage(
    notificationText(`The authenticity of ssh host ${where} can't be established.`),
    {
      modal: true,
      detail: notificationText(
        `${question.keyType} key fingerprint is ${question.fingerprint}.\n\n` +
          `Compare it with the server's own (ssh-keygen -lf on its host key) before you trust it. ` +
          `Trust adds the key to ${file.replace(os.homedir(), '~')}; until then nothing is sent to this host.`,
      ),
    },
    trust,
  );
  return answer === trust;
}
