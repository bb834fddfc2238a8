// SPDX-License-Identifier: GPL-2.0
/*
 * copyoff_core: the per-device state, by device number.
 *
 * Every block device the class interface of sysfs.c has seen has a struct
 * copyoff_dev (its settings and counters, copyoff_core.h) in one xarray.
 * The engine, the policy and sysfs look a device up here; this file calls
 * nobody.  A device is published once its kobject is in sysfs and
 * withdrawn before the kobject is deleted; a reference taken under the
 * xarray's lock keeps it until copyoff_dev_put().
 *
 * Prefixes: copyoff_dev_ (the core's, copyoff_core.h).
 */
#define pr_fmt(fmt) "copyoff: " fmt

#include <linux/blkdev.h>
#include <linux/xarray.h>
#include "copyoff_core.h"

static DEFINE_XARRAY(copyoff_devs);

struct copyoff_dev *copyoff_dev_get(struct block_device *bdev)
{
	struct copyoff_dev *cdev;

	xa_lock(&copyoff_devs);
	cdev = xa_load(&copyoff_devs, bdev->bd_dev);
	if (cdev)
		kobject_get(&cdev->kobj);
	xa_unlock(&copyoff_devs);
	return cdev;
}

void copyoff_dev_put(struct copyoff_dev *cdev)
{
	if (cdev)
		kobject_put(&cdev->kobj);
}

/* Make @cdev the state of device number @devt; 0 or the xarray's error. */
int copyoff_dev_publish(dev_t devt, struct copyoff_dev *cdev)
{
	return xa_err(xa_store(&copyoff_devs, devt, cdev, GFP_KERNEL));
}

/*
 * Withdraw the state of @devt: later lookups find nothing.  The caller gets
 * the table's reference (NULL if there was none).
 */
struct copyoff_dev *copyoff_dev_withdraw(dev_t devt)
{
	return xa_erase(&copyoff_devs, devt);
}
