/**
 * Which other domains (running or defined) use a file: updateOS and deleteVM must not replace or
 * delete a disk another VM reads. libvirt is asked, as in domain-use.ts.
 */
import { DomainXMLFlags } from '../../libvirt/index.js';
import { xmlNamesFile } from '../../xml-text.js';
import { isNoDomain, type Libvirt } from './domains.js';

export async function otherDomainsUsing(lv: Libvirt, self: string, path: string): Promise<string[]> {
  const users: string[] = [];
  for (const dom of await lv.connectListAllDomains(0)) {
    if (dom.name === self) continue;
    try {
      const xmls = [
        await lv.domainGetXMLDesc(dom, 0),
        await lv.domainGetXMLDesc(dom, DomainXMLFlags.INACTIVE),
      ];
      if (xmls.some((x) => xmlNamesFile(x, path))) users.push(dom.name);
    } catch (err) {
      if (!isNoDomain(err)) throw err;
    }
  }
  return users;
}
