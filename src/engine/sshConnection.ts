import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type Duplex } from 'node:stream';
import { Client, utils, type AuthenticationType, type AuthHandlerMiddleware, type ConnectConfig, type NextAuthHandler, type ServerHostKeyAlgorithm } from 'ssh2';
import { expandHome } from './endpoints';
import { HostKeyChecker, type UnknownHostKey } from './hostKeys';
import { knownHostName } from '../model/knownHosts';
import { TunnelSocket } from './tunnelSocket';

export interface SshTarget {
  host: string;
  port: number;
  username: string;
  identityFile?: string;
}

export function parseSshHost(host: string, identityFile?: string): SshTarget {
  const url = new URL(host);
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : 22,
    username: decodeURIComponent(url.username) || os.userInfo().username,
    identityFile,
  };
}

/**
 * OpenSSH allows 10 sessions per connection (MaxSessions); an engine with several inner engines
 * holds more relays than that, so a login carries at most this many and another one is opened
 * beside it when needed.
 */
const CHANNELS_PER_LOGIN = 8;

/** How long a login waits for a person's answer about a host key before it says that it is waiting. */
const ANSWER_GRACE_MS = 3000;

interface Login {
  client: Client;
  ready: Promise<Client>;
  channels: number;
  /** The server refused a channel: open no more on this login. */
  full: boolean;
}

/**
 * ssh logins shared by every request to a remote engine: each HTTP connection is a channel
 * (`docker system dial-stdio`) on an open login, instead of docker-modem's login per request.
 */
export class SshConnection {
  private logins: Login[] = [];

  constructor(
    private readonly target: SshTarget,
    private readonly log: (message: string) => void,
    private readonly hostKeys: HostKeyChecker = new HostKeyChecker({}, log),
  ) {}

