// SPDX-License-Identifier: GPL-2.0
/*
 * copyoff_cfr's loop provider: a copy on a loop device (or between two loop
 * devices whose backing files are on one filesystem) is a copy between the
 * backing files, vfs_copy_file_range(): a reflink where the filesystem can
 * (XFS, Btrfs: an instant clone), a server-side copy on NFS, a splice copy
 * otherwise.
 *
 * The loop driver has no interface for this, so the provider reads struct
 * loop_device (the gendisk's private_data) at offsets taken at build time
 * from loop.ko's BTF (scripts/btf-layout.sh; built only where they were
 * found), and only on the loop build they were taken from (its BTF is the
 * one recorded, checked once per loaded loop module).  Fields used, under the
 * device's lo_mutex as loop's own ioctls take it: lo_backing_file (set while
 * the device is bound: the anonymous enum of its states is not in BTF) and
 * lo_offset.  The backing file is referenced for the copy; a loop device
 * cannot be cleared under it while the copy's caller holds the device open
 * (loop defers the clear to the last close).
 *
 * A loop device over a block device hands the copy to the device below,
 * as a copy of its own through copyoff_core (offloaded where that device
 * can), when source and destination are over block devices both.
 *
 * Page caches: copyoff_core writes back and drops the loop device's own
 * cache around the copy; the filesystem keeps the backing files' caches
 * coherent with the copy, and the destination range is written back after
 * it so that a loop device in direct-I/O mode reads what was copied.
 *
 * Prefixes: cl_ (copyoff loop: this file's; not loop_, which are the loop
 * driver's own names); copyoff_loop_ (init and exit, cfr.h).
 */
#define pr_fmt(fmt) "copyoff_cfr: " fmt

#include <linux/blkdev.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/major.h>
#include <linux/mutex.h>
#include <linux/pagemap.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <copyoff/copyoff.h>
#include <copyoff_btf.h>
#include "cfr.h"

/*
 * Member @field of struct loop_device at @lo, read as @type: the build stops
 * when its size in loop's BTF is not sizeof(@type).
 */
#define LO_FIELD(lo, type, field)					\
	((type *)((char *)(lo) + COPYOFF_BTF_LOOP_##field##_OFF +	\
		  BUILD_BUG_ON_ZERO(COPYOFF_BTF_LOOP_##field##_SIZE !=	\
				    sizeof(type))))

/* The loop module whose BTF was checked last, and the answer. */
static DEFINE_MUTEX(cl_verify_lock);
static struct module *cl_verified_mod;
static int cl_verify_ret = -ENOENT;

static bool cl_is_loop(struct block_device *bdev)
{
	return bdev->bd_disk->major == LOOP_MAJOR;
}

/* Is this loop device's driver the build whose layout we have? */
static bool cl_verified(struct block_device *bdev)
{
	struct module *mod = bdev->bd_disk->fops->owner;
	int ret;

	mutex_lock(&cl_verify_lock);
	if (mod != cl_verified_mod || cl_verify_ret == -ENOENT) {
		cl_verify_ret = copyoff_btf_verify("copyoff_cfr", "loop",
						   COPYOFF_BTF_LOOP_CRC,
						   COPYOFF_BTF_LOOP_LEN,
						   "copies on loop devices are emulated");
		cl_verified_mod = mod;
	}
	ret = cl_verify_ret;
	mutex_unlock(&cl_verify_lock);
	return !ret;
}

/*
 * One side of a copy: the backing file (referenced), where the device starts
 * in it, and the block device it is, for a loop device over one.
 */
struct cl_side {
	struct file *file;
	loff_t base;
	struct block_device *bdev;
};

