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
 * One ssh login shared by every request to a remote engine: each HTTP connection is a channel
 * (`docker system dial-stdio`) on the same session, instead of docker-modem's login per request.
 * The session is opened on first use and again after it drops.
 */
export class SshConnection {
  private client: Client | undefined;
  private ready: Promise<Client> | undefined;

  constructor(private readonly target: SshTarget, private readonly log: (message: string) => void) {}

  async openRelay(): Promise<Duplex> {
    const client = await this.connect();
    return new Promise<Duplex>((resolve, reject) => {
      client.exec('docker system dial-stdio', (error, channel) => {
        if (error) return reject(new Error(`ssh ${this.describe()}: could not start docker system dial-stdio: ${error.message}`));
        resolve(new TunnelSocket(channel, channel, channel.stderr, `ssh ${this.describe()}`));
      });
    });
  }

  describe(): string {
    return `${this.target.username}@${this.target.host}:${this.target.port}`;
  }

  dispose(): void {
    this.client?.end();
    this.client = undefined;
    this.ready = undefined;
  }

  private connect(): Promise<Client> {
    if (this.ready) return this.ready;
    const client = new Client();
    this.client = client;
    this.ready = new Promise<Client>((resolve, reject) => {
      client.once('ready', () => resolve(client));
      client.once('error', (error) => {
        this.forget(client);
        reject(new Error(`ssh ${this.describe()}: ${error.message}`));
      });
      client.once('close', () => this.forget(client));
      try {
        client.connect(this.connectConfig());
      } catch (error) {
        this.forget(client);
        reject(new Error(`ssh ${this.describe()}: ${(error as Error).message}`));
      }
    });
    return this.ready;
  }

  private forget(client: Client): void {
    if (this.client !== client) return;
    this.client = undefined;
    this.ready = undefined;
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
    this.log(`ssh ${this.describe()}: connecting with ${keyFile ? keyFile : 'ssh-agent'}`);
    return config;
  }
}

function defaultIdentityFile(): string | undefined {
  const dir = path.join(os.homedir(), '.ssh');
  return ['id_ed25519', 'id_ecdsa', 'id_rsa'].map((name) => path.join(dir, name)).find((file) => fs.existsSync(file));
}
