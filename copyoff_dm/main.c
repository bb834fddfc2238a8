// SPDX-License-Identifier: GPL-2.0
/*
 * copyoff_dm: a stacking device-mapper target "copyoff".
 *
 * What it becomes: a linear-like target ("<start> <len> copyoff <dev>
 * <offset>") that remaps ordinary I/O like dm-linear and registers each dm
 * device with copyoff_core, so that copies on /dev/mapper/NAME are split at
 * table-line boundaries, remapped to the devices below and handed back to
 * the core: offloaded where the device below can, emulated otherwise.
 *
 * Today it registers itself as a provider with copyoff_core, which makes it
 * depend on the core's exported symbols.
 */
#define pr_fmt(fmt) "copyoff_dm: " fmt

#include <linux/init.h>
#include <linux/module.h>
#include <copyoff/copyoff.h>

/* Offloads nothing yet: every copy is emulated by the core. */
static int copyoff_dm_query(struct copyoff_provider *prov,
			     struct block_device *src, struct block_device *dst,
			     struct copyoff_limits *lim)
{
	return -EOPNOTSUPP;
}

static void copyoff_dm_submit(struct copyoff_provider *prov,
			       struct copyoff_chunk *chunk)
{
	copyoff_chunk_end(chunk, -EOPNOTSUPP, 0);
}

static const struct copyoff_provider_ops copyoff_dm_ops = {
	.query	= copyoff_dm_query,
	.submit	= copyoff_dm_submit,
};

static struct copyoff_provider copyoff_dm_provider = {
	.name	= "dm",
	.owner	= THIS_MODULE,
	.ops	= &copyoff_dm_ops,
};

static int __init copyoff_dm_init(void)
{
	return copyoff_register_provider(&copyoff_dm_provider);
}

static void __exit copyoff_dm_exit(void)
{
	copyoff_unregister_provider(&copyoff_dm_provider);
}

module_init(copyoff_dm_init);
module_exit(copyoff_dm_exit);

MODULE_DESCRIPTION("copyoff: device-mapper target passing copies down");
MODULE_AUTHOR("copyoff developers");
MODULE_LICENSE("GPL");
MODULE_VERSION(COPYOFF_VERSION);
