// SPDX-License-Identifier: GPL-2.0
/*
 * copyoff_nvme: building and sending Copy commands.
 *
 * Each chunk from the core becomes one Copy command: SDLBA in CDW10-11, NR
 * (0-based) and the descriptor format in CDW12, one 32-byte source range
 * descriptor per segment (SLBA, NLB 0-based) in a buffer sent host to
 * controller.  The core already cut the chunk within MSSRL, MCL and MSRC+1.
 * Within one namespace the descriptors are of format 0; from another
 * namespace of the same controller (main.c decides when: formats match,
 * CDFE enabled) of format 2, each naming the source namespace (SNSID), the
 * command going to the destination namespace.
 *
 * The command is a passthrough request on the namespace's blk-mq queue, sent
 * asynchronously, so that the engine's offload_qd chunks are all at the
 * device at once; for a multipath head (bio-based queue) the queue of a live,
 * ANA-optimized path (path.c); with none, the chunk is emulated.  Where the
 * build could not read the driver's per-request layout from BTF, or the
 * nvme_core loaded is not the build it was read from (copyoff_nvme_layouts),
 * nvme-core's synchronous passthrough call is used instead, from work items.
 * This file builds the commands and chooses the way; submit_async.c (built
 * only where the build read nvme_request's layout, see Kbuild) and
 * submit_sync.c send them.
 *
 * Status: success ends the chunk; Invalid Opcode, Invalid Field, a
 * command-specific status (Command Size Limit Exceeded, and TP 4130's
 * Incompatible Namespace or Format, Fast Copy Not Possible, Overlapping I/O
 * Range, Namespace Not Reachable) or a path status hand the chunk back for
 * emulation; Insufficient Resources (without Do Not Retry) is sent again,
 * up to COPYOFF_NVME_TRIES sends, and then emulated; anything else fails it.
 * Invalid Namespace or Format on a format 2 command is emulated too.
 * Invalid Field on a format 2 command also makes the cached answers stale:
 * the controller may have lost CDFE (a reset, another program's Set
 * Features), and the next copy discovers, and enables, again.
 * On a failure that a controller reported, completion dword 0 (the lowest
 * source range not copied) says how much of the chunk is done: the core
 * emulates from there, or reports it in comp_len.  A status the host made
 * up (path error, aborted by the host) or a path-related one means no
 * controller answered: nothing of the chunk counts as done.
 *
 * The builder refuses (the core emulates) any descriptor that does not fit
 * the live namespaces: a length or offset not a multiple of the current
 * block size, or more blocks than a 16-bit NLB holds, whatever limits the
 * provider gave, so a reformat under a cached answer cannot truncate a
 * range; across namespaces, two block sizes that differ now.
 *
 * Prefix: copyoff_nvme_ (the module's, nvme_copy.h); this file's own have
 * none.
 */
#define pr_fmt(fmt) "copyoff_nvme: " fmt

#include <linux/slab.h>
#include <linux/nvme_ioctl.h>
#include <linux/blkdev.h>
#include "nvme_copy.h"

/* What the core should do with a failed command. */
int copyoff_nvme_status_errno(int status)
{
	if (status < 0) {
		/* the path or the controller went away: emulate */
		if (status == -ENODEV || status == -ENXIO || status == -ENOLINK ||
		    status == -ENOTCONN || status == -EAGAIN)
			return -EOPNOTSUPP;
		return status;
	}
	switch (COPYOFF_NVME_SCT(status)) {
	case COPYOFF_NVME_SCT_GENERIC:
		if (COPYOFF_NVME_SC(status) == COPYOFF_NVME_SC_INVALID_OPCODE ||
		    COPYOFF_NVME_SC(status) == COPYOFF_NVME_SC_INVALID_FIELD)
			return -EOPNOTSUPP;
		return -EIO;
	case COPYOFF_NVME_SCT_CMD_SPECIFIC:
	case COPYOFF_NVME_SCT_PATH:
		return -EOPNOTSUPP;
	default:
		return -EIO;
	}
}

/*
 * A failed Copy command, in the kernel log.  A device (or a remote target,
 * over a fabric) can fail every command of every copy a user starts, so the
 * message is rate-limited.  @status is an NVMe status (> 0) or an errno
 * (< 0); @ret is what the core is told.
 */
void copyoff_nvme_report_failure(struct copyoff_chunk *chunk, int status,
				  int ret)
{
	u32 lbs = bdev_logical_block_size(chunk->dst);
	u64 sdlba = (((u64)get_start_sect(chunk->dst) << SECTOR_SHIFT) +
		     chunk->dst_off) / lbs;

	pr_warn_ratelimited("%s: Copy of %u range(s) to LBA %llu failed: %s %#x, %s\n",
			    chunk->dst->bd_disk->disk_name, chunk->nr_segs,
			    sdlba, status > 0 ? "NVMe status" : "error",
			    status > 0 ? status : -status,
			    ret == -EOPNOTSUPP ? "emulating the rest" : "copy failed");
}

/*
 * Does @chunk fit Copy descriptors of format 0 on a namespace of @lbs-byte
 * blocks: every offset and length a multiple of the block size, 1..65536
 * blocks per range (NLB is 16 bits, 0-based), 1..256 ranges (NR is 8 bits)?
 */
static bool chunk_fits(const struct copyoff_chunk *chunk, u32 lbs, u64 sbase,
		       u64 dbase)
{
	unsigned int i;

	if (!chunk->nr_segs || chunk->nr_segs > 256 ||
	    (dbase + chunk->dst_off) % lbs)
		return false;
	for (i = 0; i < chunk->nr_segs; i++) {
		const struct copyoff_seg *s = &chunk->segs[i];

		if (!s->len || s->len % lbs || (sbase + s->src_off) % lbs ||
		    s->len / lbs > 65536)
			return false;
	}
	return true;
}

