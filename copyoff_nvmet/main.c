// SPDX-License-Identifier: GPL-2.0
/*
 * copyoff_nvmet: NVMe Copy for the stock NVMe target.
 *
 * What it becomes: with this module loaded, the stock nvmet accepts the Copy
 * command (opcode 0x19, descriptor format 0) on bdev- and file-backed
 * namespaces and advertises it (ONCS bit 8, OCFS, MSSRL/MCL/MSRC), so that a
 * host's copy over NVMe/TCP is carried out on the target through
 * copyoff_core (bdev) or vfs_copy_file_range() (file) and its data never
 * crosses the network.  Unloading restores the stock behaviour.
 *
 * Today it only checks in with copyoff_core, which makes it depend on the
 * core's exported symbols.
 */
#define pr_fmt(fmt) "copyoff_nvmet: " fmt

#include <linux/init.h>
#include <linux/module.h>
#include <copyoff/copyoff.h>

static int __init copyoff_nvmet_init(void)
{
	pr_info("loaded against copyoff_core %s\n", copyoff_version());
	return 0;
}

static void __exit copyoff_nvmet_exit(void)
{
}

module_init(copyoff_nvmet_init);
module_exit(copyoff_nvmet_exit);

MODULE_DESCRIPTION("copyoff: NVMe Copy on the stock NVMe target");
MODULE_AUTHOR("copyoff developers");
MODULE_LICENSE("GPL");
MODULE_VERSION(COPYOFF_VERSION);
