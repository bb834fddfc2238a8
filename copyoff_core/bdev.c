// SPDX-License-Identifier: GPL-2.0
/*
 * copyoff_core: block device helpers built on the compat layer.
 *
 * Prefixes: copyoff_cache_, copyoff_bdev_ (the core's, copyoff_core.h);
 * cache_, disk_ (this file's).
 */
#define pr_fmt(fmt) "copyoff: " fmt

#include <linux/blkdev.h>
#include <linux/device.h>
#include <linux/pagemap.h>
#include <linux/rcupdate.h>
#include <linux/xarray.h>
#include "copyoff_core.h"

/*
 * Open @path read-only through the compat wrapper, report what was found and
 * close it again.  For the rig's check of the by-path open on every kernel:
 * a path written to debugfs copyoff/selftest_bdev (main.c).
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

/*
 * Page cache coherency.  Before a copy, dirty cached pages of the source
 * ranges are written back (the copy reads the device, not the cache) and the
 * destination ranges are written back and dropped (a dirty page there would
 * later overwrite the copy).  After it, the destination ranges are dropped
 * again, whole, whatever comp_len says: after a failure, pieces beyond the
 * first byte not copied may have been written too, so that buffered readers
 * see what the device holds and not what they may have cached while the
 * copy ran.
 *
 * A page that cannot be dropped (it was dirtied again, or is locked, while
 * we drop it) is written back and tried once more; if it still stays, the
 * copy reports -EBUSY: before the copy, nothing has been written yet; after
 * it, the data is on the device (see comp_len) but a cached page may be old.
 *
 * A disk and each of its partitions have page caches of their own, so the
 * same blocks may be cached, and dirty, through the whole disk and through a
 * partition: every block device of the disk is synced over what of it covers
 * a range.
 */
static int cache_range_sync(struct address_space *mapping, u64 off, u64 len,
			    bool drop)
{
	pgoff_t first = off >> PAGE_SHIFT, last = (off + len - 1) >> PAGE_SHIFT;
	int ret, tries;

	if (!mapping->nrpages)
		return 0;
	for (tries = 0; tries < 2; tries++) {
		ret = filemap_write_and_wait_range(mapping, off, off + len - 1);
		if (ret || !drop)
			return ret;
		ret = invalidate_inode_pages2_range(mapping, first, last);
		if (ret != -EBUSY)
			return ret;
	}
	return ret;
}

/* cache_range_sync() of [@off, @off + @len) of @bdev, in every cache of its disk */
static int cache_sync_disk(struct block_device *bdev, u64 off, u64 len,
			   bool drop)
{
	u64 dstart = ((u64)bdev->bd_start_sect << SECTOR_SHIFT) + off;
	u64 dend = dstart + len;
	struct block_device *p;
	unsigned long idx;
	int ret, first;

	first = cache_range_sync(compat_bdev_mapping(bdev), off, len, drop);
	rcu_read_lock();
	xa_for_each(&bdev->bd_disk->part_tbl, idx, p) {
		u64 ps = (u64)p->bd_start_sect << SECTOR_SHIFT;
		u64 pe = ps + ((u64)bdev_nr_sectors(p) << SECTOR_SHIFT);
		u64 s = max(ps, dstart), e = min(pe, dend);

		if (p == bdev || s >= e ||
		    !kobject_get_unless_zero(&p->bd_device.kobj))
			continue;
		rcu_read_unlock();
		ret = cache_range_sync(compat_bdev_mapping(p), s - ps, e - s,
				       drop);
		put_device(&p->bd_device);
		if (ret && !first)
			first = ret;
		rcu_read_lock();
	}
	rcu_read_unlock();
	return first;
}

/*
 * Does a block device of @disk (the whole disk or a partition) cache any
 * page?  A look at each cache's page count, before any walk of the ranges:
 * most copies find every cache empty and skip the page-cache step.  A page
 * that a reader brings in after this look is one it brings in while the
 * copy runs, which a look per range could miss as well; the step after the
 * copy looks again.
 */
static bool disk_cached(struct gendisk *disk)
{
	struct block_device *p;
	unsigned long idx;
	bool ret = false;

	rcu_read_lock();
	xa_for_each(&disk->part_tbl, idx, p) {
		if (READ_ONCE(compat_bdev_mapping(p)->nrpages)) {
			ret = true;
			break;
		}
	}
	rcu_read_unlock();
	return ret;
}

/*
 * cache_sync_disk() over the sources (@dst false) or destinations of
 * @ranges, one call for ranges that follow each other on that device.  With
 * @warn, every failure is logged and the first returned; without, the first
 * failure stops the walk.
 */
static int cache_sync_ranges(struct block_device *bdev,
			     const struct copyoff_range *ranges,
			     unsigned int nr, bool dst, bool drop, bool warn)
{
	unsigned int i;
	int ret, first = 0;

	for (i = 0; i < nr; i++) {
		u64 off = dst ? ranges[i].dst_off : ranges[i].src_off;
		u64 len = ranges[i].len;

		while (i + 1 < nr &&
		       (dst ? ranges[i + 1].dst_off : ranges[i + 1].src_off) ==
		       off + len)
			len += ranges[++i].len;
		ret = cache_sync_disk(bdev, off, len, drop);
		if (!ret)
			continue;
		if (!warn)
			return ret;
		/* once per run of ranges of a copy: a user can cause many */
		pr_warn_ratelimited("%pg: cannot drop cached pages at %llu+%llu after a copy: %d\n",
				    bdev, off, len, ret);
		if (!first)
			first = ret;
	}
	return first;
}

int copyoff_cache_before(struct block_device *src, struct block_device *dst,
			 const struct copyoff_range *ranges, unsigned int nr)
{
	int ret = 0;

	if (disk_cached(src->bd_disk))
		ret = cache_sync_ranges(src, ranges, nr, false, false, false);
	if (!ret && disk_cached(dst->bd_disk))
		ret = cache_sync_ranges(dst, ranges, nr, true, true, false);
	return ret;
}

/*
 * Is no page of @bdev's disk cached, through the disk or any partition?
 * RCU only: callable in any context.  A copy that finds none needs no
 * page-cache step after it (see disk_cached()).
 */
bool copyoff_cache_none(struct block_device *bdev)
{
	return !disk_cached(bdev->bd_disk);
}

int copyoff_cache_after(struct block_device *dst,
			const struct copyoff_range *ranges, unsigned int nr)
{
	if (!disk_cached(dst->bd_disk))
		return 0;
	return cache_sync_ranges(dst, ranges, nr, true, true, true);
}
