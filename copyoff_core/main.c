// SPDX-License-Identifier: GPL-2.0
/*
 * copyoff_core: block-device copy offload for stock kernels.
 *
 * This module owns /dev/copyoff (the copy and info ioctls, ioctl.c), the
 * registry that offload providers plug into (registry.c), the asynchronous
 * copy engine (engine.c) with its in-kernel read/write emulation (emul.c,
 * behind emul.h), the per-device sysfs attributes (sysfs.c) and the
 * exported in-kernel API (include/copyoff/copyoff.h).  copyoff_core/README
 * says who calls whom and which lock protects what.
 *
 * Prefix: copyoff_ (the module's own).
 */
#define pr_fmt(fmt) "copyoff: " fmt

#include <linux/debugfs.h>
#include <linux/init.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/fs.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include "copyoff_core.h"
#include "emul.h"

/* /sys/class/misc/copyoff/: engine-wide figures, each from its unit. */
static const struct attribute_group *copyoff_misc_groups[] = {
	&copyoff_mem_group,
	&copyoff_engine_group,
	&copyoff_emul_group,
	NULL,
};

/*
 * For tests only, in debugfs (copyoff/selftest_bdev): writing a block device
 * path opens and closes it by path, checking the compat open on this
 * kernel; the write fails with the open's error.
 */
static struct dentry *copyoff_debugfs;

static ssize_t selftest_bdev_write(struct file *file, const char __user *ubuf,
				   size_t count, loff_t *ppos)
{
	char *path;
	int ret;

	if (!count || count >= PATH_MAX)
		return -EINVAL;
	path = memdup_user_nul(ubuf, count);
	if (IS_ERR(path))
		return PTR_ERR(path);
	strim(path);
	ret = copyoff_bdev_selftest(path);
	kfree(path);
	return ret ? ret : count;
}

static const struct file_operations selftest_bdev_fops = {
	.owner	= THIS_MODULE,
	.open	= simple_open,
	.write	= selftest_bdev_write,
	.llseek	= noop_llseek,
};

const char *copyoff_version(void)
{
	return COPYOFF_VERSION;
}
EXPORT_SYMBOL_GPL(copyoff_version);

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
	.groups	= copyoff_misc_groups,
};

static int __init copyoff_init(void)
{
	struct workqueue_struct *wq;
	int ret;

	wq = copyoff_engine_init();
	if (!wq)
		return -ENOMEM;
	copyoff_emul_init(wq);
	ret = copyoff_sysfs_init();
	if (ret) {
		pr_err("cannot add the per-device attributes: %d\n", ret);
		goto out_wq;
	}
	ret = misc_register(&copyoff_miscdev);
	if (ret) {
		pr_err("cannot register /dev/copyoff: %d\n", ret);
		goto out_sysfs;
	}
	copyoff_debugfs = debugfs_create_dir("copyoff", NULL);
	debugfs_create_file("selftest_bdev", 0200, copyoff_debugfs, NULL,
			    &selftest_bdev_fops);
	pr_info("version %s loaded\n", COPYOFF_VERSION);
	return 0;

out_sysfs:
	copyoff_sysfs_exit();
out_wq:
	copyoff_engine_exit();
	return ret;
}

static void __exit copyoff_exit(void)
{
	debugfs_remove_recursive(copyoff_debugfs);
	misc_deregister(&copyoff_miscdev);
	copyoff_sysfs_exit();
	copyoff_engine_exit();
	copyoff_emul_exit();
	pr_info("unloaded\n");
}

module_init(copyoff_init);
module_exit(copyoff_exit);

MODULE_DESCRIPTION("copyoff: block-device copy offload core");
MODULE_AUTHOR("copyoff developers");
MODULE_LICENSE("GPL");
MODULE_VERSION(COPYOFF_VERSION);
