// SPDX-License-Identifier: GPL-2.0
/*
 * copyoff_nvmet: executing a Copy command.
 *
 * Everything in the command comes from a remote host and is checked before
 * anything is read or written, in this order, each with the status the NVM
 * Command Set specification names for it:
 *
 *   descriptor format other than 0          Invalid Field in Command
 *   NR + 1 above the advertised MSRC + 1    Command Size Limit Exceeded
 *   data length other than (NR + 1) * 32    Data SGL Length Invalid (as
 *                                           stock nvmet answers any command
 *                                           whose data length is wrong)
 *   a range's NLB + 1 above MSSRL           Command Size Limit Exceeded
 *   the sum of NLB + 1 above MCL            Command Size Limit Exceeded
 *   a source range or the destination
 *   beyond the namespace                    LBA Out of Range
 *   a source range overlapping the
 *   destination                             Invalid Field in Command
 *
 * all with Do Not Retry.  A copy that fails part way completes with dword 0
 * holding the lowest numbered source range not copied in full.
 *
 * Force Unit Access (CDW12 bit 30): the copied blocks are on non-volatile
 * media before the command completes.  A file namespace syncs the
 * destination range of its file; a bdev namespace flushes its backing
 * device's volatile cache once the copy is done (copyoff_core writes
 * without FUA, and the device may have offloaded the copy itself), from a
 * work item.  If that flush fails, no range is known durable: dword 0 is 0.
 */
#define pr_fmt(fmt) "copyoff_nvmet: " fmt

#include <linux/blkdev.h>
#include <linux/fs.h>
#include <linux/slab.h>
#include <linux/overflow.h>
#include <linux/scatterlist.h>
#include <linux/workqueue.h>
#include "nvmet_priv.h"

struct cn_copy {
	struct nvmet_req *req;
	struct work_struct work;
	struct work_struct flush_work;	/* bdev, FUA: after the copy */
	struct block_device *bdev;	/* bdev namespace, or */
	struct file *file;		/* file namespace */
	bool fua;
	unsigned int nr;
	struct copyoff_range ranges[];
};

static struct workqueue_struct *cn_wq;		/* bdev: starts a copy */
static struct workqueue_struct *cn_file_wq;	/* file copy; FUA flush */

#define CN_SC(sc)	(COPYOFF_NVME_STATUS(COPYOFF_NVME_SCT_GENERIC, (sc)) | \
			 COPYOFF_NVME_DNR)
#define CN_SIZE_LIMIT	(COPYOFF_NVME_STATUS(COPYOFF_NVME_SCT_CMD_SPECIFIC, \
					     COPYOFF_NVME_SC_CMD_SIZE_LIMIT) | \
			 COPYOFF_NVME_DNR)

static u16 cn_fail(struct nvmet_req *req, u16 status, size_t field)
{
	cn_req_set_error_loc(req, field);
	return status;
}

/* An errno from the copy below, as an NVMe status. */
static u16 cn_errno_status(int err)
{
	switch (err) {
	case -ENOSPC:
		return CN_SC(COPYOFF_NVME_SC_CAP_EXCEEDED);
	case -EROFS:
	case -EPERM:
	case -EACCES:
		return CN_SC(COPYOFF_NVME_SC_NS_WRITE_PROTECTED);
	case -EINVAL:
		return CN_SC(COPYOFF_NVME_SC_INVALID_FIELD);
	default:
		return COPYOFF_NVME_STATUS(COPYOFF_NVME_SCT_GENERIC,
					   COPYOFF_NVME_SC_INTERNAL);
	}
}

/* Complete the command; on failure dword 0 = @first, the range not done. */
static void cn_complete(struct cn_copy *c, int err, u32 first)
{
	struct nvmet_req *req = c->req;

	if (err) {
		cn_req_cqe(req)->result.u32 = cpu_to_le32(first);
		pr_debug("copy of %u range(s) failed at range %u: %d\n",
			 c->nr, first, err);
	}
	kvfree(c);
	nvmet_req_complete(req, err ? cn_errno_status(err) : 0);
}

