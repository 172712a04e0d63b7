/**
 * The Debian package on this machine: `npm run deb` builds it, dpkg installs it for real (root),
 * the installed unit passes `systemd-analyze verify` (no systemd runs here to start it), the
 * installed binary reports package.json's version and refuses an invalid setting from its
 * environment, and a purge removes it again.
 */
import { existsSync, readFileSync } from 'node:fs';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { name: string; version: string };

describe('npm run deb', () => {
  afterAll(async () => {
    await execa('dpkg', ['--purge', pkg.name], { reject: false });
  });

  it('builds a package that installs, verifies and runs', { timeout: 600_000 }, async () => {
    const built = await execa('bash', ['scripts/deb'], { reject: false });
    expect(built.exitCode, built.stderr).toBe(0);
    const deb = built.stdout.trim().split('\n').at(-1) ?? '';
    expect(deb).toMatch(new RegExp(`${pkg.name}_${pkg.version}_all\\.deb$`));

    const fields = await execa('dpkg-deb', ['--field', deb, 'Package', 'Version', 'Depends']);
    expect(fields.stdout).toContain(`Version: ${pkg.version}`);
    expect(fields.stdout).toMatch(/Depends: nodejs \(>= 20\.12\)/);

    const install = await execa('dpkg', ['-i', deb], { reject: false });
    expect(install.exitCode, install.stderr).toBe(0);
    expect(existsSync('/etc/kubestack-agent/agent.env')).toBe(true);

    const verify = await execa('systemd-analyze', ['verify', '/lib/systemd/system/kubestack-agent.service'], {
      reject: false,
    });
    expect(verify.exitCode, verify.stderr).toBe(0);
    expect(verify.stderr).toBe('');

    const version = await execa('/usr/bin/kubestack-agent', ['--version'], { cwd: '/' });
    expect(version.stdout.trim()).toBe(pkg.version);
    const ops = await execa('/usr/bin/kubestack-agent', ['ops', '--implemented', '--json'], { cwd: '/' });
    expect((JSON.parse(ops.stdout) as { operations: unknown[] }).operations.length).toBeGreaterThan(0);

    const refused = await execa('/usr/bin/kubestack-agent', ['run'], {
      cwd: '/',
      reject: false,
      env: { KUBESTACK_NAMESPACES: 'default    # comma-separated' },
      timeout: 30_000,
    });
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toMatch(/KUBESTACK_NAMESPACES: .*not a valid value/);

    const purge = await execa('dpkg', ['--purge', pkg.name], { reject: false });
    expect(purge.exitCode, purge.stderr).toBe(0);
    expect(existsSync('/usr/bin/kubestack-agent')).toBe(false);
  });
});
