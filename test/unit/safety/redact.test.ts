/** The one redaction function (src/redact.ts): top-level secrets, nested secrets, free text. */
import { describe, expect, it } from 'vitest';
import { getCheck } from '../../../src/executors/checks.js';
import { createRegistry } from '../../../src/executors/registry.js';
import { REDACTED, redactItems, redactParams, redactText, secretValues } from '../../../src/redact.js';

const registry = createRegistry();
const createVm = registry.list().find((e) => e.spec.name === 'createAndStartVMFromISO')?.spec;
if (!createVm) throw new Error('createAndStartVMFromISO is not in the registry');

const raw = {
  graphics: 'vnc,listen=0.0.0.0,password=hs11pw99',
  disk: '/var/lib/libvirt/images/hs11-a.qcow2',
  memory: '128',
  extra: { nested: { password: 'hs11deep1', note: 'x,passwd=hs11deep2' } },
};

describe('redactParams', () => {
  it('replaces every x-ks-secret parameter whole and keeps the others', () => {
    const out = redactParams(createVm, raw);
    expect(out.graphics).toBe(REDACTED);
    expect(out.disk).toBe(raw.disk);
    expect(out.memory).toBe('128');
    expect(JSON.stringify(out)).not.toMatch(/hs11pw99|hs11deep1|hs11deep2/);
  });

  it('redacts nested credential keys and password= items in any string', () => {
    const out = redactParams(createVm, raw) as { extra: { nested: Record<string, unknown> } };
    expect(out.extra.nested.password).toBe(REDACTED);
    expect(out.extra.nested.note).toBe(`x,passwd=${REDACTED}`);
  });

  it('covers every implemented operation: no x-ks-secret value survives', () => {
    for (const e of registry.list()) {
      const props = e.spec.params.properties as Record<string, Record<string, unknown>>;
      const secrets = Object.keys(props).filter((k) => props[k]?.['x-ks-secret'] === true);
      const params = Object.fromEntries(secrets.map((k) => [k, `hs11-secret-${k}`]));
      const out = JSON.stringify(redactParams(e.spec, params));
      for (const k of secrets) expect(out, `${e.spec.name}.${k}`).not.toContain(`hs11-secret-${k}`);
    }
  });

  it('returns {} for a non-object', () => {
    expect(redactParams(createVm, 'x')).toEqual({});
    expect(redactParams(createVm, null)).toEqual({});
  });
});

describe('redactText and secretValues', () => {
  it('collects the literal secrets, nested ones too', () => {
    expect(secretValues(createVm, raw)).toEqual(
      expect.arrayContaining([raw.graphics, 'hs11pw99', 'hs11deep1', 'hs11deep2']),
    );
  });

  it('scrubs them out of an error message', () => {
    const msg = `graphics: bad option in 'vnc,listen=0.0.0.0,password=hs11pw99' (hs11deep1)`;
    const out = redactText(createVm, raw, msg);
    expect(out).not.toMatch(/hs11pw99|hs11deep1/);
    expect(out).toContain('graphics:');
  });

  it('redactItems keeps the key and hides the value', () => {
    expect(redactItems('spice,listen=0.0.0.0,password=abcd-1234,port=5901')).toBe(
      `spice,listen=0.0.0.0,password=${REDACTED},port=5901`,
    );
    expect(redactItems('token=x&user=u')).toBe(`token=${REDACTED}&user=u`);
  });
});

describe('graphics check errors never echo the password', () => {
  const check = getCheck('graphics');
  for (const text of [
    'vnc,listen=0.0.0.0,password=Hs11Secret',
    'vnc,listen=0.0.0.0,password=hs11secret-too-long',
    'vnc,listen=0.0.0.0,password=hs11pwxx,bogus=1',
    'vnc,password=hs11pwxx',
    'telnet,listen=0.0.0.0,password=hs11pwxx',
  ]) {
    it(text.replace(/password=[^,]*/, 'password=…'), () => {
      let message = '';
      try {
        check(text, 'graphics');
      } catch (err) {
        message = (err as Error).message;
      }
      expect(message).toMatch(/^graphics: /);
      expect(message).not.toMatch(/Hs11Secret|hs11secret-too-long|hs11pwxx/);
    });
  }
});
