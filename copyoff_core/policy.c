// SPDX-License-Identifier: GPL-2.0
/*
 * copyoff_core: copy policy, in one place.
 *
 * For a pair of block devices, copyoff_path_find() answers everything the
 * rest of the core asks about a copy between them: which provider could
 * offload it and with which limits of its own (the INFO ioctl, sysfs), and
 * whether a copy started now would be offloaded, with which limits (the
 * engine, copyoff_query(), INFO's "enabled").  The per-device settings
 * apply here and nowhere else:
 *   copy_offload   0 on either device: emulated; auto on either: whichever
 *                  path auto.c measured faster for copies of that size
 *                  into the destination (the figures are always the
 *                  destination's: every copy teaches its destination, so
 *                  a choice made on the source's would never learn from
 *                  its own outcome; no destination state, no figures:
 *                  offloaded)
 *   copy_max_bytes the destination's lowers the bytes per chunk
 * and every limit is aligned to the larger logical block size of the two.
 *
 * Prefixes: copyoff_path_ (the core's, copyoff_core.h), copyoff_query
 * (exported).
 */
#define pr_fmt(fmt) "copyoff: " fmt

#include <linux/blkdev.h>
#include <linux/ktime.h>
#include "copyoff_core.h"

/*
 * Fill @path for a copy from @src to @dst.  @qflags (COPYOFF_QUERY_*) go to
 * the provider; @auto_bytes, when not 0, lets copy_offload=auto choose for a
 * copy of that many bytes; with COPYOFF_PATH_HW the provider is asked even
 * where the settings emulate (to report its limits).  path->prov is held
 * until copyoff_path_put(); path->offload says whether a copy now would be
 * offloaded, with path->lim.
 */
void copyoff_path_find(struct block_device *src, struct block_device *dst,
		       unsigned int qflags, u64 auto_bytes, unsigned int pflags,
		       struct copyoff_path *path)
{
	struct copyoff_dev *sdev = copyoff_dev_get(src);
	struct copyoff_dev *ddev = copyoff_dev_get(dst);
	int so = sdev ? READ_ONCE(sdev->copy_offload) : COPYOFF_OFFLOAD_ON;
	int dof = ddev ? READ_ONCE(ddev->copy_offload) : COPYOFF_OFFLOAD_ON;
	u64 align = max(bdev_logical_block_size(src),
			bdev_logical_block_size(dst));
	struct copyoff_limits *lim = &path->lim;
	bool on = so != COPYOFF_OFFLOAD_OFF && dof != COPYOFF_OFFLOAD_OFF;

	memset(path, 0, sizeof(*path));
	if (!on && !(pflags & COPYOFF_PATH_HW))
		goto out;
	path->prov = copyoff_find_provider(src, dst, &path->hw, qflags);
	if (!path->prov || !on)
		goto out;

	*lim = path->hw;
	lim->align = max_t(u64, lim->align, align);
	if (ddev && READ_ONCE(ddev->copy_max_bytes))
		lim->max_bytes = min(lim->max_bytes,
				     READ_ONCE(ddev->copy_max_bytes));
	lim->max_bytes = round_down(lim->max_bytes, lim->align);
	lim->max_seg_bytes = round_down(min(lim->max_seg_bytes, lim->max_bytes),
					lim->align);
	if (!lim->max_bytes || !lim->max_seg_bytes)
		goto out;
	if (auto_bytes && ddev &&
	    (dof == COPYOFF_OFFLOAD_AUTO || so == COPYOFF_OFFLOAD_AUTO) &&
	    !copyoff_auto_offload(&ddev->autosel, auto_bytes, ktime_get_ns()))
		goto out;
	path->offload = true;
out:
	copyoff_dev_put(sdev);
	copyoff_dev_put(ddev);
}

void copyoff_path_put(struct copyoff_path *path)
{
	copyoff_put_provider(path->prov);
	path->prov = NULL;
}

/*
 * Would a copy from @src to @dst be offloaded now, with which limits and by
 * which provider?  0 if so, else -EOPNOTSUPP.  The provider's name is copied
 * to @provider (@size bytes; may be NULL) while its module is held.
 */
int copyoff_query(struct block_device *src, struct block_device *dst,
		  struct copyoff_limits *lim, unsigned int qflags,
		  char *provider, size_t size)
{
	struct copyoff_path path;
	int ret = -EOPNOTSUPP;

	copyoff_path_find(src, dst, qflags, 0, 0, &path);
	if (path.offload) {
		*lim = path.lim;
		if (provider)
			strscpy(provider, path.prov->name, size);
		ret = 0;
	}
	copyoff_path_put(&path);
	return ret;
}
EXPORT_SYMBOL_GPL(copyoff_query);