static void cn_finish(struct cn_copy *c, int err)
{
	u32 first = 0;

	if (err)
		while (first < c->nr &&
		       c->ranges[first].comp_len == c->ranges[first].len)
			first++;
	cn_complete(c, err, first);
}

/* FUA on a bdev namespace: flush the backing device's volatile cache. */
static void cn_flush_work(struct work_struct *work)
{
	struct cn_copy *c = container_of(work, struct cn_copy, flush_work);

	cn_complete(c, blkdev_issue_flush(c->bdev), 0);
}

static void cn_bdev_end(void *priv, int error, u64 copied, u64 offloaded)
{
	struct cn_copy *c = priv;

	if (error || !c->fua) {
		cn_finish(c, error);
		return;
	}
	/* blkdev_issue_flush() sleeps: a work item (at once without a cache) */
	INIT_WORK(&c->flush_work, cn_flush_work);
	queue_work(cn_file_wq, &c->flush_work);
}

static int cn_file_copy(struct cn_copy *c)
{
	unsigned int i;
	loff_t first_dst = c->ranges[0].dst_off;
	loff_t end_dst = first_dst;

	for (i = 0; i < c->nr; i++) {
		struct copyoff_range *r = &c->ranges[i];

		while (r->comp_len < r->len) {
			ssize_t n;

			n = vfs_copy_file_range(c->file, r->src_off + r->comp_len,
						c->file, r->dst_off + r->comp_len,
						r->len - r->comp_len, 0);
			if (n < 0)
				return n;
			if (n == 0)	/* the file shrank under the namespace */
				return -EIO;
			r->comp_len += n;
		}
		end_dst = r->dst_off + r->len;
	}
	if (c->fua)
		return vfs_fsync_range(c->file, first_dst, end_dst - 1, 1);
	return 0;
}

static void cn_work(struct work_struct *work)
{
	struct cn_copy *c = container_of(work, struct cn_copy, work);
	int ret;

	if (c->file) {
		cn_finish(c, cn_file_copy(c));
		return;
	}
	ret = copyoff_copy_async(c->bdev, c->bdev, c->ranges, c->nr, 0,
				 cn_bdev_end, c);
	if (ret)
		cn_finish(c, ret);
}

