// SPDX-License-Identifier: GPL-2.0
/*
 * copyoff_core: the /dev/copyoff ioctls, and copy_file_range(2) between
 * block devices (for copyoff_cfr), which shares their copy.
 *
 * COPYOFF_IOC_COPY turns two file descriptors into block devices, checking
 * that the caller's own descriptors allow the copy (source open for reading,
 * destination for writing): /dev/copyoff grants nothing more.  The ranges are
 * copied in, validated by the engine before anything moves, and copied; the
 * caller waits, killably.  A fatal signal cancels the copy: what is in flight
 * ends in the background, on memory the copy itself owns.
 *
 * Prefixes: copyoff_ (the core's entries); copyoff_ioc_ (one ioctl each).
 */
#define pr_fmt(fmt) "copyoff: " fmt

#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/refcount.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include "copyoff_core.h"

static bool reserved_zero(const __u64 *r, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (r[i])
			return false;
	return true;
}

/*
 * The block device behind @fd, with the file referenced.  EBADF: no such fd,
 * or not open with @mode; ENOTBLK: not a block device.
 */
static struct block_device *fd_bdev(int fd, fmode_t mode, struct file **filep)
{
	struct file *f = fget(fd);

	if (!f)
		return ERR_PTR(-EBADF);
	if (!S_ISBLK(file_inode(f)->i_mode)) {
		fput(f);
		return ERR_PTR(-ENOTBLK);
	}
	if ((f->f_mode & mode) != mode) {
		fput(f);
		return ERR_PTR(-EBADF);
	}
	*filep = f;
	return I_BDEV(f->f_mapping->host);
}

static long copyoff_ioc_features(void __user *arg)
{
	struct copyoff_features f;

	if (copy_from_user(&f, arg, sizeof(f)))
		return -EFAULT;
	if (!reserved_zero(f.reserved, ARRAY_SIZE(f.reserved)))
		return -EINVAL;
	memset(&f, 0, sizeof(f));
	f.abi_version = COPYOFF_ABI_VERSION;
	f.max_ranges = COPYOFF_MAX_RANGES;
	f.features = COPYOFF_FEAT_COPY | COPYOFF_FEAT_INFO |
		     COPYOFF_FEAT_NO_EMULATION | COPYOFF_FEAT_EMULATE |
		     COPYOFF_FEAT_TWO_DEVICES | COPYOFF_FEAT_CACHE_COHERENT |
		     COPYOFF_FEAT_VALIDATE_ONLY;
	f.copy_flags = COPYOFF_F_ALL;
	strscpy(f.version, COPYOFF_VERSION, sizeof(f.version));
	if (copy_to_user(arg, &f, sizeof(f)))
		return -EFAULT;
	return 0;
}

static long copyoff_ioc_info(void __user *arg)
{
	struct copyoff_info info;
	struct copyoff_path path;
	struct block_device *bdev;
	struct file *f;
	int fd;

	if (copy_from_user(&info, arg, sizeof(info)))
		return -EFAULT;
	if (!reserved_zero(info.reserved, ARRAY_SIZE(info.reserved)))
		return -EINVAL;
	bdev = fd_bdev(info.fd, 0, &f);
	if (IS_ERR(bdev))
		return PTR_ERR(bdev);

	fd = info.fd;
	memset(&info, 0, sizeof(info));
	info.fd = fd;
	info.logical_block_size = bdev_logical_block_size(bdev);
	info.capacity = bdev_nr_bytes(bdev);

	copyoff_path_find(bdev, bdev, COPYOFF_QUERY_DETAIL, 0, COPYOFF_PATH_HW,
			  &path);
	if (path.prov) {
		info.flags |= COPYOFF_INFO_OFFLOAD;
		info.copy_max_bytes_hw = path.hw.max_bytes;
		info.copy_max_range_bytes_hw = path.hw.max_seg_bytes;
		info.max_ranges_hw = path.hw.max_segs;
		strscpy(info.provider, path.prov->name, sizeof(info.provider));
		strscpy(info.detail, path.hw.detail, sizeof(info.detail));
	}
	if (path.offload) {
		info.flags |= COPYOFF_INFO_ENABLED;
		info.copy_max_bytes = path.lim.max_bytes;
	}
	copyoff_path_put(&path);
	fput(f);

	if (copy_to_user(arg, &info, sizeof(info)))
		return -EFAULT;
	return 0;
}

