import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/errors.js';
import { createRegistry } from '../../../src/executors/registry.js';
import { validateParams } from '../../../src/executors/schema.js';
import { ALLOWED_ROOTS } from '../../../src/paths.js';
import { parseSize } from '../../../src/sizes.js';

const registry = createRegistry([]);
const deleteDisk = registry.lookup('VirtualMachineDisk', 'deleteDisk')!;
const plugDisk = registry.lookup('VirtualMachine', 'plugDisk')!;
const startPool = registry.lookup('VirtualMachinePool', 'autoStartPool')!;

const nameChar = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789.-'.split(''));

describe('properties of the shared primitives', () => {
  it('a name is accepted exactly when it is 4–100 of [a-z0-9.-]', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 120 }),
          fc.array(nameChar, { maxLength: 110 }).map((a) => a.join('')),
        ),
        (pool) => {
          const good = /^[a-z0-9.-]{4,100}$/.test(pool);
          let accepted = true;
          try {
            validateParams(deleteDisk, { type: 'localfs', pool });
          } catch (err) {
            if (pool === '') return true; // empty means "not given": reported as required
            expect(err).toBeInstanceOf(ValidationError);
            expect((err as ValidationError).field).toBe('pool');
            accepted = false;
          }
          expect(accepted).toBe(good);
          return true;
        },
      ),
      { numRuns: 400 },
    );
  });

  it('a confined path never resolves outside the allowed roots, whatever the .. and . segments', () => {
    const segment = fc.constantFrom(
      '..',
      '.',
      'images',
      'a.qcow2',
      'lib',
      'libvirt',
      'var',
      'etc',
      'mnt',
      'usb',
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...ALLOWED_ROOTS, '/', '/var', '/etc'),
        fc.array(segment, { minLength: 1, maxLength: 8 }),
        (root, segs) => {
          const source = `${root}/${segs.join('/')}`.replace(/^\/\//, '/');
          try {
            const out = validateParams(plugDisk, { source, target: 'vdb' }).source as string;
            expect(ALLOWED_ROOTS.some((r) => out.startsWith(`${r}/`))).toBe(true);
            expect(out.split('/')).not.toContain('..');
          } catch (err) {
            expect((err as ValidationError).field).toBe('source');
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('sizes with binary suffixes scale exactly', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100_000 }),
        fc.constantFrom(['K', 1024], ['M', 1024 ** 2], ['G', 1024 ** 3]),
        (n, [suffix, factor]) => {
          expect(parseSize(`${n}${suffix}`, 'B')).toBe(n * (factor as number));
          expect(parseSize(`${n}${suffix}iB`, 'B')).toBe(n * (factor as number));
          expect(parseSize(String(n), 'KiB')).toBe(n);
        },
      ),
    );
  });

  it('booleans are read in any letter case', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }), (b, upper) => {
        const text = String(b)
          .split('')
          .map((c, i) => (upper[i] ? c.toUpperCase() : c))
          .join('');
        expect(validateParams(startPool, { disable: text }).disable).toBe(b);
      }),
    );
  });
});
