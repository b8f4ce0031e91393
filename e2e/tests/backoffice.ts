// Starts the bundled back office for one test: a free loopback port, a fresh
// data folder, the demo tenant, the built terminal from dist/. Stopped after.
import { test as base } from '@playwright/test';
import { spawn, ChildProcess, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..');
const binary = process.env.POSSUM_BACKOFFICE ?? path.join(root, 'target', 'debug', 'possum-backoffice');

export const DEMO = {
  username: 'terminal.user@possum.com',
  password: 'SuperSecret123!',
};

export class BackOffice {
  constructor(readonly url: string, readonly dataDir: string, private readonly child: ChildProcess) {}

  /** Runs `possum-backoffice admin …` against this server's data folder. */
  admin(...args: string[]): string {
    return execFileSync(binary, ['admin', '--data-dir', this.dataDir, ...args], { encoding: 'utf8' });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
  }
}

export async function startBackOffice(dataDir?: string): Promise<BackOffice> {
  const dir = dataDir ?? mkdtempSync(path.join(tmpdir(), 'possum-e2e-'));
  const child = spawn(
    binary,
    ['serve', '--addr', '127.0.0.1:0', '--data-dir', dir, '--demo', '--dist', path.join(root, 'dist')],
    { env: { ...process.env, RUST_LOG: 'info', NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`back office did not start:\n${seen}`)), 30_000);
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      const match = seen.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`back office exited with ${code}:\n${seen}`)));
  });
  return new BackOffice(url, dir, child);
}

export const test = base.extend<{ backOffice: BackOffice }>({
  backOffice: async ({}, use) => {
    const server = await startBackOffice();
    await use(server);
    await server.stop();
    rmSync(server.dataDir, { recursive: true, force: true });
  },
});

export { expect } from '@playwright/test';