  async openRelay(): Promise<Duplex> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const login = this.logins.find((l) => !l.full && l.channels < CHANNELS_PER_LOGIN) ?? this.connect();
      login.channels++;
      try {
        const client = await login.ready;
        return await this.exec(client, login);
      } catch (error) {
        login.channels--;
        if (!/open failed|Channel open failure/i.test((error as Error).message)) throw error;
        login.full = true;
      }
    }
    throw new Error(`ssh ${this.describe()}: the server refused more sessions; raise MaxSessions in its sshd_config`);
  }

  describe(): string {
    return `${this.target.username}@${this.target.host}:${this.target.port}`;
  }

  /** Logins open now (for tests: many requests must not mean many logins). */
  get openLogins(): number {
    return this.logins.length;
  }

  dispose(): void {
    for (const login of this.logins) login.client.end();
    this.logins = [];
  }

  private exec(client: Client, login: Login): Promise<Duplex> {
    return new Promise<Duplex>((resolve, reject) => {
      client.exec('docker system dial-stdio', (error, channel) => {
        if (error) return reject(new Error(`ssh ${this.describe()}: could not start docker system dial-stdio: ${error.message}`));
        channel.once('close', () => login.channels--);
        resolve(new TunnelSocket(channel, channel, channel.stderr, `ssh ${this.describe()}`));
      });
    });
  }

  private connect(): Login {
    const client = new Client();
    const forget = () => {
      this.logins = this.logins.filter((l) => l.client !== client);
    };
    // Why the host key was refused: ssh2 itself only says "verification failed".
    let refusal: Error | undefined;
    const ready = new Promise<Client>((resolve, reject) => {
      const fail = (error: Error) => {
        forget();
        reject(new Error(`ssh ${this.describe()}: ${error.message}`));
      };
      client.once('ready', () => resolve(client));
      // `on`, not `once`: a second error after the first (a socket closing late) must not go unhandled.
      client.on('error', (error) => fail(refusal ?? error));
      client.once('close', forget);
      try {
        this.hostKeys.beforeConnect(this.target.host, this.target.port);
        const giveUp = (error: Error) => {
          fail(error);
          client.end();
        };
        client.connect(this.connectConfig((error) => (refusal = error), giveUp));
      } catch (error) {
        fail(error as Error);
      }
    });
    const login: Login = { client, ready, channels: 0, full: false };
    this.logins.push(login);
    return login;
  }

  /**
   * `refused`: why the key was not accepted. `giveUp`: a person is still deciding about the key
   * after ANSWER_GRACE_MS; this login ends so that the row can say so (instead of a request deadline
   * passing), and the next attempt, once the answer is in known_hosts, connects.
   */
  private connectConfig(refused: (error: Error) => void, giveUp: (error: Error) => void): ConnectConfig {
    const { host, port } = this.target;
    const recorded = this.hostKeys.preferredKeyTypes(host, port).flatMap(hostKeyAlgorithms) as ServerHostKeyAlgorithm[];
    return {
      host,
      port,
      username: this.target.username,
      readyTimeout: 15_000,
      keepaliveInterval: 15_000,
      // Offer the key types on record first, as OpenSSH does, so the server presents the key we know.
      // (ssh2's prepend skips names already in its list: remove them first to move them up front.)
      algorithms: recorded.length ? { serverHostKey: { remove: recorded, prepend: recorded, append: [] } } : undefined,
      // ssh2 waits for this answer before it sends anything past the key exchange.
      hostVerifier: (key: Buffer, verify: (valid: boolean) => void) => {
        let waiting: NodeJS.Timeout | undefined;
        let abandoned = false;
        const asking = (question: UnknownHostKey) => {
          waiting ??= setTimeout(() => {
            abandoned = true;
            giveUp(new Error(`waiting for your answer about the host key of ${knownHostName(host, port)} (${question.fingerprint}) in the dialog; this engine connects once you trust it.`));
          }, ANSWER_GRACE_MS);
        };
        this.hostKeys.verify(host, port, key, asking).then(
          () => abandoned || verify(true),
          (error: Error) => {
            if (abandoned) return;
            refused(error);
            verify(false);
          },
        ).finally(() => clearTimeout(waiting));
      },
      authHandler: this.authHandler(),
    };
  }

  /**
   * ssh-agent first, then key files, as OpenSSH does. A key file that cannot be read or needs a
   * passphrase is skipped with a log line: it must not stand in the way of the agent or other keys.
   */
  private authHandler(): AuthHandlerMiddleware {
    const username = this.target.username;
    const agent = process.env.SSH_AUTH_SOCK;
    const files = this.target.identityFile ? [expandHome(this.target.identityFile)] : defaultIdentityFiles();
    const methods: (() => Parameters<NextAuthHandler>[0] | undefined)[] = [
      () => (agent ? { type: 'agent', username, agent } : undefined),
      ...files.map((file) => () => {
        const key = readPrivateKey(file, (why) => this.log(`ssh ${this.describe()}: skipping ${file}: ${why}`));
        return key ? { type: 'publickey' as const, username, key } : undefined;
      }),
    ];
    if (!agent && !files.some((file) => fs.existsSync(file))) {
      throw new Error('no ssh key: set "identityFile" for this engine, start ssh-agent, or create ~/.ssh/id_ed25519');
    }
    let next = 0;
    return (_left: AuthenticationType[] | null, _partial: boolean | null, callback: NextAuthHandler) => {
      while (next < methods.length) {
        const method = methods[next++]();
        if (!method) continue;
        this.log(`ssh ${this.describe()}: logging in with ${next === 1 ? 'ssh-agent' : files[next - 2]}`);
        return callback(method);
      }
      // ssh2 takes `false` for "no more methods"; its typings leave it out.
      callback(false as unknown as AuthenticationType);
    };
  }
}

/** Host key types ssh2 can check (it throws on any other name in its algorithm list). */
const SSH2_HOST_KEY_TYPES = new Set(['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'ssh-dss']);

/** RSA keys are recorded as ssh-rsa but signed with the SHA-2 algorithms. */
function hostKeyAlgorithms(keyType: string): string[] {
  if (keyType === 'ssh-rsa') return ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'];
  return SSH2_HOST_KEY_TYPES.has(keyType) ? [keyType] : [];
}

function readPrivateKey(file: string, skip: (why: string) => void): Buffer | undefined {
  let data: Buffer;
  try {
    data = fs.readFileSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') skip((error as Error).message);
    return undefined;
  }
  const parsed = utils.parseKey(data);
  if (parsed instanceof Error) {
    skip(/encrypted|passphrase/i.test(parsed.message) ? 'it needs a passphrase (add it to ssh-agent with ssh-add)' : parsed.message);
    return undefined;
  }
  return data;
}


function defaultIdentityFiles(): string[] {
  return ['id_ed25519', 'id_ecdsa', 'id_rsa'].map((name) => path.join(os.homedir(), '.ssh', name));
}
