import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KubestackError, ValidationError } from '../../../src/errors.js';
import {
  parseBoot,
  parseCdrom,
  parseCputune,
  parseDisk,
  parseGraphics,
  parseMemory,
  parseMetadata,
  parseNetwork,
  parseRedirdev,
  parseVcpus,
} from '../../../src/libvirt/domain-xml/index.js';
import { ALLOWED_ROOTS, confinePath } from '../../../src/paths.js';

const segment = fc.stringMatching(/^[a-z0-9_-][a-z0-9._-]{0,15}$/).filter((s) => s !== '.' && s !== '..');
const confinedPath = fc
  .tuple(fc.constantFrom(...ALLOWED_ROOTS), fc.array(segment, { minLength: 2, maxLength: 5 }))
  .map(([root, segs]) => `${root}/${segs.join('/')}`)
  .filter((p) => p.length >= 18);

/** Any parser, on any input: a value or a KubestackError, never another exception. */
function onlyFamilyErrors(parse: (s: string) => unknown) {
  fc.assert(
    fc.property(fc.string({ maxLength: 80 }), (s) => {
      try {
        parse(s);
      } catch (err) {
        expect(err).toBeInstanceOf(KubestackError);
      }
    }),
    { numRuns: 300 },
  );
}

describe('every parser throws only the error family on arbitrary input', () => {
  const parsers: Record<string, (s: string) => unknown> = {
    disk: (s) => parseDisk(s),
    network: (s) => parseNetwork(s),
    graphics: (s) => parseGraphics(s),
    vcpus: (s) => parseVcpus(s),
    memory: (s) => parseMemory(s),
    cdrom: (s) => parseCdrom(s),
    boot: (s) => parseBoot(s),
    cputune: (s) => parseCputune(s),
    redirdev: (s) => parseRedirdev(s),
    metadata: (s) => parseMetadata(s),
  };
  for (const [name, parse] of Object.entries(parsers)) it(name, () => onlyFamilyErrors(parse));

  it('disk, on strings built from its own alphabet', () => {
    const alphabet = fc.constantFrom(
      '/',
      'var',
      'lib',
      'libvirt',
      ',',
      '=',
      'device',
      'cdrom',
      ' --disk ',
      '..',
      'a',
      '1',
    );
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 20 }), (parts) => {
        try {
          parseDisk(parts.join(''));
        } catch (err) {
          expect(err).toBeInstanceOf(ValidationError);
        }
      }),
    );
  });
});

describe('confinePath', () => {
  it('whatever it returns is strictly below a root and has no dot segments', () => {
    const noisy = fc
      .array(
        fc.constantFrom('/var/lib/libvirt', '/mnt/usb', '/', '..', '.', 'images', 'a.qcow2', '//', 'etc'),
        {
          maxLength: 12,
        },
      )
      .map((p) => p.join('/'));
    fc.assert(
      fc.property(noisy, (p) => {
        let out: string;
        try {
          out = confinePath(p, 'path');
        } catch (err) {
          expect(err).toBeInstanceOf(ValidationError);
          return;
        }
        expect(ALLOWED_ROOTS.some((r) => out.startsWith(`${r}/`))).toBe(true);
        expect(out.split('/')).not.toContain('..');
        expect(out.split('/')).not.toContain('.');
      }),
      { numRuns: 2000 },
    );
  });

  it('accepts every well-formed confined path unchanged', () => {
    fc.assert(
      fc.property(confinedPath, (p) => {
        expect(confinePath(p, 'path')).toBe(p);
      }),
    );
  });
});

describe('disk', () => {
  const tuneValue = fc.integer({ min: 0, max: 9_999_999_999 });
  const diskSpec = fc.record({
    path: confinedPath,
    format: fc.option(fc.constantFrom('qcow2', 'raw'), { nil: undefined }),
    bus: fc.option(fc.constantFrom('virtio', 'ide', 'scsi', 'sata', 'usb'), { nil: undefined }),
    readBytes: fc.option(tuneValue, { nil: undefined }),
    writeIops: fc.option(fc.integer({ min: 0, max: 99_999 }), { nil: undefined }),
  });

  it('parses any list of valid specs back into the same values', () => {
    fc.assert(
      fc.property(fc.array(diskSpec, { minLength: 1, maxLength: 5 }), (specs) => {
        const text = specs
          .map((d) =>
            [
              d.path,
              d.format && `format=${d.format}`,
              d.bus && `bus=${d.bus}`,
              d.readBytes !== undefined && `read_bytes_sec=${d.readBytes}`,
              d.writeIops !== undefined && `write_iops_sec=${d.writeIops}`,
            ]
              .filter(Boolean)
              .join(','),
          )
          .join(' --disk ');
        const parsed = parseDisk(text);
        expect(parsed.map((d) => d.path)).toEqual(specs.map((d) => d.path));
        expect(parsed.map((d) => d.format)).toEqual(specs.map((d) => d.format));
        expect(parsed.map((d) => d.bus)).toEqual(specs.map((d) => d.bus));
        expect(parsed.map((d) => d.iotune.readBytesSec)).toEqual(specs.map((d) => d.readBytes));
        expect(parsed.map((d) => d.iotune.writeIopsSec)).toEqual(specs.map((d) => d.writeIops));
      }),
    );
  });

  it('rejects out-of-range limits with the key and the disk number', () => {
    fc.assert(
      fc.property(
        fc.array(confinedPath, { minLength: 0, maxLength: 3 }),
        confinedPath,
        fc.integer({ min: 100_000, max: 10_000_000 }),
        (before, path, iops) => {
          const text = [...before, `${path},read_iops_sec=${iops}`].join(' --disk ');
          expect(() => parseDisk(text)).toThrow(
            `disk #${before.length + 1}, read_iops_sec must be between 0 and 99999`,
          );
        },
      ),
    );
  });
});

