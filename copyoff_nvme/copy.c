// SPDX-License-Identifier: GPL-2.0
/*
 * copyoff_nvme: building and sending Copy commands.
 *
 * Each chunk from the core becomes one Copy command: SDLBA in CDW10-11, NR
 * (0-based) and descriptor format 0 in CDW12, one 32-byte source range
 * descriptor per segment (SLBA, NLB 0-based) in a buffer sent host to
 * controller.  The core already cut the chunk within MSSRL, MCL and MSRC+1.
 *
 * The command is a passthrough request on the namespace's blk-mq queue, sent
 * asynchronously, so that the engine's offload_qd chunks are all at the
 * device at once; for a multipath head (bio-based queue) the queue of a live,
 * ANA-optimized path (path.c); with none, the chunk is emulated.  Where the
 * build could not read the driver's per-request layout from BTF, or the
 * nvme_core loaded is not the build it was read from (copyoff_nvme_layouts),
 * nvme-core's synchronous passthrough call is used instead, from work items.
 *
 * Status: success ends the chunk; Invalid Opcode, Invalid Field, a
 * command-specific status (Command Size Limit Exceeded, ...) or a path
 * status hand the chunk back for emulation; anything else fails it.  On a
 * failure that a controller reported, completion dword 0 (the lowest source
 * range not copied) says how much of the chunk is done: the core emulates
 * from there, or reports it in comp_len.  A status the host made up (path
 * error, aborted by the host) or a path-related one means no controller
 * answered: nothing of the chunk counts as done.
 *
 * The builder refuses (the core emulates) any descriptor that does not fit
 * the live namespace: a length or offset not a multiple of the current block
 * size, or more blocks than a 16-bit NLB holds, whatever limits the provider
 * gave, so a reformat under a cached answer cannot truncate a range.
 */
#define pr_fmt(fmt) "copyoff_nvme: " fmt

#include <linux/slab.h>
#include <linux/workqueue.h>
#include <linux/nvme_ioctl.h>
#include <linux/blk-mq.h>
#include <copyoff_btf.h>
#include "nvme_copy.h"

/* What the core should do with a failed command. */
static int status_to_errno(int status)
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
static void report_failure(struct copyoff_chunk *chunk, int status, int ret)
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

/* A Copy command for @chunk and its source range descriptors. */
struct copyoff_nvme_cmd {
	struct nvme_command cmd;
	struct copyoff_chunk *chunk;
	unsigned int len;		/* of the descriptors */
	struct copyoff_nvme_range_fmt0 desc[];
};

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

static struct copyoff_nvme_cmd *build_copy(struct copyoff_chunk *chunk)
{
	struct block_device *bdev = chunk->dst;
	u32 lbs = bdev_logical_block_size(bdev);
	u64 sbase = (u64)get_start_sect(chunk->src) << SECTOR_SHIFT;
	u64 dbase = (u64)get_start_sect(chunk->dst) << SECTOR_SHIFT;
	struct copyoff_nvme_cmd *c;
	unsigned int i;
	u64 sdlba;
	int nsid;

	if (!chunk_fits(chunk, lbs, sbase, dbase)) {
		pr_warn_ratelimited("%s: a Copy of %u range(s) does not fit %u-byte blocks (reformatted?): emulating\n",
				    bdev->bd_disk->disk_name, chunk->nr_segs, lbs);
		return ERR_PTR(-EOPNOTSUPP);
	}
	nsid = compat_bdev_driver_ioctl(bdev, NVME_IOCTL_ID, 0);
	if (nsid <= 0)
		return ERR_PTR(-EOPNOTSUPP);
	c = kzalloc(struct_size(c, desc, chunk->nr_segs), GFP_NOIO);
	if (!c)
		return ERR_PTR(-ENOMEM);
	c->chunk = chunk;
	c->len = chunk->nr_segs * sizeof(c->desc[0]);
	for (i = 0; i < chunk->nr_segs; i++) {
		c->desc[i].slba = cpu_to_le64((sbase + chunk->segs[i].src_off) / lbs);
		c->desc[i].nlb = cpu_to_le16(chunk->segs[i].len / lbs - 1);
	}
	sdlba = (dbase + chunk->dst_off) / lbs;
	c->cmd.common.opcode = COPYOFF_NVME_CMD_COPY;
	c->cmd.common.nsid = cpu_to_le32(nsid);
	c->cmd.common.cdw10 = cpu_to_le32(lower_32_bits(sdlba));
	c->cmd.common.cdw11 = cpu_to_le32(upper_32_bits(sdlba));
	c->cmd.common.cdw12 = cpu_to_le32(COPYOFF_NVME_CDW12_NR(chunk->nr_segs - 1) |
					  COPYOFF_NVME_CDW12_DF(0));
	return c;
}

