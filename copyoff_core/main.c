// SPDX-License-Identifier: GPL-2.0
/*
 * copyoff_core: block-device copy offload for stock kernels.
 *
 * This module owns /dev/copyoff (the copy and info ioctls), the registry that
 * offload providers plug into, the asynchronous copy engine and the in-kernel
 * read/write emulation used when no provider can offload a copy.
 */
#define pr_fmt(fmt) "copyoff: " fmt

#include <linux/init.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/fs.h>
#include "copyoff_core.h"

static char *selftest_bdev;
module_param(selftest_bdev, charp, 0444);
MODULE_PARM_DESC(selftest_bdev,
		 "Block device path to open and close at load time, checking the by-path open on this kernel (default: none)");

const char *copyoff_version(void)
{
	return COPYOFF_VERSION;
}
EXPORT_SYMBOL_GPL(copyoff_version);

static long copyoff_ioctl(struct file *file, unsigned int cmd,
			  unsigned long arg)
{
	return -ENOTTY;
}

static const struct file_operations copyoff_fops = {
	.owner		= THIS_MODULE,
	.open		= nonseekable_open,
	.unlocked_ioctl	= copyoff_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.llseek		= noop_llseek,
};

static struct miscdevice copyoff_miscdev = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "copyoff",
	.fops	= &copyoff_fops,
	.mode	= 0600,
};

static int __init copyoff_init(void)
{
	int ret;

	if (selftest_bdev && *selftest_bdev) {
		ret = copyoff_bdev_selftest(selftest_bdev);
		if (ret)
			return ret;
	}

	ret = misc_register(&copyoff_miscdev);
	if (ret) {
		pr_err("cannot register /dev/copyoff: %d\n", ret);
		return ret;
	}
	pr_info("version %s loaded\n", COPYOFF_VERSION);
	return 0;
}

static void __exit copyoff_exit(void)
{
	misc_deregister(&copyoff_miscdev);
	pr_info("unloaded\n");
}

module_init(copyoff_init);
module_exit(copyoff_exit);

MODULE_DESCRIPTION("copyoff: block-device copy offload core");
MODULE_AUTHOR("copyoff developers");
MODULE_LICENSE("GPL");
MODULE_VERSION(COPYOFF_VERSION);
