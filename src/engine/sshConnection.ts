import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Duplex } from 'node:stream';
import { Client, type ConnectConfig } from 'ssh2';
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

  constructor(private readonly target: SshTarget, private readonly log: (message: string) => void) {}

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
    const ready = new Promise<Client>((resolve, reject) => {
      client.once('ready', () => resolve(client));
      client.once('error', (error) => {
        forget();
        reject(new Error(`ssh ${this.describe()}: ${error.message}`));
      });
      client.once('close', forget);
      try {
        client.connect(this.connectConfig());
      } catch (error) {
        forget();
        reject(new Error(`ssh ${this.describe()}: ${(error as Error).message}`));
      }
    });
    const login: Login = { client, ready, channels: 0, full: false };
    this.logins.push(login);
    return login;
  }

  private connectConfig(): ConnectConfig {
    const config: ConnectConfig = {
      host: this.target.host,
      port: this.target.port,
      username: this.target.username,
      readyTimeout: 15_000,
      keepaliveInterval: 15_000,
    };
    const keyFile = this.target.identityFile ?? defaultIdentityFile();
    if (keyFile) config.privateKey = fs.readFileSync(keyFile);
    if (process.env.SSH_AUTH_SOCK) config.agent = process.env.SSH_AUTH_SOCK;
    if (!config.privateKey && !config.agent) {
      throw new Error('no ssh key: set "identityFile" for this engine, start ssh-agent, or create ~/.ssh/id_ed25519');
    }
    this.log(`ssh ${this.describe()}: logging in with ${keyFile ?? 'ssh-agent'}`);
    return config;
  }
}

function defaultIdentityFile(): string | undefined {
  const dir = path.join(os.homedir(), '.ssh');
  return ['id_ed25519', 'id_ecdsa', 'id_rsa'].map((name) => path.join(dir, name)).find((file) => fs.existsSync(file));
}
