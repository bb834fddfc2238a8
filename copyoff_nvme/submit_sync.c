// SPDX-License-Identifier: GPL-2.0
/*
 * copyoff_nvme: Copy commands through nvme-core's synchronous passthrough
 * call (no private layout of nvme_core needed; see copy.c for when).
 *
 * Prefix: copyoff_nvme_ (the module's, nvme_copy.h).
 */
#define pr_fmt(fmt) "copyoff_nvme: " fmt

#include <linux/slab.h>
#include <linux/delay.h>
#include <linux/workqueue.h>
#include <linux/blkdev.h>
#include "nvme_copy.h"

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

	c = copyoff_nvme_build_copy(chunk);
	if (IS_ERR(c)) {
		kfree(req);
		copyoff_chunk_end(chunk, PTR_ERR(c), 0);
		return;
	}
	q = copyoff_nvme_copy_queue(chunk->dst->bd_disk,
				    chunk->src->bd_disk, &pathdev);
	if (!q) {
		ret = -EOPNOTSUPP;
	} else {
		int status;

		for (;;) {
			c->tries++;
			status = nvme_submit_sync_cmd(q, &c->cmd, c->desc, c->len);
			if (!copyoff_nvme_retry(c, status))
				break;
			msleep(COPYOFF_NVME_RETRY_MS << (c->tries - 1));
		}
		ret = status ? copyoff_nvme_cmd_failed(c, status) : 0;
		if (status)
			copyoff_nvme_report_failure(chunk, status, ret);
	}
	if (pathdev)
		put_device(pathdev);
	kfree(c);
	kfree(req);
	copyoff_chunk_end(chunk, ret, ret ? 0 : chunk->len);
}

void copyoff_nvme_submit_sync(struct copyoff_chunk *chunk)
{
	struct copyoff_nvme_req *req = kmalloc(sizeof(*req), GFP_NOIO);

	if (!req) {
		copyoff_chunk_end(chunk, -ENOMEM, 0);
		return;
	}
	req->chunk = chunk;
	INIT_WORK(&req->work, copyoff_nvme_work);
	queue_work(copyoff_nvme_wq, &req->work);
}

int copyoff_nvme_sync_init(void)
{
	copyoff_nvme_wq = alloc_workqueue("copyoff_nvme",
					  WQ_UNBOUND | WQ_MEM_RECLAIM, 0);
	return copyoff_nvme_wq ? 0 : -ENOMEM;
}

void copyoff_nvme_sync_exit(void)
{
	if (copyoff_nvme_wq)
		destroy_workqueue(copyoff_nvme_wq);
}
