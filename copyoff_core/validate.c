// SPDX-License-Identifier: GPL-2.0
/*
 * copyoff_core: validation of a copy request.
 *
 * Everything a caller (a user through /dev/copyoff, or an in-kernel user)
 * asks for is checked here, completely, before any byte moves: flags, counts,
 * alignment, bounds, overflow, and overlaps.  See the error list in
 * include/uapi/linux/copyoff.h.
 *
 * Prefix: copyoff_validate (the core's); this file's own have none.
 */
#define pr_fmt(fmt) "copyoff: " fmt

#include <linux/overflow.h>
#include <linux/sort.h>
#include <linux/mm.h>
#include "copyoff_core.h"

struct span {
	u64 start;
	u64 end;	/* exclusive */
};

static int span_cmp(const void *a, const void *b)
{
	const struct span *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return 0;
}

/* Byte offset of a partition on its disk. */
static u64 bdev_start_bytes(struct block_device *bdev)
{
	return (u64)get_start_sect(bdev) << SECTOR_SHIFT;
}

/*
 * Destinations must not overlap each other; on one disk, no source may
 * overlap any destination (partitions of one disk compared on the disk).
 */
static int check_overlaps(struct block_device *src, struct block_device *dst,
			  const struct copyoff_range *ranges, unsigned int nr)
{
	bool same_disk = src->bd_disk == dst->bd_disk;
	u64 dbase = bdev_start_bytes(dst);
	u64 sbase = bdev_start_bytes(src);
	struct span *d;
	unsigned int i;
	int ret = 0;

	if (nr == 1 && !same_disk)
		return 0;

	d = kvmalloc_array(nr, sizeof(*d), GFP_KERNEL);
	if (!d)
		return -ENOMEM;
	for (i = 0; i < nr; i++) {
		d[i].start = dbase + ranges[i].dst_off;
		d[i].end = d[i].start + ranges[i].len;
	}
	sort(d, nr, sizeof(*d), span_cmp, NULL);
	for (i = 1; i < nr; i++) {
		if (d[i].start < d[i - 1].end) {
			ret = -EINVAL;
			goto out;
		}
	}
	if (!same_disk)
		goto out;

	/*
	 * Sorted and disjoint, the destination ends are sorted too: find the
	 * first destination ending after the source starts; it overlaps the
	 * source if it starts before the source ends.
	 */
	for (i = 0; i < nr; i++) {
		u64 s = sbase + ranges[i].src_off;
		u64 e = s + ranges[i].len;
		unsigned int lo = 0, hi = nr;

		while (lo < hi) {
			unsigned int mid = lo + (hi - lo) / 2;

			if (d[mid].end <= s)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo < nr && d[lo].start < e) {
			ret = -EINVAL;
			goto out;
		}
	}
out:
	kvfree(d);
	return ret;
}

int copyoff_validate(struct block_device *src, struct block_device *dst,
		     const struct copyoff_range *ranges, unsigned int nr,
		     unsigned int flags)
{
	u64 ssize = bdev_nr_bytes(src), dsize = bdev_nr_bytes(dst);
	u64 align = max(bdev_logical_block_size(src),
			bdev_logical_block_size(dst));
	u64 total = 0;
	unsigned int i;

	if (flags & ~(COPYOFF_F_ALL | COPYOFF_KF_ALL))
		return -EINVAL;
	if ((flags & COPYOFF_F_EMULATE) && (flags & COPYOFF_F_NO_EMULATION))
		return -EINVAL;
	if (nr == 0 || nr > COPYOFF_MAX_RANGES)
		return -EINVAL;
	if (bdev_read_only(dst))
		return -EROFS;
	/*
	 * Zoned destinations: writes into a sequential zone must come in order
	 * at its write pointer, which neither the emulation (several pieces in
	 * flight) nor a Copy command honours.  Not supported until zoned copy
	 * is designed.
	 */
	if (bdev_is_zoned(dst))
		return -EOPNOTSUPP;

	for (i = 0; i < nr; i++) {
		const struct copyoff_range *r = &ranges[i];

		if (!r->len)
			return -EINVAL;
		if ((r->src_off | r->dst_off | r->len) & (align - 1))
			return -EINVAL;
		if (r->len > ssize || r->src_off > ssize - r->len)
			return -EINVAL;
		if (r->len > dsize || r->dst_off > dsize - r->len)
			return -EINVAL;
		if (check_add_overflow(total, r->len, &total))
			return -EINVAL;
	}
	return check_overlaps(src, dst, ranges, nr);
}
