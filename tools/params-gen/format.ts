/** Formats generated TypeScript with the project's biome settings, so committed files are stable. */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export function formatTs(root: string, relPath: string, text: string): string {
  const biome = join(root, 'node_modules', '.bin', 'biome');
  return execFileSync(biome, ['format', `--stdin-file-path=${relPath}`], {
    cwd: root,
    input: text,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
}
