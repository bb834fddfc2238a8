// SPDX-License-Identifier: GPL-2.0
/*
 * copyoff_nvmet: executing a Copy command.
 *
 * Everything in the command comes from a remote host and is checked before
 * anything is read or written, in this order, each with the status the NVM
 * Command Set specification names for it:
 *
 *   descriptor format above 3, or format
 *   2 or 3 without its CDFE bit (2, 3) set
 *   by the host on this controller (Host
 *   Behavior Support, hbs.c)                Invalid Field in Command
 *   format 1 or 3 on a namespace with
 *   protection information                  Invalid Namespace or Format
 *   NR + 1 above the advertised MSRC + 1    Command Size Limit Exceeded
 *   data length other than (NR + 1) * 32
 *   (formats 0, 2) or (NR + 1) * 40
 *   (formats 1, 3)                          Data SGL Length Invalid (as
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
 * Formats 0 and 1 differ in their protection information fields only (16b
 * Guard; 32b and 64b Guard), 2 and 3 likewise; the target's namespaces
 * that take formats 1 and 3 have no protection information, so those
 * fields, as format 0's, are not checked.
 *
 * Formats 2 and 3 (TP 4130): each descriptor names its source namespace
 * (SNSID); one equal to the destination's NSID is a range of the
 * destination itself.  Another one is
 * looked up the way nvmet looks up the NSID of any command: in the xarray
 * of namespaces of the request's own subsystem (the one the host connected
 * to, so a namespace of another subsystem is never found: compare the LIO
 * XCOPY hole, CVE-2020-28374), with a live reference on it taken under RCU
 * (percpu_ref_tryget_live: a namespace being disabled is not taken).  Each
 * range holds its reference until the command completes, on every path, so
 * a namespace cannot be disabled under a copy.  Then, in this order:
 *
 *   SNSID 0, FFFFFFFFh, or no enabled
 *   namespace of this subsystem (never
 *   configured, disabled, another
 *   subsystem's)                            Invalid Namespace or Format
 *   the source's ANA group on this port
 *   inaccessible / persistent loss /
 *   changing                                ANA Inaccessible / ANA
 *                                           Persistent Loss / ANA Transition
 *                                           (path related, no DNR: as nvmet
 *                                           answers for the destination)
 *   a zoned source namespace, a bdev source
 *   for a file destination or the reverse,
 *   or another LBA format (block size,
 *   metadata size, protection type)        Incompatible Namespace or Format
 *   Fast Copy Only (SOPT bit 15)            Fast Copy Not Possible (the
 *                                           target cannot promise that the
 *                                           backing store will not emulate)
 *   a range beyond the source namespace     LBA Out of Range
 *
 * with Do Not Retry where not said otherwise.
 *
 * A disabled source namespace is not told apart from one never configured.
 * Both are inactive NSIDs for the host (in no active namespace list of
 * the subsystem), and no specification text at hand (the TP 4130 text was
 * not among the references searched) gives a disabled source a status of
 * its own beside Invalid Namespace or Format ("the namespace or the format
 * of that namespace is invalid").  Stock nvmet (Debian's 6.1.0-50 and
 * 6.12) does tell them apart for a command's own NSID: a configured but
 * disabled one gets Internal Path Error (path related, no DNR, so that a
 * multipath host tries another path), found with nvmet_subsys_nsid_exists()
 * under configfs's subsystem mutex.  That function is not exported, and the
 * mutex cannot be taken here: the request holds the destination's
 * reference, and a configfs rmdir of the destination holds the mutex while
 * nvmet_ns_disable() waits for that reference.  For a copyoff host both
 * answers mean the same (the rest is emulated, whose reads of the source
 * get nvmet's own answer for it).
 *
 * Ranges of one source follow one another as one copy: bdev to bdev
 * through copyoff_core between the two backing devices (offloaded when both
 * are on one Copy-capable controller, emulated otherwise), file to file
 * through vfs_copy_file_range() between the two files; the next source's
 * ranges start when the previous ones are done.
 *
 * Force Unit Access (CDW12 bit 30): the copied blocks are on non-volatile
 * media before the command completes.  A file namespace syncs the
 * destination range of its file; a bdev namespace flushes its backing
 * device's volatile cache once the copy is done (copyoff_core writes
 * without FUA, and the device may have offloaded the copy itself), from a
 * work item.  If that flush fails, no range is known durable: dword 0 is 0.
 *
 * For tests only, in debugfs (copyoff_nvmet/insufficient_resources):
 * writing N (decimal, 0..65536) makes the next N Copy commands the target
 * is to execute complete with Insufficient Resources (command specific
 * 89h, TP 4130) without Do Not Retry, dword 0 = 0, before their
 * descriptors are read: nothing is checked, read or written, so that a
 * host's handling of the status (retry, then emulate) can be tested; no
 * device returns it on demand.  Reading gives how many are left.  Nothing
 * else changes.
 */