/*
 * Shared by the ioctl and the copy's end, which may come after a cancel.
 * Freed on the last put of ref; error, copied and offloaded are written by
 * the end before done completes and read by the ioctl after it.
 */
struct copyoff_ioc_ctx {
	refcount_t ref;
	struct completion done;
	struct file *src_file;
	struct file *dst_file;
	struct copyoff_range *ranges;
	int error;
	u64 copied;
	u64 offloaded;
};

static void copyoff_ioc_ctx_put(struct copyoff_ioc_ctx *ctx)
{
	if (!refcount_dec_and_test(&ctx->ref))
		return;
	if (ctx->src_file)
		fput(ctx->src_file);
	if (ctx->dst_file)
		fput(ctx->dst_file);
	kvfree(ctx->ranges);
	kfree(ctx);
}

static struct copyoff_ioc_ctx *copyoff_ioc_ctx_alloc(void)
{
	struct copyoff_ioc_ctx *ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);

	if (ctx) {
		refcount_set(&ctx->ref, 1);
		init_completion(&ctx->done);
	}
	return ctx;
}

static void copyoff_ioc_end(void *priv, int error, u64 copied, u64 offloaded)
{
	struct copyoff_ioc_ctx *ctx = priv;

	ctx->error = error;
	ctx->copied = copied;
	ctx->offloaded = offloaded;
	complete(&ctx->done);
	copyoff_ioc_ctx_put(ctx);
}

/*
 * Start a validated copy of @nr ranges (ctx->ranges) and wait for its end,
 * killably: 0 and ctx->error, ->copied, ->offloaded and every comp_len
 * filled in; or -EINTR on a fatal signal, after cancelling the copy.  What
 * is in flight then ends in the background on memory the copy owns, unless
 * @drain: then it is waited for, so that comp_len is exact on return.
 */
static long copyoff_ctx_run(struct copyoff_ioc_ctx *ctx,
			    struct block_device *src, struct block_device *dst,
			    unsigned int nr, unsigned int flags, bool drain)
{
	struct copyoff_job *job;

	refcount_inc(&ctx->ref);	/* for copyoff_ioc_end */
	/* validated by the caller; copyoff_ioc_end() may run anywhere */
	job = copyoff_job_start(src, dst, ctx->ranges, nr, flags,
				COPYOFF_JOB_VALIDATED | COPYOFF_JOB_END_ANY |
				COPYOFF_JOB_DRIVEN, copyoff_ioc_end, ctx);
	if (IS_ERR_OR_NULL(job)) {
		refcount_dec(&ctx->ref);
		return PTR_ERR_OR_ZERO(job);	/* NULL: validated only */
	}
	/* the emulation's work is done here, as its bios end */
	if (copyoff_job_wait(job)) {
		copyoff_job_cancel(job);
		if (drain)
			wait_for_completion(&ctx->done);
		copyoff_job_put(job);
		return -EINTR;
	}
	copyoff_job_put(job);
	return 0;
}

/* Every range's comp_len to the caller's array: 0 or -EFAULT. */
static int put_comp_lens(struct copyoff_range __user *uranges,
			 const struct copyoff_range *ranges, unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		if (put_user(ranges[i].comp_len, &uranges[i].comp_len))
			return -EFAULT;
	return 0;
}

/*
 * The copy's devices from its descriptors (held by @ctx) and its ranges read
 * into ctx->ranges, validated: 0 or the errno of the first thing refused.
 */
static int ioc_copy_args(const struct copyoff_copy *c,
			 struct copyoff_ioc_ctx *ctx,
			 struct block_device **src, struct block_device **dst)
{
	*src = fd_bdev(c->src_fd, FMODE_READ, &ctx->src_file);
	if (IS_ERR(*src))
		return PTR_ERR(*src);
	*dst = fd_bdev(c->dst_fd, FMODE_WRITE, &ctx->dst_file);
	if (IS_ERR(*dst))
		return PTR_ERR(*dst);