/* Check the command and read its descriptors into @c's ranges. */
static u16 cn_prepare(struct nvmet_req *req, struct cn_copy **out)
{
	struct nvme_command *cmd = cn_req_cmd(req);
	struct nvmet_ns *ns = cn_req_ns(req);
	u32 cdw12 = le32_to_cpu(cmd->common.cdw12);
	unsigned int nr = COPYOFF_NVME_CDW12_GET_NR(cdw12) + 1;
	u32 shift = cn_ns_blksize_shift(ns);
	u64 ns_blocks = (u64)cn_ns_size(ns) >> shift;
	u64 sdlba, total = 0;
	struct cn_limits lim;
	struct cn_copy *c;
	unsigned int i;
	u16 status;

	if (COPYOFF_NVME_CDW12_GET_DF(cdw12) != 0)
		return cn_fail(req, CN_SC(COPYOFF_NVME_SC_INVALID_FIELD),
			       offsetof(struct nvme_common_command, cdw12));
	cn_ns_limits(ns, &lim);
	if (nr > lim.nr_ranges)
		return cn_fail(req, CN_SIZE_LIMIT,
			       offsetof(struct nvme_common_command, cdw12));
	if (cn_req_transfer_len(req) != nr * sizeof(struct copyoff_nvme_range_fmt0))
		return cn_fail(req, CN_SC(COPYOFF_NVME_SC_SGL_INVALID_DATA),
			       offsetof(struct nvme_common_command, dptr));
	if (cn_ns_readonly(ns))
		return CN_SC(COPYOFF_NVME_SC_NS_WRITE_PROTECTED);

	c = kvzalloc(struct_size(c, ranges, nr), GFP_NOIO);
	if (!c)
		return COPYOFF_NVME_STATUS(COPYOFF_NVME_SCT_GENERIC,
					   COPYOFF_NVME_SC_INTERNAL);
	c->req = req;
	c->nr = nr;
	c->bdev = cn_ns_bdev(ns);
	c->file = cn_ns_file(ns);
	c->fua = cdw12 & COPYOFF_NVME_CDW12_FUA;
	sdlba = (u64)le32_to_cpu(cmd->common.cdw11) << 32 |
		le32_to_cpu(cmd->common.cdw10);

	for (i = 0; i < nr; i++) {
		struct copyoff_nvme_range_fmt0 d;
		u64 slba, nlb;

		/* the data length was checked: this cannot come short */
		if (sg_pcopy_to_buffer(cn_req_sg(req), cn_req_sg_cnt(req), &d,
				       sizeof(d), i * sizeof(d)) != sizeof(d)) {
			status = CN_SC(COPYOFF_NVME_SC_DATA_XFER_ERROR);
			goto fail;
		}
		slba = le64_to_cpu(d.slba);
		nlb = (u64)le16_to_cpu(d.nlb) + 1;
		if (nlb > lim.mssrl || total + nlb > lim.mcl) {
			status = CN_SIZE_LIMIT;
			goto fail;
		}
		if (slba >= ns_blocks || nlb > ns_blocks - slba) {
			status = CN_SC(COPYOFF_NVME_SC_LBA_RANGE);
			goto fail;
		}
		c->ranges[i].src_off = slba << shift;
		c->ranges[i].len = nlb << shift;
		c->ranges[i].dst_off = (sdlba + total) << shift;
		total += nlb;
	}
	if (sdlba >= ns_blocks || total > ns_blocks - sdlba) {
		cn_req_set_error_loc(req, offsetof(struct nvme_common_command,
						   cdw10));
		status = CN_SC(COPYOFF_NVME_SC_LBA_RANGE);
		goto fail;
	}
	for (i = 0; i < nr; i++) {
		u64 s = c->ranges[i].src_off >> shift;
		u64 n = c->ranges[i].len >> shift;

		if (s < sdlba + total && sdlba < s + n) {
			status = CN_SC(COPYOFF_NVME_SC_INVALID_FIELD);
			goto fail;
		}
	}
	*out = c;
	return 0;

fail:
	kvfree(c);
	return status;
}

void cn_copy_execute(struct nvmet_req *req)
{
	struct cn_copy *c = NULL;
	u16 status;

	status = cn_prepare(req, &c);
	if (status) {
		nvmet_req_complete(req, status);
		return;
	}
	INIT_WORK(&c->work, cn_work);
	queue_work(c->file ? cn_file_wq : cn_wq, &c->work);
}

int cn_copy_init(void)
{
	/*
	 * A bdev copy only starts on its work item (copyoff_core runs it): a
	 * short item, per-CPU and high priority as copyoff_core's, on the CPU
	 * that took the command.  A file copy runs on its item whole, and so
	 * does a FUA copy's flush: unbound.
	 */
	cn_wq = alloc_workqueue("copyoff_nvmet", WQ_HIGHPRI | WQ_MEM_RECLAIM, 0);
	if (!cn_wq)
		return -ENOMEM;
	cn_file_wq = alloc_workqueue("copyoff_nvmet_file",
				     WQ_UNBOUND | WQ_MEM_RECLAIM, 0);
	if (!cn_file_wq) {
		destroy_workqueue(cn_wq);
		return -ENOMEM;
	}
	return 0;
}

void cn_copy_exit(void)
{
	destroy_workqueue(cn_file_wq);
	destroy_workqueue(cn_wq);
}
