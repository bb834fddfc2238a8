// SPDX-License-Identifier: GPL-2.0
/*
 * copyoff_core: per-device attributes, /sys/block/<disk>[/<part>]/copyoff/.
 *
 * A class interface on the block class gives every block device, present
 * and future, a "copyoff" directory:
 *   copy_offload      rw  1: offload when a provider can (default), 0: emulate,
 *                         auto: whichever was faster for copies of that size
 *                         on this device (auto.c; between two devices, auto
 *                         on either, on the destination's figures)
 *   copy_auto         ro  auto's figures: throughput per path and size class
 *   copy_max_bytes    rw  bytes per offloaded command; clamped to the hardware
 *   copy_max_bytes_hw ro  the provider's limit, 0 without offload
 *   copy_provider     ro  the provider that offloads within this device
 *   bytes_offloaded, bytes_emulated, copies, errors  ro counters of copies
 *                         whose destination is this device
 * The names follow the upstream series' queue attributes where they mean the
 * same.  The block class itself is not exported; it is taken from a gendisk
 * that is allocated and freed at load, never added.
 *
 * The devices' table is dev.c's.
 *
 * Prefixes: copyoff_sysfs_ (the core's, copyoff_core.h);
 * copy_ (the attributes, named as in sysfs).
 */
#define pr_fmt(fmt) "copyoff: " fmt

#include <linux/device.h>
#include <linux/slab.h>
#include "copyoff_core.h"

#define to_cdev(k) container_of(k, struct copyoff_dev, kobj)

static void cdev_release(struct kobject *kobj)
{
	kfree(to_cdev(kobj));
}

/*
 * The provider's own limit for copies within this device, and its name
 * (copied while its module is held).  Answered from what providers know
 * already: reading an attribute starts no discovery.
 */
static u64 hw_max_bytes(struct copyoff_dev *cdev, char *name, size_t size)
{
	struct block_device *bdev = dev_to_bdev(cdev->dev);
	struct copyoff_path path;
	u64 ret;

	copyoff_path_find(bdev, bdev, COPYOFF_QUERY_CACHED, 0, COPYOFF_PATH_HW,
			  &path);
	if (!path.prov) {
		strscpy(name, "none", size);
		return 0;
	}
	strscpy(name, path.prov->name, size);
	ret = round_down(path.hw.max_bytes,
			 max_t(u32, path.hw.align, bdev_logical_block_size(bdev)));
	copyoff_path_put(&path);
	return ret;
}

static ssize_t copy_offload_show(struct kobject *kobj,
				 struct kobj_attribute *attr, char *buf)
{
	int val = READ_ONCE(to_cdev(kobj)->copy_offload);

	if (val == COPYOFF_OFFLOAD_AUTO)
		return sysfs_emit(buf, "auto\n");
	return sysfs_emit(buf, "%d\n", val);
}

static ssize_t copy_offload_store(struct kobject *kobj,
				  struct kobj_attribute *attr,
				  const char *buf, size_t count)
{
	int val, ret;

	if (sysfs_streq(buf, "auto")) {
		val = COPYOFF_OFFLOAD_AUTO;
	} else {
		ret = kstrtoint(buf, 10, &val);
		if (ret)
			return ret;
		if (val != COPYOFF_OFFLOAD_OFF && val != COPYOFF_OFFLOAD_ON)
			return -EINVAL;
	}
	WRITE_ONCE(to_cdev(kobj)->copy_offload, val);
	return count;
}

static ssize_t copy_auto_show(struct kobject *kobj,
			      struct kobj_attribute *attr, char *buf)
{
	return copyoff_auto_show(&to_cdev(kobj)->autosel, buf);
}

static ssize_t copy_max_bytes_show(struct kobject *kobj,
				   struct kobj_attribute *attr, char *buf)
{
	struct copyoff_dev *cdev = to_cdev(kobj);
	char name[16];
	u64 hw = hw_max_bytes(cdev, name, sizeof(name));
	u64 cur = READ_ONCE(cdev->copy_max_bytes);

	return sysfs_emit(buf, "%llu\n", cur ? min(cur, hw) : hw);
}

static ssize_t copy_max_bytes_store(struct kobject *kobj,
				    struct kobj_attribute *attr,
				    const char *buf, size_t count)
{
	struct copyoff_dev *cdev = to_cdev(kobj);
	u32 lbs = bdev_logical_block_size(dev_to_bdev(cdev->dev));
	char name[16];
	u64 val, hw;
	int ret;

	ret = kstrtou64(buf, 10, &val);
	if (ret)
		return ret;
	if (val < lbs || val % lbs)
		return -EINVAL;
	hw = hw_max_bytes(cdev, name, sizeof(name));
	if (hw && val > hw)
		val = hw;
	WRITE_ONCE(cdev->copy_max_bytes, val);
	return count;
}