	ctx->ranges = kvmalloc_array(c->nr_ranges, sizeof(*ctx->ranges),
				     GFP_KERNEL_ACCOUNT);
	if (!ctx->ranges)
		return -ENOMEM;
	if (copy_from_user(ctx->ranges, u64_to_user_ptr(c->ranges),
			   c->nr_ranges * sizeof(*ctx->ranges)))
		return -EFAULT;
	/* Here too (the engine does again) so that a rejected call writes nothing */
	return copyoff_validate(*src, *dst, ctx->ranges, c->nr_ranges, c->flags);
}

static long copyoff_ioc_copy(struct copyoff_copy __user *arg)
{
	struct block_device *src, *dst;
	struct copyoff_range __user *uranges;
	struct copyoff_ioc_ctx *ctx;
	struct copyoff_copy c;
	long ret;

	if (copy_from_user(&c, arg, sizeof(c)))
		return -EFAULT;
	if (!reserved_zero(c.reserved, ARRAY_SIZE(c.reserved)))
		return -EINVAL;
	if (c.flags & ~COPYOFF_F_ALL)
		return -EINVAL;
	if (c.nr_ranges == 0 || c.nr_ranges > COPYOFF_MAX_RANGES)
		return -EINVAL;
	uranges = u64_to_user_ptr(c.ranges);

	ctx = copyoff_ioc_ctx_alloc();
	if (!ctx)
		return -ENOMEM;
	ret = ioc_copy_args(&c, ctx, &src, &dst);
	if (ret)
		goto out;
	/*
	 * Make sure every comp_len can be written back before anything is
	 * copied, by writing back the values just read, so that a call
	 * refused here (a read-only array or structure) changes nothing either.
	 */
	if (!(c.flags & COPYOFF_F_VALIDATE_ONLY) &&
	    (put_user(c.copied, &arg->copied) ||
	     put_user(c.offloaded, &arg->offloaded) ||
	     put_comp_lens(uranges, ctx->ranges, c.nr_ranges))) {
		ret = -EFAULT;
		goto out;
	}

	ret = copyoff_ctx_run(ctx, src, dst, c.nr_ranges, c.flags, false);
	if (ret || (c.flags & COPYOFF_F_VALIDATE_ONLY))
		goto out;

	ret = ctx->error;
	if (put_comp_lens(uranges, ctx->ranges, c.nr_ranges) ||
	    put_user(ctx->copied, &arg->copied) ||
	    put_user(ctx->offloaded, &arg->offloaded))
		ret = -EFAULT;
out:
	copyoff_ioc_ctx_put(ctx);
	return ret;
}

/*
 * copy_file_range(2) between two block devices, for the module that
 * attaches copyoff to vfs_copy_file_range() (copyoff_cfr): the checks the
 * syscall documents, then the ioctl's copy of one range.  Returns the bytes
 * copied (a short count where only part was) or a negative errno, as
 * vfs_copy_file_range() does; the syscall moves the offsets by the count.
 *
 *   EINVAL     flags, a negative offset, an offset or length that is not a
 *              multiple of both devices' logical block size, ranges
 *              overlapping on one disk, a file that is not a block device
 *   EBADF      source not open for reading, destination not open for
 *              writing, or open with O_APPEND
 *   ETXTBSY    either device is an active swap device
 *   EOVERFLOW  an offset plus the length past the largest loff_t
 *   EPERM      a read-only destination (as write(2) says)
 *   ENOSPC     a destination offset at or past the device's end (as
 *              write(2) says)
 * An offset at or past the source's end copies nothing (returns 0); a
 * length reaching past either end is cut there; at most MAX_RW_COUNT bytes
 * in one call.  A fatal signal cancels the copy: the count of bytes done
 * is returned once what was in flight has ended (-EINTR for none).
 */
/*
 * copy_file_range(2)'s checks for block devices: 0 and in @n the bytes to
 * copy (0: none), or the errno above.
 */