static int cl_side_get(struct block_device *bdev, struct cl_side *s)
{
	void *lo = bdev->bd_disk->private_data;
	struct file *f;

	if (!cl_is_loop(bdev) || !cl_verified(bdev))
		return -EOPNOTSUPP;
	if (mutex_lock_killable(LO_FIELD(lo, struct mutex, MUTEX)))
		return -EINTR;
	f = *LO_FIELD(lo, struct file *, BACKING_FILE);
	if (f && (S_ISREG(file_inode(f)->i_mode) ||
		  S_ISBLK(file_inode(f)->i_mode))) {
		s->file = get_file(f);
		s->bdev = S_ISBLK(file_inode(f)->i_mode) ?
			  I_BDEV(f->f_mapping->host) : NULL;
		s->base = *LO_FIELD(lo, loff_t, OFFSET) +
			  ((loff_t)get_start_sect(bdev) << SECTOR_SHIFT);
	} else {
		f = NULL;
	}
	mutex_unlock(LO_FIELD(lo, struct mutex, MUTEX));
	return f ? 0 : -EOPNOTSUPP;
}

static int cl_sides_get(struct block_device *src, struct block_device *dst,
			struct cl_side *s, struct cl_side *d)
{
	if (!cl_is_loop(src) || !cl_is_loop(dst) || cl_side_get(src, s))
		return -EOPNOTSUPP;
	if (cl_side_get(dst, d)) {
		fput(s->file);
		return -EOPNOTSUPP;
	}
	/*
	 * Files of one filesystem, or two block devices; and a backing file
	 * loop may write.
	 */
	if ((s->bdev ? !d->bdev :
	     d->bdev || file_inode(s->file)->i_sb != file_inode(d->file)->i_sb) ||
	    !(d->file->f_mode & FMODE_WRITE)) {
		fput(s->file);
		fput(d->file);
		return -EOPNOTSUPP;
	}
	return 0;
}

/*
 * Over files, pieces of up to 1 GiB (a reflink is one metadata operation);
 * over block devices, 16 MiB copies below, as copyoff_dm's.
 */
static int cl_query(struct copyoff_provider *prov, struct block_device *src,
		    struct block_device *dst, struct copyoff_limits *lim)
{
	unsigned int qflags = lim->flags & ~COPYOFF_QUERY_DETAIL;
	bool detail = lim->flags & COPYOFF_QUERY_DETAIL;
	struct copyoff_limits below = { .flags = qflags };
	struct super_block *sb;
	struct cl_side s, d;
	char name[16] = "-";
	int ret = 0;

	if (cl_sides_get(src, dst, &s, &d))
		return -EOPNOTSUPP;
	if (s.bdev) {
		/* Offloaded where the devices below can be. */
		ret = copyoff_query(s.bdev, d.bdev, &below, qflags,
				    detail ? name : NULL, sizeof(name));
		if (detail)
			scnprintf(lim->detail, sizeof(lim->detail),
				  "over %s and %s: %s",
				  s.bdev->bd_disk->disk_name,
				  d.bdev->bd_disk->disk_name, name);
	} else if (detail) {
		sb = file_inode(s.file)->i_sb;
		scnprintf(lim->detail, sizeof(lim->detail),
			  "backing files on %s: %s", sb->s_type->name,
			  s.file->f_op->remap_file_range ?
			  "reflink where it is on, else copy" : "copy (splice)");
	}
	lim->max_bytes = s.bdev ? 16ULL << 20 : 1ULL << 30;
	lim->max_seg_bytes = lim->max_bytes;
	lim->max_segs = 16;
	lim->align = max(bdev_logical_block_size(src),
			 bdev_logical_block_size(dst));
	fput(s.file);
	fput(d.file);
	return ret ? -EOPNOTSUPP : 0;
}

struct cl_work {
	struct work_struct work;
	struct copyoff_chunk *chunk;
	struct cl_side s, d;
	struct copyoff_range ranges[];	/* over block devices: one a segment */
};

static void cl_work_free(struct cl_work *w)
{
	fput(w->s.file);
	fput(w->d.file);
	kfree(w);
}

