/**
 * hosts[].disk.device: the whole disk disko partitions (and WIPES) on install, and that
 * GRUB is installed to on every switch (disko adds it to boot.loader.grub.devices for the
 * EF02 partition: disko lib/types/gpt.nix). So it must name a whole disk, stably.
 */
import * as z from "zod/mini";
import { builtOnce } from "./built-once.js";

const DISK = String.raw`sd[a-z]+|vd[a-z]+|xvd[a-z]+|nvme[0-9]+n[0-9]+|mmcblk[0-9]+`;
/** by-id and by-path name whole disks stably; "-partN" is a partition. A name is one path segment, never "." or "..". */
const STABLE_LINK = String.raw`disk/by-(id|path)/(?!\.)(?![^/]*-part[0-9]+$)[A-Za-z0-9_.:+@-]+`;
export const DISK_DEVICE = new RegExp(`^/dev/(${DISK}|${STABLE_LINK})$`);

const ACCEPTED = "/dev/sdX, /dev/vdX, /dev/xvdX, /dev/nvmeXnY, /dev/mmcblkX or /dev/disk/by-id/… (by-path/…); check with lsblk on the server";

export function diskDeviceProblem(path: string): string {
  if (path.split("/").some((segment) => segment === ".." || segment === ".")) return `must not contain "." or ".." segments: use ${ACCEPTED}`;
  const partition = /^\/dev\/((?:sd|vd|xvd)[a-z]+)[0-9]+$|^\/dev\/((?:nvme[0-9]+n|mmcblk)[0-9]+)p[0-9]+$|^(\/dev\/disk\/by-(?:id|path)\/.+)-part[0-9]+$/.exec(path);
  if (partition) return `is a partition: give the whole disk, "${partition[1] ? `/dev/${partition[1]}` : partition[2] ? `/dev/${partition[2]}` : partition[3]}" (nixos-anywhere erases and partitions all of it)`;
  const link = /^\/dev\/disk\/by-(uuid|label|partuuid|partlabel|diskseq)\//.exec(path);
  if (link) {
    return link[1] === "diskseq"
      ? `changes with every boot (by-diskseq), but GRUB is installed to this disk on every switch: use /dev/disk/by-id/…`
      : `names a partition or file system (by-${link[1]}), which the install erases: use the whole disk, /dev/disk/by-id/…`;
  }
  return `use a whole-disk device: ${ACCEPTED}`;
}

export const diskDevice = builtOnce(() => z.string().check(z.regex(DISK_DEVICE, { error: (issue) => diskDeviceProblem(String(issue.input)) })));
