import { expect, it } from "vitest";
import { diskDevice } from "./disk-device.js";

const problem = (path: string) => diskDevice().safeParse(path).error?.issues[0]?.message;

it.each(["/dev/sda", "/dev/sdab", "/dev/vda", "/dev/xvda", "/dev/nvme0n1", "/dev/mmcblk0", "/dev/disk/by-id/nvme-Samsung_SSD_980_1TB_S649NF0R123456X", "/dev/disk/by-id/wwn-0x5000c500a1b2c3d4", "/dev/disk/by-path/pci-0000:00:1f.2-ata-1"])(
  "accepts the whole disk %s",
  (path) => expect(problem(path)).toBeUndefined(),
);

it.each([
  ["/dev/../etc/passwd", 'must not contain "." or ".." segments'],
  ["/dev/disk/by-id/..", 'must not contain "." or ".." segments'],
  ["/dev/./sda", 'must not contain "." or ".." segments'],
  ["/dev/sda1", 'is a partition: give the whole disk, "/dev/sda"'],
  ["/dev/nvme0n1p2", 'is a partition: give the whole disk, "/dev/nvme0n1"'],
  ["/dev/mmcblk0p1", 'is a partition: give the whole disk, "/dev/mmcblk0"'],
  ["/dev/disk/by-id/ata-WDC_WD10-part1", 'is a partition: give the whole disk, "/dev/disk/by-id/ata-WDC_WD10"'],
  ["/dev/disk/by-uuid/0a1b2c3d", "names a partition or file system (by-uuid)"],
  ["/dev/disk/by-partlabel/root", "names a partition or file system (by-partlabel)"],
  ["/dev/disk/by-diskseq/1", "changes with every boot"],
  ["/etc/passwd", "use a whole-disk device: /dev/sdX, /dev/vdX, /dev/xvdX, /dev/nvmeXnY, /dev/mmcblkX or /dev/disk/by-id/…"],
  ["/dev/mapper/root", "use a whole-disk device"],
  ["sda", "use a whole-disk device"],
])("refuses %s: %s", (path, message) => expect(problem(path)).toContain(message));
