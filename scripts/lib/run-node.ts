import { spawn } from 'node:child_process';

/**
 * Runs `node ARGS` in `root` and resolves once it exits 0; otherwise rejects with `what`, the
 * exit code and the end of what it wrote on stderr.
 */
export function runNode(root: string, args: string[], what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`${what} exited ${code}: ${stderr.slice(-800)}`)),
    );
  });
}
