/** A VM's disks follow it (`spec.volume.vm`): which disks each VM used when last observed. */
export class VmDisks {
  private readonly disksOfVm = new Map<string, string[]>();

  /** Records the disks `vmKey` uses now; returns the disks whose report changes (added or released). */
  follow(vmKey: string, disks: string[]): string[] {
    const before = this.disksOfVm.get(vmKey) ?? [];
    if (disks.length > 0) this.disksOfVm.set(vmKey, disks);
    else this.disksOfVm.delete(vmKey);
    return [...disks.filter((d) => !before.includes(d)), ...before.filter((d) => !disks.includes(d))];
  }
}