#define pr_fmt(fmt) "copyoff_nvmet: " fmt

#include <linux/blkdev.h>
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/slab.h>
#include <linux/overflow.h>
#include <linux/scatterlist.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>
#include "nvmet_priv.h"

struct tgt_copy {
	struct nvmet_req *req;
	struct work_struct work;
	struct work_struct flush_work;	/* bdev, FUA: after the copy */
	struct block_device *bdev;	/* bdev namespace, or */
	struct file *file;		/* file namespace */
	bool fua;
	unsigned int nr;
	unsigned int next;		/* bdev: the first range not started */
	/* formats 2, 3: each range's source namespace (referenced), NULL: this one */
	struct nvmet_ns **sns;
	struct copyoff_range ranges[];
};

static_assert(sizeof(struct percpu_ref) == COPYOFF_BTF_NVMET_NS_REF_SIZE,
	      "struct nvmet_ns.ref is a struct percpu_ref");
static_assert(sizeof(struct xarray) == COPYOFF_BTF_NVMET_SUBSYS_NAMESPACES_SIZE,
	      "struct nvmet_subsys.namespaces is a struct xarray");

static struct workqueue_struct *tgt_wq;		/* bdev: starts a copy */
static struct workqueue_struct *tgt_file_wq;	/* file copy; FUA flush */

#define TGT_SC(sc)	(COPYOFF_NVME_STATUS(COPYOFF_NVME_SCT_GENERIC, (sc)) | \
			 COPYOFF_NVME_DNR)
#define TGT_SIZE_LIMIT	(COPYOFF_NVME_STATUS(COPYOFF_NVME_SCT_CMD_SPECIFIC, \
					     COPYOFF_NVME_SC_CMD_SIZE_LIMIT) | \
			 COPYOFF_NVME_DNR)

static u16 tgt_fail(struct nvmet_req *req, u16 status, size_t field)
{
	tgt_req_set_error_loc(req, field);
	return status;
}

/* Drop the source namespace references and free @c. */
static void tgt_free(struct tgt_copy *c)
{
	unsigned int i;

	if (c->sns) {
		for (i = 0; i < c->nr; i++)
			if (c->sns[i])
				percpu_ref_put(tgt_ns_ref(c->sns[i]));
		kvfree(c->sns);
	}
	kvfree(c);
}

/* An errno from the copy below, as an NVMe status. */
static u16 tgt_errno_status(int err)
{
	switch (err) {
	case -ENOSPC:
		return TGT_SC(COPYOFF_NVME_SC_CAP_EXCEEDED);
	case -EROFS:
	case -EPERM:
	case -EACCES:
		return TGT_SC(COPYOFF_NVME_SC_NS_WRITE_PROTECTED);
	case -EINVAL:
		return TGT_SC(COPYOFF_NVME_SC_INVALID_FIELD);
	default:
		return COPYOFF_NVME_STATUS(COPYOFF_NVME_SCT_GENERIC,
					   COPYOFF_NVME_SC_INTERNAL);
	}
}

/* Complete the command; on failure dword 0 = @first, the range not done. */
static void tgt_complete(struct tgt_copy *c, int err, u32 first)
{
	struct nvmet_req *req = c->req;

	if (err) {
		tgt_req_cqe(req)->result.u32 = cpu_to_le32(first);
		pr_debug("copy of %u range(s) failed at range %u: %d\n",
			 c->nr, first, err);
	}
	tgt_free(c);
	nvmet_req_complete(req, err ? tgt_errno_status(err) : 0);
}

static void tgt_finish(struct tgt_copy *c, int err)
{
	u32 first = 0;

	if (err)
		while (first < c->nr &&
		       c->ranges[first].comp_len == c->ranges[first].len)
			first++;
	tgt_complete(c, err, first);
}

/* FUA on a bdev namespace: flush the backing device's volatile cache. */
static void tgt_flush_work(struct work_struct *work)
{
	struct tgt_copy *c = container_of(work, struct tgt_copy, flush_work);

	tgt_complete(c, blkdev_issue_flush(c->bdev), 0);
}