describe('network', () => {
  const mac = fc
    .tuple(
      fc.integer({ min: 0, max: 0xfd }).filter((b) => b % 2 === 0),
      fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 5, maxLength: 5 }),
    )
    .map(([first, rest]) => [first, ...rest].map((b) => b.toString(16).padStart(2, '0')).join(':'));
  const ipv4 = fc.ipV4();

  it('accepts every valid l3bridge NIC, in any key order', () => {
    fc.assert(
      fc.property(
        ipv4,
        mac,
        fc.integer({ min: 0, max: 99_999_999 }),
        fc.constantFrom('virtio', 'e1000', 'rtl8139'),
        fc.stringMatching(/^[a-z0-9][a-z0-9.-]{3,20}$/),
        (ip, m, bw, model, sw) => {
          const items = [
            `type=l3bridge`,
            `source=br-int`,
            `ip=${ip}`,
            `switch=${sw}`,
            `model=${model}`,
            `inbound=${bw}`,
            `mac=${m}`,
          ];
          const shuffled = [...items].reverse();
          for (const text of [items.join(','), shuffled.join(',')]) {
            const n = parseNetwork(text);
            expect(n).toMatchObject({ type: 'l3bridge', ip, switch: sw, model, inbound: bw, mac: m });
          }
        },
      ),
    );
  });

  it('rejects every MAC starting with fe or with an odd first octet', () => {
    fc.assert(
      fc.property(mac, (m) => {
        expect(() => parseNetwork(`type=bridge,source=br0,mac=fe${m.slice(2)}`)).toThrow(ValidationError);
        const odd = (Number.parseInt(m.slice(0, 2), 16) | 1).toString(16).padStart(2, '0');
        expect(() => parseNetwork(`type=bridge,source=br0,mac=${odd}${m.slice(2)}`)).toThrow(ValidationError);
      }),
    );
  });
});

describe('graphics passwords', () => {
  it('accepts exactly 4-16 characters of [a-z0-9-] (at most 8 for VNC)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 0, maxLength: 20 }), fc.constantFrom('vnc', 'spice'), (pw, type) => {
        const valid = /^[a-z0-9-]{4,16}$/.test(pw) && (type === 'spice' || pw.length <= 8);
        const text = `${type},listen=0.0.0.0,password=${pw}`;
        if (valid) expect(parseGraphics(text).password).toBe(pw);
        else expect(() => parseGraphics(text)).toThrow(KubestackError);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('vcpus topology', () => {
  const topo = fc
    .tuple(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 16 }), fc.integer({ min: 1, max: 2 }))
    .filter(([s, c, t]) => s * c * t <= 255);

  it('accepts count ≤ sockets×cores×threads = maxvcpus', () => {
    fc.assert(
      fc.property(topo, fc.integer({ min: 1, max: 255 }), ([s, c, t], n) => {
        const max = s * c * t;
        const count = Math.min(n, max);
        const v = parseVcpus(`${count},maxvcpus=${max},sockets=${s},cores=${c},threads=${t}`);
        expect(v).toEqual({ count, max, cpuset: undefined, topology: { sockets: s, cores: c, threads: t } });
      }),
    );
  });

  it('rejects a maxvcpus different from the product', () => {
    fc.assert(
      fc.property(topo, fc.integer({ min: 1, max: 255 }), ([s, c, t], max) => {
        fc.pre(max !== s * c * t);
        expect(() => parseVcpus(`1,maxvcpus=${max},sockets=${s},cores=${c},threads=${t}`)).toThrow(
          /must equal sockets × cores × threads/,
        );
      }),
    );
  });
});

describe('memory', () => {
  it('accepts exactly 100-99999 MiB', () => {
    fc.assert(
      fc.property(fc.integer({ min: -10, max: 200_000 }), (n) => {
        if (n >= 100 && n <= 99_999) expect(parseMemory(String(n)).mib).toBe(n);
        else expect(() => parseMemory(String(n))).toThrow(ValidationError);
      }),
      { numRuns: 1000 },
    );
  });
});