/* The copy below a loop device over a block device has ended. */
static void cl_below_end(void *priv, int error, u64 copied, u64 offloaded)
{
	struct cl_work *w = priv;
	struct copyoff_chunk *chunk = w->chunk;
	unsigned int i;
	u64 done = 0;

	for (i = 0; i < chunk->nr_segs; i++) {
		done += w->ranges[i].comp_len;
		if (w->ranges[i].comp_len < w->ranges[i].len)
			break;
	}
	chunk->emulated += copied - min(offloaded, copied);
	if (error == -EINVAL)
		error = -EOPNOTSUPP;
	cl_work_free(w);
	copyoff_chunk_end(chunk, error, done);
}

static void cl_below(struct cl_work *w)
{
	struct copyoff_chunk *chunk = w->chunk;
	u64 dst = w->d.base + chunk->dst_off;
	unsigned int i;
	int ret;

	for (i = 0; i < chunk->nr_segs; i++) {
		w->ranges[i].src_off = w->s.base + chunk->segs[i].src_off;
		w->ranges[i].dst_off = dst;
		w->ranges[i].len = chunk->segs[i].len;
		dst += chunk->segs[i].len;
	}
	ret = copyoff_copy_async(w->s.bdev, w->d.bdev, w->ranges,
				 chunk->nr_segs, chunk->flags, cl_below_end, w);
	if (ret) {
		cl_work_free(w);
		copyoff_chunk_end(chunk, ret == -EINVAL ? -EOPNOTSUPP : ret, 0);
	}
}

static void cl_copy(struct work_struct *work)
{
	struct cl_work *w = container_of(work, struct cl_work, work);
	struct copyoff_chunk *chunk = w->chunk;
	loff_t out = w->d.base + chunk->dst_off;
	loff_t first = out;
	unsigned int i;
	u64 done = 0;
	int status = 0;

	for (i = 0; i < chunk->nr_segs && !status; i++) {
		loff_t in = w->s.base + chunk->segs[i].src_off;
		u64 left = chunk->segs[i].len;

		while (left) {
			ssize_t n = vfs_copy_file_range(w->s.file, in, w->d.file,
							out, left, 0);

			if (n <= 0) {
				status = n ? n : -EIO;
				break;
			}
			in += n;
			out += n;
			left -= n;
			done += n;
		}
	}
	/* What was copied is on the backing file's disk (direct-I/O loops). */
	if (done) {
		int ret = filemap_write_and_wait_range(w->d.file->f_mapping,
						       first, first + done - 1);

		if (ret) {
			status = ret;
			done = 0;
		}
	}
	/* What the filesystem cannot do is emulated; real errors stand. */
	if (status && status != -EIO && status != -ENOSPC && status != -EINTR)
		status = -EOPNOTSUPP;
	cl_work_free(w);
	copyoff_chunk_end(chunk, status, done);
}

static void cl_submit(struct copyoff_provider *prov,
		      struct copyoff_chunk *chunk)
{
	struct cl_work *w = kzalloc(struct_size(w, ranges, chunk->nr_segs),
				    GFP_NOIO);

	if (!w) {
		copyoff_chunk_end(chunk, -EOPNOTSUPP, 0);
		return;
	}
	if (cl_sides_get(chunk->src, chunk->dst, &w->s, &w->d)) {
		kfree(w);
		copyoff_chunk_end(chunk, -EOPNOTSUPP, 0);
		return;
	}
	w->chunk = chunk;
	if (w->s.bdev) {
		cl_below(w);
		return;
	}
	INIT_WORK(&w->work, cl_copy);
	queue_work(system_unbound_wq, &w->work);
}

static const struct copyoff_provider_ops cl_ops = {
	.query	= cl_query,
	.submit	= cl_submit,
};

static struct copyoff_provider cl_provider = {
	.name	= "loop",
	.owner	= THIS_MODULE,
	.ops	= &cl_ops,
};

int copyoff_loop_init(void)
{
	return copyoff_register_provider(&cl_provider);
}

void copyoff_loop_exit(void)
{
	/* Waits for every query; a chunk in flight holds a module reference. */
	copyoff_unregister_provider(&cl_provider);
}