static ssize_t copy_max_bytes_hw_show(struct kobject *kobj,
				      struct kobj_attribute *attr, char *buf)
{
	char name[16];

	return sysfs_emit(buf, "%llu\n",
			  hw_max_bytes(to_cdev(kobj), name, sizeof(name)));
}

static ssize_t copy_provider_show(struct kobject *kobj,
				  struct kobj_attribute *attr, char *buf)
{
	char name[16];

	hw_max_bytes(to_cdev(kobj), name, sizeof(name));
	return sysfs_emit(buf, "%s\n", name);
}

#define COUNTER_ATTR(field)						\
static ssize_t field##_show(struct kobject *kobj,			\
			    struct kobj_attribute *attr, char *buf)	\
{									\
	return sysfs_emit(buf, "%lld\n",				\
			  (long long)atomic64_read(&to_cdev(kobj)->field)); \
}									\
static struct kobj_attribute field##_attr = __ATTR_RO(field)

COUNTER_ATTR(bytes_offloaded);
COUNTER_ATTR(bytes_emulated);
COUNTER_ATTR(copies);
COUNTER_ATTR(errors);
COUNTER_ATTR(emul_ios);

static struct kobj_attribute copy_offload_attr = __ATTR_RW(copy_offload);
static struct kobj_attribute copy_max_bytes_attr = __ATTR_RW(copy_max_bytes);
static struct kobj_attribute copy_max_bytes_hw_attr = __ATTR_RO(copy_max_bytes_hw);
static struct kobj_attribute copy_provider_attr = __ATTR_RO(copy_provider);
static struct kobj_attribute copy_auto_attr = __ATTR_RO(copy_auto);

static struct attribute *copyoff_dev_attrs[] = {
	&copy_offload_attr.attr,
	&copy_max_bytes_attr.attr,
	&copy_max_bytes_hw_attr.attr,
	&copy_provider_attr.attr,
	&copy_auto_attr.attr,
	&bytes_offloaded_attr.attr,
	&bytes_emulated_attr.attr,
	&copies_attr.attr,
	&errors_attr.attr,
	&emul_ios_attr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(copyoff_dev);

static const struct kobj_type copyoff_dev_ktype = {
	.release	= cdev_release,
	.sysfs_ops	= &kobj_sysfs_ops,
	.default_groups	= copyoff_dev_groups,
};

static COMPAT_CLASS_INTF_ADD(copyoff_add_dev)
{
	struct copyoff_dev *cdev;
	int ret;

	cdev = kzalloc(sizeof(*cdev), GFP_KERNEL);
	if (!cdev)
		return -ENOMEM;
	cdev->dev = dev;
	cdev->copy_offload = COPYOFF_OFFLOAD_ON;
	copyoff_auto_init(&cdev->autosel);
	atomic64_set(&cdev->bytes_offloaded, 0);
	atomic64_set(&cdev->bytes_emulated, 0);
	atomic64_set(&cdev->copies, 0);
	atomic64_set(&cdev->errors, 0);
	atomic64_set(&cdev->emul_ios, 0);
	ret = kobject_init_and_add(&cdev->kobj, &copyoff_dev_ktype, &dev->kobj,
				   "copyoff");
	if (ret) {
		kobject_put(&cdev->kobj);
		return ret;
	}
	ret = copyoff_dev_publish(dev->devt, cdev);
	if (ret) {
		kobject_del(&cdev->kobj);
		kobject_put(&cdev->kobj);
		return ret;
	}
	return 0;
}

static COMPAT_CLASS_INTF_REMOVE(copyoff_remove_dev)
{
	struct copyoff_dev *cdev = copyoff_dev_withdraw(dev->devt);

	if (!cdev)
		return;
	kobject_del(&cdev->kobj);
	kobject_put(&cdev->kobj);
}

static struct class_interface copyoff_block_intf = {
	.add_dev	= copyoff_add_dev,
	.remove_dev	= copyoff_remove_dev,
};

/*
 * Call @fn for every block device (disks and partitions) until it returns
 * non-zero, which is returned.  @fn may sleep; it must not open block
 * devices (collect them, open them after).
 */
int copyoff_for_each_block_dev(int (*fn)(struct device *dev, void *data),
			       void *data)
{
	if (!copyoff_block_intf.class)
		return 0;
	return class_for_each_device(copyoff_block_intf.class, NULL, data, fn);
}
EXPORT_SYMBOL_GPL(copyoff_for_each_block_dev);

int copyoff_sysfs_init(void)
{
	struct gendisk *disk = compat_blk_alloc_disk();
	compat_class_t *cls;

	if (!disk)
		return -ENOMEM;
	cls = disk_to_dev(disk)->class;
	put_disk(disk);
	if (!cls)
		return -ENODEV;
	copyoff_block_intf.class = cls;
	return class_interface_register(&copyoff_block_intf);
}

void copyoff_sysfs_exit(void)
{
	class_interface_unregister(&copyoff_block_intf);
}
