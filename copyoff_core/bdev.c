// SPDX-License-Identifier: GPL-2.0
/*
 * copyoff_core: block device helpers built on the compat layer.
 */
#define pr_fmt(fmt) "copyoff: " fmt

#include "copyoff_core.h"

/*
 * Open @path read-only through the compat wrapper, report what was found and
 * close it again.  Used at load time when the selftest_bdev parameter names a
 * device, so the rig can check the by-path open on every kernel.
 */
int copyoff_bdev_selftest(const char *path)
{
	struct compat_bdev_handle h;
	int ret;

	ret = compat_bdev_open_by_path(path, false, &h);
	if (ret) {
		pr_err("selftest: cannot open %s: %d\n", path, ret);
		return ret;
	}
	pr_info("selftest: %s: %llu sectors, logical block %u bytes\n", path,
		(unsigned long long)bdev_nr_sectors(h.bdev),
		bdev_logical_block_size(h.bdev));
	compat_bdev_close(&h);
	return 0;
}