#ifdef HAVE_BTF_NVME_REQUEST
/*
 * Bytes of @chunk known copied when a Copy failed: completion dword 0 holds
 * the number of the lowest source range not copied.
 */
static u64 done_before_range(struct copyoff_chunk *chunk, u32 dword0)
{
	u64 done = 0;
	unsigned int i;

	if (dword0 >= chunk->nr_segs)
		return 0;	/* not a range number: nothing is known */
	for (i = 0; i < dword0; i++)
		done += chunk->segs[i].len;
	return done;
}

/*
 * Asynchronous path: a passthrough request on the namespace's (or path's)
 * queue, ended by copy_end_io().  The NVMe status and completion dword 0 are
 * read from the driver's per-request data at the offsets the target kernel's
 * BTF gave at build time (scripts/btf-layout.sh).
 */
void nvme_init_request(struct request *req, struct nvme_command *cmd);

static u16 rq_nvme_status(struct request *rq)
{
	return *(u16 *)((u8 *)blk_mq_rq_to_pdu(rq) +
			COPYOFF_BTF_NVME_REQUEST_STATUS_OFF);
}

static u32 rq_nvme_dword0(struct request *rq)
{
	return le32_to_cpu(*(__le32 *)((u8 *)blk_mq_rq_to_pdu(rq) +
				       COPYOFF_BTF_NVME_REQUEST_RESULT_OFF));
}

/*
 * The per-request data lives as long as the tag set: nvme-core writes the
 * result only when a controller completes the command, so without this a
 * status the host makes up would come with the previous command's dword 0.
 * 0 reads as "source range 0 not copied": nothing counts as done.
 */
static void rq_nvme_clear_result(struct request *rq)
{
	memset((u8 *)blk_mq_rq_to_pdu(rq) + COPYOFF_BTF_NVME_REQUEST_RESULT_OFF,
	       0, sizeof(union nvme_result));
}

/* Did a controller complete the command with this status (and dword 0)? */
static bool status_from_controller(u16 status)
{
	switch (COPYOFF_NVME_SCT(status)) {
	case COPYOFF_NVME_SCT_GENERIC:
	case COPYOFF_NVME_SCT_CMD_SPECIFIC:
	case COPYOFF_NVME_SCT_MEDIA:
		return true;
	default:
		/* path related: the host's own, or the path could not run it */
		return false;
	}
}

static enum rq_end_io_ret copy_end_io(struct request *rq, blk_status_t err)
{
	struct copyoff_nvme_cmd *c = rq->end_io_data;
	struct copyoff_chunk *chunk = c->chunk;
	u16 status = rq_nvme_status(rq);
	int ret = 0;
	u64 done = chunk->len;

	if (status) {
		done = status_from_controller(status) ?
		       done_before_range(chunk, rq_nvme_dword0(rq)) : 0;
		ret = status_to_errno(status);
		report_failure(chunk, status, ret);
	} else if (err) {
		done = 0;
		ret = status_to_errno(blk_status_to_errno(err));
		report_failure(chunk, blk_status_to_errno(err), ret);
	}
	kfree(c);
	copyoff_chunk_end(chunk, ret, done);
	return RQ_END_IO_FREE;
}