static void tgt_bdev_end(void *priv, int error, u64 copied, u64 offloaded)
{
	struct tgt_copy *c = priv;

	/* The next source namespace's ranges, from the work item. */
	if (!error && c->next < c->nr) {
		queue_work(tgt_wq, &c->work);
		return;
	}
	if (error || !c->fua) {
		tgt_finish(c, error);
		return;
	}
	/* blkdev_issue_flush() sleeps: a work item (at once without a cache) */
	INIT_WORK(&c->flush_work, tgt_flush_work);
	queue_work(tgt_file_wq, &c->flush_work);
}

/* The source namespace of range @i (this one for format 0). */
static struct nvmet_ns *tgt_src(struct tgt_copy *c, unsigned int i)
{
	return c->sns ? c->sns[i] : NULL;
}

static int tgt_file_copy(struct tgt_copy *c)
{
	unsigned int i;
	loff_t first_dst = c->ranges[0].dst_off;
	loff_t end_dst = first_dst;

	for (i = 0; i < c->nr; i++) {
		struct copyoff_range *r = &c->ranges[i];
		struct nvmet_ns *sns = tgt_src(c, i);
		struct file *src = sns ? tgt_ns_file(sns) : c->file;

		while (r->comp_len < r->len) {
			ssize_t n;

			n = vfs_copy_file_range(src, r->src_off + r->comp_len,
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

static void tgt_work(struct work_struct *work)
{
	struct tgt_copy *c = container_of(work, struct tgt_copy, work);
	unsigned int first = c->next, end = first + 1;
	struct nvmet_ns *sns;
	int ret;

	if (c->file) {
		tgt_finish(c, tgt_file_copy(c));
		return;
	}
	/* The ranges from one source namespace, one copy */
	sns = tgt_src(c, first);
	while (end < c->nr && tgt_src(c, end) == sns)
		end++;
	c->next = end;
	ret = copyoff_copy_async(sns ? tgt_ns_bdev(sns) : c->bdev, c->bdev,
				 &c->ranges[first], end - first, 0,
				 tgt_bdev_end, c);
	if (ret)
		tgt_finish(c, ret);
}

#define TGT_SC_CS(sc)	(COPYOFF_NVME_STATUS(COPYOFF_NVME_SCT_CMD_SPECIFIC, (sc)) | \
			 COPYOFF_NVME_DNR)

/*
 * The source namespace @snsid of a format 2 or 3 range on @req's destination
 * @ns: *@out referenced, or NULL for @ns itself; else the status.
 */
static u16 tgt_source(struct nvmet_req *req, struct nvmet_ns *ns, u32 snsid,
		      struct nvmet_ns **out)
{
	void *subsys = tgt_req_subsys(req);
	struct nvmet_ns *sns;
	u16 status;

	*out = NULL;
	if (snsid == tgt_ns_nsid(ns))
		return 0;
	if (snsid == 0 || snsid == NVME_NSID_ALL)
		return TGT_SC(COPYOFF_NVME_SC_INVALID_NS);
	/*
	 * As nvmet finds a command's namespace: in its own subsystem's
	 * xarray.  Under RCU, a namespace being disabled (erased, its
	 * reference killed, then an RCU grace period) is either not found,
	 * or found with its reference dead, or referenced before the kill:
	 * then its disabling waits for this copy.
	 */
	rcu_read_lock();
	sns = xa_load(tgt_subsys_namespaces(subsys), snsid);
	if (sns && !percpu_ref_tryget_live(tgt_ns_ref(sns)))
		sns = NULL;
	rcu_read_unlock();
	if (!sns)
		return TGT_SC(COPYOFF_NVME_SC_INVALID_NS);
	if (WARN_ON_ONCE(tgt_ns_subsys(sns) != subsys)) {
		status = TGT_SC(COPYOFF_NVME_SC_INVALID_NS);
		goto put;
	}
	switch (tgt_req_ana_state(req, tgt_ns_anagrpid(sns))) {
	case NVME_ANA_INACCESSIBLE:
		status = NVME_SC_ANA_INACCESSIBLE;
		goto put;
	case NVME_ANA_PERSISTENT_LOSS:
		status = NVME_SC_ANA_PERSISTENT_LOSS;
		goto put;
	case NVME_ANA_CHANGE:
		status = NVME_SC_ANA_TRANSITION;
		goto put;
	default:
		break;
	}
	if (!tgt_ns_usable(sns) || !tgt_ns_bdev(sns) != !tgt_ns_bdev(ns) ||
	    tgt_ns_blksize_shift(sns) != tgt_ns_blksize_shift(ns) ||
	    tgt_ns_metadata_size(sns) != tgt_ns_metadata_size(ns) ||
	    tgt_ns_pi_type(sns) != tgt_ns_pi_type(ns)) {
		status = TGT_SC_CS(COPYOFF_NVME_SC_INCOMPATIBLE_NS);
		goto put;
	}
	*out = sns;
	return 0;
put:
	percpu_ref_put(tgt_ns_ref(sns));
	return status;
}

/* Check the command and read its descriptors into @c's ranges. */
/*
 * The command's own fields, before any descriptor is read: the format and
 * whether the host enabled it, protection information, the number of
 * ranges, the data length (in @dsize the descriptor size) and write
 * protection.  0 or the status.
 */
static u16 tgt_check_cmd(struct nvmet_req *req, struct nvmet_ns *ns,
			 unsigned int df, unsigned int nr,
			 const struct tgt_limits *lim, size_t *dsize)
{
	bool xns = df == 2 || df == 3;

	/* Formats 0 and 1; 2 and 3 once the host enabled them (CDFE bit df). */
	if (df > 3 || (xns && !(tgt_hbs_cdfe(tgt_req_ctrl(req)) & BIT(df))))
		return tgt_fail(req, TGT_SC(COPYOFF_NVME_SC_INVALID_FIELD),
				offsetof(struct nvme_common_command, cdw12));
	/*
	 * Formats 1 and 3 carry the protection information fields of the 32b
	 * and 64b Guard formats, 0 and 2 those of the 16b Guard one: a
	 * namespace with protection information (nvmet's is 16b Guard, T10
	 * DIF) takes 0 and 2 only, as the NVM Command Set says (Invalid
	 * Namespace or Format).  Without protection information either kind
	 * does, its protection fields unused.
	 */
	if ((df & 1) && tgt_ns_pi_type(ns))
		return tgt_fail(req, TGT_SC(COPYOFF_NVME_SC_INVALID_NS),
				offsetof(struct nvme_common_command, cdw12));
	if (nr > lim->nr_ranges)
		return tgt_fail(req, TGT_SIZE_LIMIT,
				offsetof(struct nvme_common_command, cdw12));
	BUILD_BUG_ON(sizeof(struct copyoff_nvme_range_fmt0) != 32 ||
		     sizeof(struct copyoff_nvme_range_fmt2) != 32 ||
		     sizeof(struct copyoff_nvme_range_fmt3) != 40);
	/* formats 1 and 3 begin as 0 and 2: one parse of those 24 bytes */
	BUILD_BUG_ON(offsetof(struct copyoff_nvme_range_fmt3, slba) !=
		     offsetof(struct copyoff_nvme_range_fmt2, slba) ||
		     offsetof(struct copyoff_nvme_range_fmt3, nlb) !=
		     offsetof(struct copyoff_nvme_range_fmt2, nlb) ||
		     offsetof(struct copyoff_nvme_range_fmt3, sopt) !=
		     offsetof(struct copyoff_nvme_range_fmt2, sopt) ||
		     offsetof(struct copyoff_nvme_range_fmt3, snsid) !=
		     offsetof(struct copyoff_nvme_range_fmt2, snsid));
	*dsize = df & 1 ? sizeof(struct copyoff_nvme_range_fmt3) :
			  sizeof(struct copyoff_nvme_range_fmt2);
	if (tgt_req_transfer_len(req) != nr * *dsize)
		return tgt_fail(req, TGT_SC(COPYOFF_NVME_SC_SGL_INVALID_DATA),
				offsetof(struct nvme_common_command, dptr));
	if (tgt_ns_readonly(ns))
		return TGT_SC(COPYOFF_NVME_SC_NS_WRITE_PROTECTED);
	return 0;
}

/* Where descriptor parsing is: the ranges' blocks so far, the limits. */
struct tgt_parse {
	const struct tgt_limits *lim;
	size_t dsize;			/* bytes per descriptor */
	u32 shift;			/* the namespace's block size */
	u64 ns_blocks;			/* the destination namespace's blocks */
	u64 sdlba;			/* the first destination block */
	u64 total;			/* blocks of the ranges before this one */
	bool xns;			/* formats 2 and 3: a source namespace */
};

/*
 * Descriptor @i of @c's command into c->ranges[i] (and, for formats 2 and
 * 3, its source namespace held in c->sns[i]): its length against MSSRL and
 * MCL, its source namespace and options, its blocks within that source.
 * 0 or the status.
 */
static u16 tgt_parse_range(struct nvmet_req *req, struct nvmet_ns *ns,
			   struct tgt_copy *c, unsigned int i,
			   struct tgt_parse *p)
{
	union {
		struct copyoff_nvme_range_fmt2 f2;
		struct copyoff_nvme_range_fmt3 f3;
	} u;
	struct copyoff_nvme_range_fmt2 *d = &u.f2;	/* 24 bytes of each */
	u64 slba, nlb, src_blocks = p->ns_blocks;
	u16 status;

	/* the data length was checked: this cannot come short */
	if (sg_pcopy_to_buffer(tgt_req_sg(req), tgt_req_sg_cnt(req), &u,
			       p->dsize, i * p->dsize) != p->dsize)
		return TGT_SC(COPYOFF_NVME_SC_DATA_XFER_ERROR);
	slba = le64_to_cpu(d->slba);
	nlb = (u64)le16_to_cpu(d->nlb) + 1;
	if (nlb > p->lim->mssrl || p->total + nlb > p->lim->mcl)
		return TGT_SIZE_LIMIT;
	/* Formats 0 and 1 have SNSID and SOPT reserved. */
	if (p->xns) {
		status = tgt_source(req, ns, le32_to_cpu(d->snsid), &c->sns[i]);
		if (status) {
			tgt_req_set_error_loc(req,
					      offsetof(struct nvme_common_command,
						       dptr));
			return status;
		}
		if (le16_to_cpu(d->sopt) & COPYOFF_NVME_SOPT_FCO)
			return TGT_SC_CS(COPYOFF_NVME_SC_FAST_COPY);
		if (c->sns[i])
			src_blocks = (u64)tgt_ns_size(c->sns[i]) >> p->shift;
	}
	if (slba >= src_blocks || nlb > src_blocks - slba)
		return TGT_SC(COPYOFF_NVME_SC_LBA_RANGE);
	c->ranges[i].src_off = slba << p->shift;
	c->ranges[i].len = nlb << p->shift;
	c->ranges[i].dst_off = (p->sdlba + p->total) << p->shift;
	p->total += nlb;
	return 0;
}

/*
 * The destination, once every range is known: within the namespace, and
 * overlapping no source range of the same namespace.  0 or the status.
 */
static u16 tgt_check_dest(struct nvmet_req *req, struct tgt_copy *c,
			  const struct tgt_parse *p)
{
	unsigned int i;

	if (p->sdlba >= p->ns_blocks || p->total > p->ns_blocks - p->sdlba) {
		tgt_req_set_error_loc(req, offsetof(struct nvme_common_command,
						    cdw10));
		return TGT_SC(COPYOFF_NVME_SC_LBA_RANGE);
	}
	for (i = 0; i < c->nr; i++) {
		u64 s = c->ranges[i].src_off >> p->shift;
		u64 n = c->ranges[i].len >> p->shift;

		if (tgt_src(c, i))	/* another namespace: no overlap */
			continue;
		if (s < p->sdlba + p->total && p->sdlba < s + n)
			return TGT_SC(COPYOFF_NVME_SC_INVALID_FIELD);
	}
	return 0;
}

static u16 tgt_prepare(struct nvmet_req *req, struct tgt_copy **out)
{
	struct nvme_command *cmd = tgt_req_cmd(req);
	struct nvmet_ns *ns = tgt_req_ns(req);
	u32 cdw12 = le32_to_cpu(cmd->common.cdw12);
	unsigned int nr = COPYOFF_NVME_CDW12_GET_NR(cdw12) + 1;
	unsigned int df = COPYOFF_NVME_CDW12_GET_DF(cdw12);
	struct tgt_limits lim;
	struct tgt_parse p = { .lim = &lim, .xns = df == 2 || df == 3 };
	struct tgt_copy *c;
	unsigned int i;
	u16 status;

	tgt_ns_limits(ns, &lim);
	status = tgt_check_cmd(req, ns, df, nr, &lim, &p.dsize);
	if (status)
		return status;

	c = kvzalloc(struct_size(c, ranges, nr), GFP_NOIO);
	if (!c)
		return COPYOFF_NVME_STATUS(COPYOFF_NVME_SCT_GENERIC,
					   COPYOFF_NVME_SC_INTERNAL);
	if (p.xns) {
		c->sns = kvcalloc(nr, sizeof(*c->sns), GFP_NOIO);
		if (!c->sns) {
			kvfree(c);
			return COPYOFF_NVME_STATUS(COPYOFF_NVME_SCT_GENERIC,
						   COPYOFF_NVME_SC_INTERNAL);
		}
	}
	c->req = req;
	c->nr = nr;
	c->bdev = tgt_ns_bdev(ns);
	c->file = tgt_ns_file(ns);
	c->fua = cdw12 & COPYOFF_NVME_CDW12_FUA;
	p.shift = tgt_ns_blksize_shift(ns);
	p.ns_blocks = (u64)tgt_ns_size(ns) >> p.shift;
	p.sdlba = (u64)le32_to_cpu(cmd->common.cdw11) << 32 |
		  le32_to_cpu(cmd->common.cdw10);

	for (i = 0; i < nr; i++) {
		status = tgt_parse_range(req, ns, c, i, &p);
		if (status)
			goto fail;
	}
	status = tgt_check_dest(req, c, &p);
	if (status)
		goto fail;
	*out = c;
	return 0;

fail:
	tgt_free(c);
	return status;
}

/* debugfs insufficient_resources: Copy commands still to refuse */
#define TGT_IR_MAX	65536
/* without Do Not Retry: the host may send the command again */
#define TGT_IR_STATUS	COPYOFF_NVME_STATUS(COPYOFF_NVME_SCT_CMD_SPECIFIC, \
					    COPYOFF_NVME_SC_NO_RESOURCES)
static atomic_t tgt_ir_left = ATOMIC_INIT(0);

static ssize_t tgt_ir_read(struct file *file, char __user *ubuf, size_t len,
			   loff_t *ppos)
{
	char buf[16];
	int n;

	n = scnprintf(buf, sizeof(buf), "%d\n", atomic_read(&tgt_ir_left));
	return simple_read_from_buffer(ubuf, len, ppos, buf, n);
}

/* A decimal count, 0..TGT_IR_MAX (a newline may follow): nothing else. */
static ssize_t tgt_ir_write(struct file *file, const char __user *ubuf,
			    size_t len, loff_t *ppos)
{
	unsigned int n;
	int ret;

	/* kstrtouint_from_user() would cut a longer write short */
	if (len > 15)
		return -EINVAL;
	ret = kstrtouint_from_user(ubuf, len, 10, &n);
	if (ret)
		return ret;
	if (n > TGT_IR_MAX)
		return -ERANGE;
	atomic_set(&tgt_ir_left, n);
	return len;
}

static const struct file_operations tgt_ir_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = tgt_ir_read,
	.write = tgt_ir_write,
	.llseek = default_llseek,
};

void tgt_copy_execute(struct nvmet_req *req)
{
	struct tgt_copy *c = NULL;
	u16 status;

	/* Only while a test asks for it: refused before anything is read. */
	if (unlikely(atomic_read(&tgt_ir_left)) &&
	    atomic_dec_if_positive(&tgt_ir_left) >= 0) {
		tgt_req_cqe(req)->result.u32 = cpu_to_le32(0);
		nvmet_req_complete(req, TGT_IR_STATUS);
		return;
	}
	status = tgt_prepare(req, &c);
	if (status) {
		nvmet_req_complete(req, status);
		return;
	}
	INIT_WORK(&c->work, tgt_work);
	queue_work(c->file ? tgt_file_wq : tgt_wq, &c->work);
}

/* @dir: debugfs copyoff_nvmet/ (main.c), removed before tgt_copy_exit() */
int tgt_copy_init(struct dentry *dir)
{
	/*
	 * A bdev copy only starts on its work item (copyoff_core runs it): a
	 * short item, per-CPU and high priority as copyoff_core's, on the CPU
	 * that took the command.  A file copy runs on its item whole, and so
	 * does a FUA copy's flush: unbound.
	 */
	tgt_wq = alloc_workqueue("copyoff_nvmet", WQ_HIGHPRI | WQ_MEM_RECLAIM, 0);
	if (!tgt_wq)
		return -ENOMEM;
	tgt_file_wq = alloc_workqueue("copyoff_nvmet_file",
				      WQ_UNBOUND | WQ_MEM_RECLAIM, 0);
	if (!tgt_file_wq) {
		destroy_workqueue(tgt_wq);
		return -ENOMEM;
	}
	debugfs_create_file("insufficient_resources", 0600, dir, NULL,
			    &tgt_ir_fops);
	return 0;
}

void tgt_copy_exit(void)
{
	destroy_workqueue(tgt_file_wq);
	destroy_workqueue(tgt_wq);
}
