// SPDX-License-Identifier: GPL-2.0
/*
 * copyoff_nvme: Copy commands as asynchronous passthrough requests, reading
 * the driver's per-request data at the offsets of nvme_request the build
 * read from BTF.  Built only where it did (Kbuild); used only where the
 * loaded nvme_core is that build (copyoff_nvme_layouts).
 *
 * Prefix: copyoff_nvme_ (the module's, nvme_copy.h); rq_ (a request's
 * driver data).
 */
#define pr_fmt(fmt) "copyoff_nvme: " fmt

#include <linux/slab.h>
#include <linux/blk-mq.h>
#include "nvme_copy.h"

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
 * BTF gave at build time (scripts/btf-layout.sh), which also checks
 * nvme_init_request()'s prototype there (scripts/btf-protos).
 */
void nvme_init_request(struct request *req, struct nvme_command *cmd);

/* The members are read as these types: their sizes in nvme-core's BTF. */
static_assert(COPYOFF_BTF_NVME_REQUEST_STATUS_SIZE == sizeof(u16));
static_assert(COPYOFF_BTF_NVME_REQUEST_RESULT_SIZE ==
	      sizeof(union nvme_result));

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

static void copyoff_nvme_send_async(struct copyoff_nvme_cmd *c);

static void copy_retry_work(struct work_struct *work)
{
	copyoff_nvme_send_async(container_of(to_delayed_work(work),
					     struct copyoff_nvme_cmd, retry));
}

static enum rq_end_io_ret copy_end_io(struct request *rq, blk_status_t err)
{
	struct copyoff_nvme_cmd *c = rq->end_io_data;
	struct copyoff_chunk *chunk = c->chunk;
	u16 status = rq_nvme_status(rq);
	int ret = 0;
	u64 done = chunk->len;

	if (status && copyoff_nvme_retry(c, status)) {
		/* sent again whole: a range copied twice copies the same data */
		INIT_DELAYED_WORK(&c->retry, copy_retry_work);
		queue_delayed_work(system_wq, &c->retry,
				   msecs_to_jiffies(COPYOFF_NVME_RETRY_MS << (c->tries - 1)));
		return RQ_END_IO_FREE;
	}
	if (status) {
		done = status_from_controller(status) ?
		       done_before_range(chunk, rq_nvme_dword0(rq)) : 0;
		ret = copyoff_nvme_cmd_failed(c, status);
		copyoff_nvme_report_failure(chunk, status, ret);
	} else if (err) {
		done = 0;
		ret = copyoff_nvme_status_errno(blk_status_to_errno(err));
		copyoff_nvme_report_failure(chunk, blk_status_to_errno(err), ret);
	}
	kfree(c);
	copyoff_chunk_end(chunk, ret, done);
	return RQ_END_IO_FREE;
}

void copyoff_nvme_submit_async(struct copyoff_chunk *chunk)
{
	struct copyoff_nvme_cmd *c = copyoff_nvme_build_copy(chunk);

	if (IS_ERR(c)) {
		copyoff_chunk_end(chunk, PTR_ERR(c), 0);
		return;
	}
	copyoff_nvme_send_async(c);
}

/* Send @c (again); process context. */
static void copyoff_nvme_send_async(struct copyoff_nvme_cmd *c)
{
	struct copyoff_chunk *chunk = c->chunk;
	struct request_queue *q;
	struct device *pathdev;
	struct request *rq;
	int ret;

	c->tries++;
	q = copyoff_nvme_copy_queue(chunk->dst->bd_disk,
				    chunk->src->bd_disk, &pathdev);
	if (!q) {
		ret = -EOPNOTSUPP;
		goto fail;
	}
	rq = blk_mq_alloc_request(q, REQ_OP_DRV_OUT, 0);
	if (IS_ERR(rq)) {
		ret = copyoff_nvme_status_errno(PTR_ERR(rq));
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