/*
 * For tests only, in debugfs (copyoff_nvme/xns_any_format, main.c): send
 * format 2 across namespaces whose block sizes differ, so that the device
 * answers Incompatible Namespace or Format.
 */
bool copyoff_nvme_xns_any_format;

struct copyoff_nvme_cmd *copyoff_nvme_build_copy(struct copyoff_chunk *chunk)
{
	struct block_device *bdev = chunk->dst;
	bool xns = chunk->src->bd_disk != chunk->dst->bd_disk;
	u32 lbs = bdev_logical_block_size(bdev);
	u32 slbs = bdev_logical_block_size(chunk->src);
	u64 sbase = (u64)get_start_sect(chunk->src) << SECTOR_SHIFT;
	u64 dbase = (u64)get_start_sect(chunk->dst) << SECTOR_SHIFT;
	struct copyoff_nvme_cmd *c;
	int nsid, snsid = 0;
	unsigned int i;
	u64 sdlba;

	if (!chunk_fits(chunk, lbs, sbase, dbase) ||
	    (xns && slbs != lbs && !READ_ONCE(copyoff_nvme_xns_any_format))) {
		pr_warn_ratelimited("%s: a Copy of %u range(s) does not fit %u-byte blocks (reformatted?): emulating\n",
				    bdev->bd_disk->disk_name, chunk->nr_segs, lbs);
		return ERR_PTR(-EOPNOTSUPP);
	}
	nsid = compat_bdev_driver_ioctl(bdev, NVME_IOCTL_ID, 0);
	if (nsid <= 0)
		return ERR_PTR(-EOPNOTSUPP);
	if (xns) {
		snsid = compat_bdev_driver_ioctl(chunk->src, NVME_IOCTL_ID, 0);
		if (snsid <= 0 || snsid == nsid)
			return ERR_PTR(-EOPNOTSUPP);
	}
	c = kzalloc(struct_size(c, desc, chunk->nr_segs), GFP_NOIO);
	if (!c)
		return ERR_PTR(-ENOMEM);
	c->chunk = chunk;
	c->format = xns ? 2 : 0;
	c->len = chunk->nr_segs * sizeof(c->desc[0]);
	for (i = 0; i < chunk->nr_segs; i++) {
		c->desc[i].snsid = cpu_to_le32(snsid);
		c->desc[i].slba = cpu_to_le64((sbase + chunk->segs[i].src_off) /
					      (xns ? slbs : lbs));
		c->desc[i].nlb = cpu_to_le16(chunk->segs[i].len / lbs - 1);
	}
	sdlba = (dbase + chunk->dst_off) / lbs;
	c->cmd.common.opcode = COPYOFF_NVME_CMD_COPY;
	c->cmd.common.nsid = cpu_to_le32(nsid);
	c->cmd.common.cdw10 = cpu_to_le32(lower_32_bits(sdlba));
	c->cmd.common.cdw11 = cpu_to_le32(upper_32_bits(sdlba));
	c->cmd.common.cdw12 = cpu_to_le32(COPYOFF_NVME_CDW12_NR(chunk->nr_segs - 1) |
					  COPYOFF_NVME_CDW12_DF(c->format));
	return c;
}

/*
 * Should @c, sent c->tries times, be sent again after @status?  Only for
 * Insufficient Resources without Do Not Retry (with it, the controller says
 * a resend would fail as well: the rest is emulated at once).
 */
bool copyoff_nvme_retry(struct copyoff_nvme_cmd *c, int status)
{
	return status > 0 && !(status & COPYOFF_NVME_DNR) &&
	       COPYOFF_NVME_SCT(status) == COPYOFF_NVME_SCT_CMD_SPECIFIC &&
	       COPYOFF_NVME_SC(status) == COPYOFF_NVME_SC_NO_RESOURCES &&
	       c->tries < COPYOFF_NVME_TRIES;
}

/*
 * @c failed with NVMe status @status (> 0) or an errno, for good: what the
 * core is told.  A format 2 command refused with Invalid Field means the
 * controller no longer has the format enabled (CDFE): every namespace is
 * discovered again.  Invalid Namespace or Format (generic) on a format 2
 * command names the source namespace (gone, or not attached to this
 * controller): the rest is emulated, whose reads then answer for it.
 */
int copyoff_nvme_cmd_failed(struct copyoff_nvme_cmd *c, int status)
{
	bool generic = status > 0 &&
		       COPYOFF_NVME_SCT(status) == COPYOFF_NVME_SCT_GENERIC;

	if (c->format == 2 && generic &&
	    COPYOFF_NVME_SC(status) == COPYOFF_NVME_SC_INVALID_FIELD)
		copyoff_nvme_forget();
	if (c->format == 2 && generic &&
	    COPYOFF_NVME_SC(status) == COPYOFF_NVME_SC_INVALID_NS)
		return -EOPNOTSUPP;
	return copyoff_nvme_status_errno(status);
}

void copyoff_nvme_submit(struct copyoff_provider *prov,
			 struct copyoff_chunk *chunk)
{
	if (copyoff_nvme_use_async())
		copyoff_nvme_submit_async(chunk);
	else
		copyoff_nvme_submit_sync(chunk);
}

/* After copyoff_nvme_layouts is set: the work items are for the other way. */
int copyoff_nvme_copy_init(void)
{
	return copyoff_nvme_use_async() ? 0 : copyoff_nvme_sync_init();
}

/* Every chunk holds a reference on this module: none is left at exit. */
void copyoff_nvme_copy_exit(void)
{
	copyoff_nvme_sync_exit();
}
