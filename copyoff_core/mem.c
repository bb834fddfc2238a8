// SPDX-License-Identifier: GPL-2.0
/*
 * copyoff_core: the memory that copies hold (jobs, chunks, emulation slots
 * and buffers), counted by whoever allocates it; /sys/class/misc/copyoff/
 * mem_bytes and mem_peak_bytes.  Atomics, no lock.
 *
 * Prefixes: copyoff_mem_ (the core's, copyoff_core.h); mem_ (this file's).
 */
#define pr_fmt(fmt) "copyoff: " fmt

#include <linux/atomic.h>
#include <linux/device.h>
#include <linux/kernel.h>
#include <linux/sysfs.h>
#include "copyoff_core.h"

static atomic64_t mem_bytes = ATOMIC64_INIT(0);
static atomic64_t mem_peak = ATOMIC64_INIT(0);

void copyoff_mem_add(long bytes)
{
	s64 now = atomic64_add_return(bytes, &mem_bytes);
	s64 peak = atomic64_read(&mem_peak);

	while (now > peak) {
		s64 old = atomic64_cmpxchg(&mem_peak, peak, now);

		if (old == peak)
			break;
		peak = old;
	}
}

static ssize_t mem_bytes_show(struct device *dev, struct device_attribute *attr,
			      char *buf)
{
	return sysfs_emit(buf, "%lld\n", (long long)atomic64_read(&mem_bytes));
}
static DEVICE_ATTR_RO(mem_bytes);

static ssize_t mem_peak_bytes_show(struct device *dev,
				   struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%lld\n", (long long)atomic64_read(&mem_peak));
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
	atomic64_set(&mem_peak, atomic64_read(&mem_bytes));
	return count;
}
static DEVICE_ATTR_RW(mem_peak_bytes);

static struct attribute *copyoff_mem_attrs[] = {
	&dev_attr_mem_bytes.attr,
	&dev_attr_mem_peak_bytes.attr,
	NULL,
};

const struct attribute_group copyoff_mem_group = {
	.attrs = copyoff_mem_attrs,
};