static int cfr_length(struct file *in, loff_t pos_in, struct file *out,
		      loff_t pos_out, size_t len, unsigned int flags, u64 *n)
{
	struct block_device *src, *dst;
	u64 size_in, size_out;
	unsigned int lbs;

	*n = 0;
	if (flags)
		return -EINVAL;
	if (!S_ISBLK(file_inode(in)->i_mode) ||
	    !S_ISBLK(file_inode(out)->i_mode))
		return -EINVAL;
	if (!(in->f_mode & FMODE_READ) || !(out->f_mode & FMODE_WRITE) ||
	    (out->f_flags & O_APPEND))
		return -EBADF;
	if (IS_SWAPFILE(in->f_mapping->host) ||
	    IS_SWAPFILE(out->f_mapping->host))
		return -ETXTBSY;
	if (pos_in < 0 || pos_out < 0)
		return -EINVAL;
	if (len > (u64)LLONG_MAX - pos_in || len > (u64)LLONG_MAX - pos_out)
		return -EOVERFLOW;
	src = I_BDEV(in->f_mapping->host);
	dst = I_BDEV(out->f_mapping->host);
	if (bdev_read_only(dst))
		return -EPERM;
	lbs = max(bdev_logical_block_size(src), bdev_logical_block_size(dst));
	if (!IS_ALIGNED(pos_in | pos_out | len, lbs))
		return -EINVAL;
	if (!len)
		return 0;
	size_in = bdev_nr_bytes(src);
	size_out = bdev_nr_bytes(dst);
	if (pos_in >= size_in)
		return 0;
	if (pos_out >= size_out)
		return -ENOSPC;
	*n = min3((u64)len, size_in - pos_in, size_out - pos_out);
	*n = min_t(u64, *n, round_down(MAX_RW_COUNT, lbs));
	/* A device size not a multiple of the other's block size. */
	*n = round_down(*n, lbs);
	return 0;
}

ssize_t copyoff_copy_file_range(struct file *in, loff_t pos_in,
				struct file *out, loff_t pos_out, size_t len,
				unsigned int flags)
{
	struct block_device *src, *dst;
	struct copyoff_ioc_ctx *ctx;
	ssize_t ret;
	u64 n;

	ret = cfr_length(in, pos_in, out, pos_out, len, flags, &n);
	if (ret || !n)
		return ret;
	src = I_BDEV(in->f_mapping->host);
	dst = I_BDEV(out->f_mapping->host);

	ctx = copyoff_ioc_ctx_alloc();
	if (!ctx)
		return -ENOMEM;
	ctx->ranges = kzalloc(sizeof(*ctx->ranges), GFP_KERNEL_ACCOUNT);
	if (!ctx->ranges) {
		ret = -ENOMEM;
		goto out;
	}
	ctx->ranges[0].src_off = pos_in;
	ctx->ranges[0].dst_off = pos_out;
	ctx->ranges[0].len = n;
	/* The files stay referenced until the copy's end, as the ioctl's. */
	ctx->src_file = get_file(in);
	ctx->dst_file = get_file(out);
	ret = copyoff_validate(src, dst, ctx->ranges, 1, 0);
	if (ret == -EROFS)
		ret = -EPERM;
	if (ret)
		goto out;
	ret = copyoff_ctx_run(ctx, src, dst, 1, 0, true);
	if (ret && ret != -EINTR)
		goto out;
	/* Bytes done count, whatever ended the copy; none: its error. */
	if (ctx->ranges[0].comp_len)
		ret = ctx->ranges[0].comp_len;
	else if (!ret)
		ret = ctx->error;
out:
	copyoff_ioc_ctx_put(ctx);
	return ret;
}
EXPORT_SYMBOL_GPL(copyoff_copy_file_range);

long copyoff_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	void __user *argp = (void __user *)arg;

	switch (cmd) {
	case COPYOFF_IOC_GET_FEATURES:
		return copyoff_ioc_features(argp);
	case COPYOFF_IOC_INFO:
		return copyoff_ioc_info(argp);
	case COPYOFF_IOC_COPY:
		return copyoff_ioc_copy(argp);
	default:
		return -ENOTTY;
	}
}
