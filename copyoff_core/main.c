// SPDX-License-Identifier: GPL-2.0
/*
 * copyoff_core: block-device copy offload for stock kernels.
 *
 * This module owns /dev/copyoff (the copy and info ioctls, ioctl.c), the
 * registry that offload providers plug into (registry.c), the asynchronous
 * copy engine (engine.c) with its in-kernel read/write emulation (emul.c),
 * the per-device sysfs attributes (sysfs.c) and the exported in-kernel API
 * (include/copyoff/copyoff.h).
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
#include <linux/mm.h>
#include "copyoff_core.h"

/* Tunables.  Writes are range-checked; a bad value is refused with EINVAL. */
unsigned int copyoff_emul_chunk_kb = 512;
unsigned int copyoff_emul_slots = 8;
unsigned int copyoff_offload_qd = 8;
unsigned int copyoff_max_mem_mb;	/* set at load: 1/16 of RAM */

static unsigned int ram_mb(void)
{
	return max_t(u64, (u64)totalram_pages() >> (20 - PAGE_SHIFT), 1);
}

static int param_set_chunk_kb(const char *val, const struct kernel_param *kp)
{
	unsigned int v;
	int ret = kstrtouint(val, 0, &v);

	if (ret)
		return ret;
	if (v < 4 || v > 1024 || v % 4)
		return -EINVAL;
	WRITE_ONCE(*(unsigned int *)kp->arg, v);
	return 0;
}

static int param_set_slots(const char *val, const struct kernel_param *kp)
{
	return param_set_uint_minmax(val, kp, 1, COPYOFF_MAX_SLOTS);
}

static int param_set_qd(const char *val, const struct kernel_param *kp)
{
	return param_set_uint_minmax(val, kp, 1, 256);
}

static int param_set_max_mem(const char *val, const struct kernel_param *kp)
{
	return param_set_uint_minmax(val, kp, 1, ram_mb());
}

static const struct kernel_param_ops max_mem_ops = {
	.set = param_set_max_mem,
	.get = param_get_uint,
};

static const struct kernel_param_ops chunk_kb_ops = {
	.set = param_set_chunk_kb,
	.get = param_get_uint,
};

static const struct kernel_param_ops slots_ops = {
	.set = param_set_slots,
	.get = param_get_uint,
};

static const struct kernel_param_ops qd_ops = {
	.set = param_set_qd,
	.get = param_get_uint,
};

module_param_cb(emul_chunk_kb, &chunk_kb_ops, &copyoff_emul_chunk_kb, 0644);
MODULE_PARM_DESC(emul_chunk_kb,
		 "Emulation I/O size in KiB, a multiple of 4 from 4 to 1024 (default: 512)");
module_param_cb(emul_slots, &slots_ops, &copyoff_emul_slots, 0644);
MODULE_PARM_DESC(emul_slots,
		 "Emulation buffers in flight per copy, 1 to 64 (default: 8); memory per copy is emul_slots * emul_chunk_kb");
module_param_cb(offload_qd, &qd_ops, &copyoff_offload_qd, 0644);
MODULE_PARM_DESC(offload_qd,
		 "Offloaded commands in flight per copy, 1 to 256 (default: 8)");

module_param_cb(max_mem_mb, &max_mem_ops, &copyoff_max_mem_mb, 0644);
MODULE_PARM_DESC(max_mem_mb,
		 "Emulation buffer memory of all copies together, in MiB, 1 to the size of RAM (default: 1/16 of RAM); a copy waits for its first buffer while the others hold it all");

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

struct workqueue_struct *copyoff_wq;

/* Memory held by copies: jobs, chunks and emulation buffers. */
atomic64_t copyoff_mem_bytes = ATOMIC64_INIT(0);
atomic64_t copyoff_mem_peak = ATOMIC64_INIT(0);
atomic_t copyoff_jobs_active = ATOMIC_INIT(0);

void copyoff_mem_add(long bytes)
{
	s64 now = atomic64_add_return(bytes, &copyoff_mem_bytes);
	s64 peak = atomic64_read(&copyoff_mem_peak);

	while (now > peak) {
		s64 old = atomic64_cmpxchg(&copyoff_mem_peak, peak, now);

		if (old == peak)
			break;
		peak = old;
	}
}

