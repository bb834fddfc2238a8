// SPDX-License-Identifier: GPL-2.0
/*
 * copyoff_nvme: building and sending Copy commands.
 *
 * Each chunk from the core becomes one Copy command: SDLBA in CDW10-11, NR
 * (0-based) and descriptor format 0 in CDW12, one 32-byte source range
 * descriptor per segment (SLBA, NLB 0-based) in a buffer sent host to
 * controller.  The core already cut the chunk within MSSRL, MCL and MSRC+1.
 *
 * The command goes through nvme-core's exported synchronous passthrough
 * call, each on its own work item of an unbound workqueue, so that the
 * engine's offload_qd chunks are all at the device at once and no caller
 * ever blocks.  For a multipath head (bio-based queue) a path disk's blk-mq
 * queue is used.
 *
 * Status: success ends the chunk; Invalid Opcode, Invalid Field, a
 * command-specific status (Command Size Limit Exceeded, ...) or a path
 * status hand the chunk back for emulation; anything else fails it.  The
 * stock passthrough call returns the status but not completion dword 0, so a
 * failed command counts as nothing copied (comp_len stays exact, a lower
 * bound of what the device may have done).
 */
#define pr_fmt(fmt) "copyoff_nvme: " fmt

#include <linux/slab.h>
#include <linux/workqueue.h>
#include <linux/nvme_ioctl.h>
#include "nvme_copy.h"

static struct workqueue_struct *copyoff_nvme_wq;

struct copyoff_nvme_req {
	struct work_struct work;
	struct copyoff_chunk *chunk;
};

/*
 * The request queue to send passthrough commands for @disk: its own if
 * blk-mq, else (multipath head) the first path disk's.  Returns it with a
 * reference on the disk's device in *@devp (NULL when it is @disk's own).
 */
static struct request_queue *copy_queue(struct gendisk *disk,
					struct device **devp)
{
	char name[DISK_NAME_LEN + 8];
	int s, n, c;

	*devp = NULL;
	if (queue_is_mq(disk->queue))
		return disk->queue;
	if (sscanf(disk->disk_name, "nvme%dn%d", &s, &n) != 2)
		return NULL;
	for (c = 0; c < 64; c++) {
		struct device *dev;
		struct gendisk *path;

		snprintf(name, sizeof(name), "nvme%dc%dn%d", s, c, n);
		dev = copyoff_find_block_dev(name);
		if (!dev)
			continue;
		path = dev_to_disk(dev);
		if (path->queue && queue_is_mq(path->queue)) {
			*devp = dev;
			return path->queue;
		}
		put_device(dev);
	}
	return NULL;
}

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

static void copyoff_nvme_work(struct work_struct *work)
{
	struct copyoff_nvme_req *req = container_of(work, struct copyoff_nvme_req, work);
	struct copyoff_chunk *chunk = req->chunk;
	struct block_device *bdev = chunk->dst;
	u32 lbs = bdev_logical_block_size(bdev);
	u64 sbase = (u64)get_start_sect(chunk->src) << SECTOR_SHIFT;
	u64 dbase = (u64)get_start_sect(chunk->dst) << SECTOR_SHIFT;
	struct copyoff_nvme_range_fmt0 *desc;
	struct nvme_command cmd = { };
	struct request_queue *q;
	struct device *pathdev;
	unsigned int i;
	u64 sdlba;
	int nsid, ret;

	kfree(req);
	nsid = compat_bdev_driver_ioctl(bdev, NVME_IOCTL_ID, 0);
	if (nsid <= 0) {
		copyoff_chunk_end(chunk, -EOPNOTSUPP, 0);
		return;
	}
	desc = kcalloc(chunk->nr_segs, sizeof(*desc), GFP_NOIO);
	if (!desc) {
		copyoff_chunk_end(chunk, -ENOMEM, 0);
		return;
	}
	for (i = 0; i < chunk->nr_segs; i++) {
		desc[i].slba = cpu_to_le64((sbase + chunk->segs[i].src_off) / lbs);
		desc[i].nlb = cpu_to_le16(chunk->segs[i].len / lbs - 1);
	}
	sdlba = (dbase + chunk->dst_off) / lbs;
	cmd.common.opcode = COPYOFF_NVME_CMD_COPY;
	cmd.common.nsid = cpu_to_le32(nsid);
	cmd.common.cdw10 = cpu_to_le32(lower_32_bits(sdlba));
	cmd.common.cdw11 = cpu_to_le32(upper_32_bits(sdlba));
	cmd.common.cdw12 = cpu_to_le32(COPYOFF_NVME_CDW12_NR(chunk->nr_segs - 1) |
				       COPYOFF_NVME_CDW12_DF(0));

	q = copy_queue(bdev->bd_disk, &pathdev);
	if (!q) {
		ret = -EOPNOTSUPP;
	} else {
		ret = nvme_submit_sync_cmd(q, &cmd, desc,
					   chunk->nr_segs * sizeof(*desc));
		if (ret)
			pr_debug("Copy on %s: status %d\n",
				 bdev->bd_disk->disk_name, ret);
		ret = ret ? status_to_errno(ret) : 0;
	}
	if (pathdev)
		put_device(pathdev);
	kfree(desc);
	copyoff_chunk_end(chunk, ret, ret ? 0 : chunk->len);
}

void copyoff_nvme_submit(struct copyoff_provider *prov,
			 struct copyoff_chunk *chunk)
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

int copyoff_nvme_copy_init(void)
{
	copyoff_nvme_wq = alloc_workqueue("copyoff_nvme",
					  WQ_UNBOUND | WQ_MEM_RECLAIM, 0);
	return copyoff_nvme_wq ? 0 : -ENOMEM;
}

/* Every chunk holds a reference on this module: none is left at exit. */
void copyoff_nvme_copy_exit(void)
{
	destroy_workqueue(copyoff_nvme_wq);
}
