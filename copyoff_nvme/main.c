// SPDX-License-Identifier: GPL-2.0
/*
 * copyoff_nvme: the NVMe provider for copyoff_core.
 *
 * What it becomes: for each NVMe namespace (local PCIe, and fabrics namespaces
 * behind a multipath head) it discovers Copy support and limits (Identify
 * Controller ONCS bit 8 and OCFS; Identify Namespace MSSRL, MCL, MSRC), and
 * offloads the core's copy chunks as NVMe Copy commands (opcode 0x19, source
 * range descriptor format 0) sent asynchronously through the stock driver's
 * passthrough path, within every limit.  NVMe status is mapped to errno and to
 * the exact number of bytes copied.
 *
 * Today it registers itself with copyoff_core, which makes it depend on the
 * core's exported symbols.
 */
#define pr_fmt(fmt) "copyoff_nvme: " fmt

#include <linux/init.h>
#include <linux/module.h>
#include <copyoff/copyoff.h>

/* Offloads nothing yet: every copy is emulated by the core. */
static int copyoff_nvme_query(struct copyoff_provider *prov,
			     struct block_device *src, struct block_device *dst,
			     struct copyoff_limits *lim)
{
	return -EOPNOTSUPP;
}

static void copyoff_nvme_submit(struct copyoff_provider *prov,
			       struct copyoff_chunk *chunk)
{
	copyoff_chunk_end(chunk, -EOPNOTSUPP, 0);
}

static const struct copyoff_provider_ops copyoff_nvme_ops = {
	.query	= copyoff_nvme_query,
	.submit	= copyoff_nvme_submit,
};

static struct copyoff_provider copyoff_nvme_provider = {
	.name	= "nvme",
	.owner	= THIS_MODULE,
	.ops	= &copyoff_nvme_ops,
};

static int __init copyoff_nvme_init(void)
{
	return copyoff_register_provider(&copyoff_nvme_provider);
}

static void __exit copyoff_nvme_exit(void)
{
	copyoff_unregister_provider(&copyoff_nvme_provider);
}

module_init(copyoff_nvme_init);
module_exit(copyoff_nvme_exit);

MODULE_DESCRIPTION("copyoff: NVMe Copy offload provider");
MODULE_AUTHOR("copyoff developers");
MODULE_LICENSE("GPL");
MODULE_VERSION(COPYOFF_VERSION);