static void submit_async(struct copyoff_chunk *chunk)
{
	struct copyoff_nvme_cmd *c = build_copy(chunk);
	struct request_queue *q;
	struct device *pathdev;
	struct request *rq;
	int ret;

	if (IS_ERR(c)) {
		copyoff_chunk_end(chunk, PTR_ERR(c), 0);
		return;
	}
	q = copyoff_nvme_io_queue(chunk->dst->bd_disk, &pathdev);
	if (!q) {
		ret = -EOPNOTSUPP;
		goto fail;
	}
	rq = blk_mq_alloc_request(q, REQ_OP_DRV_OUT, 0);
	if (IS_ERR(rq)) {
		ret = status_to_errno(PTR_ERR(rq));
		goto fail_put;
	}
	nvme_init_request(rq, &c->cmd);
	rq_nvme_clear_result(rq);
	ret = blk_rq_map_kern(q, rq, c->desc, c->len, GFP_NOIO);
	if (ret) {
		blk_mq_free_request(rq);
		goto fail_put;
	}
	rq->end_io = copy_end_io;
	rq->end_io_data = c;
	blk_execute_rq_nowait(rq, false);
	/* the request holds the queue until it ends */
	if (pathdev)
		put_device(pathdev);
	return;

fail_put:
	if (pathdev)
		put_device(pathdev);
fail:
	kfree(c);
	copyoff_chunk_end(chunk, ret, 0);
}

#endif

/*
 * Without the driver's request layout: nvme-core's exported synchronous
 * passthrough call, each command on its own work item of an unbound
 * workqueue so that several are at the device at once.  It returns the NVMe
 * status but not dword 0: a failed command counts as nothing copied.
 *
 * A work item is freed only when its command is done: the workqueue runs a
 * work item queued at the address of one still executing after it, so one
 * freed before the wait and allocated again at once for another chunk (a
 * Copy to an nvmet target on this host, whose backing device is NVMe too)
 * would wait for the command that waits for it.
 */
static struct workqueue_struct *copyoff_nvme_wq;

struct copyoff_nvme_req {
	struct work_struct work;
	struct copyoff_chunk *chunk;
};

static void copyoff_nvme_work(struct work_struct *work)
{
	struct copyoff_nvme_req *req = container_of(work, struct copyoff_nvme_req, work);
	struct copyoff_chunk *chunk = req->chunk;
	struct copyoff_nvme_cmd *c;
	struct request_queue *q;
	struct device *pathdev;
	int ret;

	c = build_copy(chunk);
	if (IS_ERR(c)) {
		kfree(req);
		copyoff_chunk_end(chunk, PTR_ERR(c), 0);
		return;
	}
	q = copyoff_nvme_io_queue(chunk->dst->bd_disk, &pathdev);
	if (!q) {
		ret = -EOPNOTSUPP;
	} else {
		int status = nvme_submit_sync_cmd(q, &c->cmd, c->desc, c->len);

		ret = status ? status_to_errno(status) : 0;
		if (status)
			report_failure(chunk, status, ret);
	}
	if (pathdev)
		put_device(pathdev);
	kfree(c);
	kfree(req);
	copyoff_chunk_end(chunk, ret, ret ? 0 : chunk->len);
}

void copyoff_nvme_submit(struct copyoff_provider *prov,
			 struct copyoff_chunk *chunk)
{
	struct copyoff_nvme_req *req;

#ifdef HAVE_BTF_NVME_REQUEST
	if (copyoff_nvme_layouts) {
		submit_async(chunk);
		return;
	}
#endif
	req = kmalloc(sizeof(*req), GFP_NOIO);
	if (!req) {
		copyoff_chunk_end(chunk, -ENOMEM, 0);
		return;
	}
	req->chunk = chunk;
	INIT_WORK(&req->work, copyoff_nvme_work);
	queue_work(copyoff_nvme_wq, &req->work);
}

/* After copyoff_nvme_layouts is set: the work items are for the other way. */
int copyoff_nvme_copy_init(void)
{
#ifdef HAVE_BTF_NVME_REQUEST
	if (copyoff_nvme_layouts)
		return 0;
#endif
	copyoff_nvme_wq = alloc_workqueue("copyoff_nvme",
					  WQ_UNBOUND | WQ_MEM_RECLAIM, 0);
	return copyoff_nvme_wq ? 0 : -ENOMEM;
}

/* Every chunk holds a reference on this module: none is left at exit. */
void copyoff_nvme_copy_exit(void)
{
	if (copyoff_nvme_wq)
		destroy_workqueue(copyoff_nvme_wq);
}
