/**
 * Named checks: constraints JSON Schema cannot express, attached to a schema as `x-ks-check: <name>`.
 * A check receives the (already type-checked) string and the parameter's name, returns the value to
 * hand to the operation (normalised where that helps, e.g. a resolved path), or throws ValidationError.
 * The VM mini-languages are checked by parsing them with the domain XML module's parsers (the same
 * ones the create operations build the domain from), so validation and execution cannot disagree.
 */

import { ValidationError } from '../errors.js';
import {
  parseBoot,
  parseCputune,
  parseDisk,
  parseGraphics,
  parseMetadata,
  parseNetwork,
  parseOsVariant,
  parseRedirdev,
  parseVcpus,
} from '../libvirt/domain-xml/index.js';
import { confinePath } from '../paths.js';
import { REDACTED, redactItems } from '../redact.js';
import {
  checkDiskspec,
  checkMigrateDisks,
  checkPathList,
  checkPoolUrl,
  checkStorageList,
  checkYaml,
} from './params/kv.js';
import {
  checkAclMatch,
  checkDnsList,
  checkExcludeIps,
  checkIpList,
  checkSubnet,
} from './params/network-lists.js';
import { checkNicSource } from './params/nic-source.js';

export type Check = (value: string, field: string) => string;

/** Runs a parser for its errors only; the operation parses again into typed values. */
const parsedBy =
  (parse: (text: string, field: string) => unknown): Check =>
  (value, field) => {
    parse(value, field);
    return value;
  };

/** For a parameter carrying a credential: its errors never quote the value (or its password=…). */
const withoutEcho =
  (check: Check): Check =>
  (value, field) => {
    try {
      return check(value, field);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const inner = err.message.startsWith(`${field}: `) ? err.message.slice(field.length + 2) : err.message;
      throw new ValidationError(redactItems(inner).split(value).join(REDACTED), field);
    }
  };

const checks = new Map<string, Check>([
  ['confinedPath', confinePath],
  ['pathList', checkPathList],
  ['storageList', checkStorageList],
  ['migrateDisks', checkMigrateDisks],
  ['diskspec', checkDiskspec],
  ['yaml', checkYaml],
  ['poolUrl', checkPoolUrl],
  ['ipList', checkIpList],
  ['excludeIps', checkExcludeIps],
  ['dnsList', checkDnsList],
  ['subnet', checkSubnet],
  ['aclMatch', checkAclMatch],
  ['nicSource', checkNicSource],
  ['graphics', withoutEcho(parsedBy(parseGraphics))],
  ['disk', parsedBy(parseDisk)],
  ['network', parsedBy(parseNetwork)],
  ['vcpus', parsedBy(parseVcpus)],
  ['cputune', parsedBy(parseCputune)],
  ['redirdev', parsedBy(parseRedirdev)],
  ['metadata', parsedBy(parseMetadata)],
  ['osVariant', parsedBy(parseOsVariant)],
  ['boot', parsedBy(parseBoot)],
]);

/** The check registered under `name`; an unknown name is a programming error. */
export function getCheck(name: string): Check {
  const c = checks.get(name);
  if (!c) throw new Error(`no parameter check named ${name}`);
  return c;
}

export function checkNames(): string[] {
  return [...checks.keys()];
}

/** Replaces (or adds) a named check, e.g. with a full parser from the domain XML module. */
export function registerCheck(name: string, check: Check): void {
  checks.set(name, check);
}
