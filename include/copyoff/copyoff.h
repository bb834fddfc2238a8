/* SPDX-License-Identifier: GPL-2.0 */
/*
 * copyoff in-kernel API, exported by copyoff_core.
 *
 * Copy byte ranges from one block device to another (or within one), offloaded
 * by a registered provider where it can and emulated with in-kernel reads and
 * writes otherwise.  The same engine serves /dev/copyoff.
 *
 * Example: copy 1 MiB from offset 0 to offset 64 MiB of the same device and
 * wait for it.
 *
 *	struct copyoff_range r = {
 *		.src_off = 0, .dst_off = 64 << 20, .len = 1 << 20,
 *	};
 *	u64 copied, offloaded;
 *	int ret;
 *
 *	ret = copyoff_copy(bdev, bdev, &r, 1, 0, &copied, &offloaded);
 *	if (ret)
 *		pr_err("copy failed (%d) after %llu bytes\n", ret, r.comp_len);
 *
 * Asynchronously: copyoff_copy_async() validates and starts the copy and
 * returns 0, or returns a negative errno and calls nothing (with
 * COPYOFF_F_VALIDATE_ONLY it only validates, and calls nothing either).  Once started,
 * @end is called exactly once (in process context, from copyoff's
 * workqueue) after every range's comp_len has been written; @ranges must stay
 * valid until then.
 *
 *	static void my_end(void *priv, int error, u64 copied, u64 offloaded)
 *	{
 *		complete(priv);
 *	}
 *	...
 *	ret = copyoff_copy_async(src, dst, ranges, nr, 0, my_end, &done);
 *
 * The rules on ranges are those of the ioctl (include/uapi/linux/copyoff.h):
 * block-aligned to both devices, inside both, no overlap of source and
 * destination on one device, no overlap between destinations.
 *
 * Providers: a module that can offload for some devices registers a
 * struct copyoff_provider.  For every copy the core asks each provider's
 * ->query() whether it can offload between the two devices and with which
 * limits; the first that says yes gets the copy's chunks through ->submit(),
 * split by the core within those limits, and reports each chunk's end with
 * copyoff_chunk_end().  A chunk the provider cannot do (status -EOPNOTSUPP)
 * is emulated by the core, from the first byte not done, unless the caller
 * forbade emulation.
 */
#ifndef COPYOFF_COPYOFF_H
#define COPYOFF_COPYOFF_H

#include <linux/list.h>
#include <linux/module.h>
#include <linux/blkdev.h>
#include <linux/types.h>
#include <linux/copyoff.h>

/* The package version, as built into copyoff_core ("x.y.z"). */
const char *copyoff_version(void);

/*
 * Is the loaded stock @module (nvme_core, nvmet) the build whose BTF had
 * CRC-32 @crc and length @len when copyoff was built (copyoff_btf.h)?  0 if
 * so; -ESTALE for another build, or the errno of reading its BTF.  Says in
 * the kernel log, each line prefixed with @who, which it is and, when it is
 * not the build, @consequence.  For a provider's init: one call, one line.
 */
int copyoff_btf_verify(const char *who, const char *module, u32 crc,
		       size_t len, const char *consequence);

/*
 * Flags for in-kernel callers only, beside the COPYOFF_F_* flags of the ABI:
 * COPYOFF_KF_NO_STATS keeps a copy out of the per-device counters (for a
 * provider's own internal copies, which are its device's work);
 * COPYOFF_KF_NO_CACHE skips the page-cache step (no writeback of the source's
 * cached pages before, no invalidation of the destination's after: nothing
 * that waits on page-cache I/O), for a caller whose I/O bypasses the page
 * cache as stock dm-kcopyd's does (copyoff_kcopyd, from a dm map path).
 */
#define COPYOFF_KF_NO_STATS	(1U << 31)
#define COPYOFF_KF_NO_CACHE	(1U << 30)
#define COPYOFF_KF_ALL		(COPYOFF_KF_NO_STATS | COPYOFF_KF_NO_CACHE)
/* The flags a chunk carries to its provider (struct copyoff_chunk). */
#define COPYOFF_CHUNK_FLAGS	(COPYOFF_F_NO_EMULATION | COPYOFF_KF_NO_STATS)

typedef void (*copyoff_end_fn)(void *priv, int error, u64 copied,
			       u64 offloaded);

int copyoff_copy_async(struct block_device *src, struct block_device *dst,
		       struct copyoff_range *ranges, unsigned int nr_ranges,
		       unsigned int flags, copyoff_end_fn end, void *priv);

int copyoff_copy(struct block_device *src, struct block_device *dst,
		 struct copyoff_range *ranges, unsigned int nr_ranges,
		 unsigned int flags, u64 *copied, u64 *offloaded);