const char *copyoff_version(void)
{
	return COPYOFF_VERSION;
}
EXPORT_SYMBOL_GPL(copyoff_version);

/* /sys/class/misc/copyoff/: engine-wide figures. */
static ssize_t mem_bytes_show(struct device *dev, struct device_attribute *attr,
			      char *buf)
{
	return sysfs_emit(buf, "%lld\n", (long long)atomic64_read(&copyoff_mem_bytes));
}
static DEVICE_ATTR_RO(mem_bytes);

static ssize_t mem_peak_bytes_show(struct device *dev,
				   struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%lld\n", (long long)atomic64_read(&copyoff_mem_peak));
}

/* Writing 0 restarts the peak from the current figure. */
static ssize_t mem_peak_bytes_store(struct device *dev,
				    struct device_attribute *attr,
				    const char *buf, size_t count)
{
	u64 v;
	int ret = kstrtou64(buf, 10, &v);

	if (ret)
		return ret;
	if (v)
		return -EINVAL;
	atomic64_set(&copyoff_mem_peak, atomic64_read(&copyoff_mem_bytes));
	return count;
}
static DEVICE_ATTR_RW(mem_peak_bytes);

static ssize_t jobs_active_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", atomic_read(&copyoff_jobs_active));
}
static DEVICE_ATTR_RO(jobs_active);

/* Emulation buffers kept for the next copies (emul.c), not in mem_bytes. */
static ssize_t mem_pool_bytes_show(struct device *dev,
				   struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%lld\n", (long long)atomic64_read(&copyoff_pool_bytes));
}
static DEVICE_ATTR_RO(mem_pool_bytes);

/* How many copies had to wait for buffer memory, and how many wait now. */
static ssize_t mem_waits_show(struct device *dev,
			      struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%lld\n", (long long)atomic64_read(&copyoff_mem_waits));
}
static DEVICE_ATTR_RO(mem_waits);

static ssize_t mem_waiting_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", atomic_read(&copyoff_mem_waiting));
}
static DEVICE_ATTR_RO(mem_waiting);

static struct attribute *copyoff_misc_attrs[] = {
	&dev_attr_mem_bytes.attr,
	&dev_attr_mem_waits.attr,
	&dev_attr_mem_waiting.attr,
	&dev_attr_mem_pool_bytes.attr,
	&dev_attr_mem_peak_bytes.attr,
	&dev_attr_jobs_active.attr,
	NULL,
};
ATTRIBUTE_GROUPS(copyoff_misc);

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
	int ret;

	if (!copyoff_max_mem_mb)
		copyoff_max_mem_mb = max(ram_mb() / 16, 1U);
	else
		copyoff_max_mem_mb = min(copyoff_max_mem_mb, ram_mb());

	/*
	 * Per-CPU and high priority: a completion's next step runs on the CPU
	 * that took the completion, right after it, instead of waking a worker
	 * elsewhere; every work item is short (it issues I/O and returns).
	 */
	copyoff_wq = alloc_workqueue("copyoff", WQ_MEM_RECLAIM | WQ_HIGHPRI, 0);
	if (!copyoff_wq)
		return -ENOMEM;
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
	destroy_workqueue(copyoff_wq);
	return ret;
}

/*
 * Every copy holds a reference on this module until its last work item, so
 * exit runs with none left; destroy_workqueue() waits for the tail of that
 * last work item.
 */
static void __exit copyoff_exit(void)
{
	debugfs_remove_recursive(copyoff_debugfs);
	misc_deregister(&copyoff_miscdev);
	copyoff_sysfs_exit();
	destroy_workqueue(copyoff_wq);
	copyoff_pool_exit();
	pr_info("unloaded\n");
}

module_init(copyoff_init);
module_exit(copyoff_exit);

MODULE_DESCRIPTION("copyoff: block-device copy offload core");
MODULE_AUTHOR("copyoff developers");
MODULE_LICENSE("GPL");
MODULE_VERSION(COPYOFF_VERSION);