/*
 * copy_file_range(2) between two open block-device files, with the
 * syscall's checks (copyoff_core/ioctl.c lists them): the bytes copied, or
 * a negative errno.  Process context; waits, killably.
 */
ssize_t copyoff_copy_file_range(struct file *in, loff_t pos_in,
				struct file *out, loff_t pos_out, size_t len,
				unsigned int flags);

/*
 * How a provider may answer ->query() (copyoff_limits.flags, set by the
 * core): COPYOFF_QUERY_CACHED asks for what is known already, with no
 * discovery started (a world-readable sysfs attribute must not make a
 * reader's process send commands to a device).  COPYOFF_QUERY_DETAIL asks
 * for copyoff_limits.detail too (the INFO ioctl); without it detail may be
 * left empty, so that the query the engine makes for every copy formats no
 * text.
 */
#define COPYOFF_QUERY_CACHED	(1U << 0)
#define COPYOFF_QUERY_DETAIL	(1U << 1)

/* Limits a provider reports for a pair of devices. */
struct copyoff_limits {
	u64 max_bytes;		/* bytes per chunk (one command) */
	u64 max_seg_bytes;	/* bytes per source segment */
	u32 max_segs;		/* source segments per chunk */
	u32 align;		/* offsets and lengths: multiples of this */
	char detail[64];	/* provider-specific text for COPYOFF_IOC_INFO
				 * (with COPYOFF_QUERY_DETAIL) */
	u32 flags;		/* in: COPYOFF_QUERY_* */
};

/* One source segment of a chunk; its destination follows the previous one. */
struct copyoff_seg {
	u64 src_off;		/* bytes, on chunk->src */
	u64 len;		/* bytes */
};

/*
 * A chunk handed to a provider: nr_segs source segments, copied one after
 * the other to dst_off onwards on dst.  Providers own provider_data.
 */
struct copyoff_chunk {
	struct block_device *src;
	struct block_device *dst;
	u64 dst_off;			/* bytes */
	u64 len;			/* bytes, sum of the segments */
	unsigned int nr_segs;
	/*
	 * The caller's flags that bind every copy a provider starts for this
	 * chunk (a stacking provider passes them to copyoff_copy_async()):
	 * COPYOFF_F_NO_EMULATION and COPYOFF_KF_NO_STATS.
	 */
	unsigned int flags;
	void *provider_data;
	/*
	 * Of the bytes a provider reports done, how many it had to emulate
	 * itself (a stacking provider whose device below could not offload);
	 * 0 unless the provider sets it before copyoff_chunk_end().
	 */
	u64 emulated;
	struct copyoff_seg segs[];
};

struct copyoff_provider;

struct copyoff_provider_ops {
	/*
	 * Can this provider offload copies from @src to @dst?  Fill @lim and
	 * return 0, or return -EOPNOTSUPP.  Process context; may sleep.
	 */
	int (*query)(struct copyoff_provider *prov, struct block_device *src,
		     struct block_device *dst, struct copyoff_limits *lim);
	/*
	 * Start @chunk, which is within the limits ->query() gave.  Call
	 * copyoff_chunk_end() exactly once, from any context.  Process
	 * context; may sleep.
	 */
	void (*submit)(struct copyoff_provider *prov,
		       struct copyoff_chunk *chunk);
};

/*
 * End of a chunk: @done is the number of leading bytes of the chunk (in
 * segment order) known copied; @status is 0 (then @done must be chunk->len),
 * -EOPNOTSUPP (the rest can be emulated) or another negative errno.
 */
void copyoff_chunk_end(struct copyoff_chunk *chunk, int status, u64 done);

struct copyoff_provider {
	const char *name;		/* short, shown by "copyoff info" */
	struct module *owner;		/* THIS_MODULE */
	const struct copyoff_provider_ops *ops;
};

int copyoff_register_provider(struct copyoff_provider *prov);
int copyoff_for_each_block_dev(int (*fn)(struct device *dev, void *data),
			       void *data);
/*
 * Would a copy from @src to @dst be offloaded now?  0 with the limits and the
 * provider's name copied to @provider (@size bytes, NUL-terminated; NULL for
 * none), else -EOPNOTSUPP.  @qflags: COPYOFF_QUERY_* (a stacking provider
 * passes on those of its own query).  May sleep.
 */
int copyoff_query(struct block_device *src, struct block_device *dst,
		  struct copyoff_limits *lim, unsigned int qflags,
		  char *provider, size_t size);
void copyoff_unregister_provider(struct copyoff_provider *prov);

#endif /* COPYOFF_COPYOFF_H */
