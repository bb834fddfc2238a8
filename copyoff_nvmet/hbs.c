// SPDX-License-Identifier: GPL-2.0
/*
 * copyoff_nvmet: Host Behavior Support (Get/Set Features, FID 16h), per
 * controller.
 *
 * A host must set the bit of a Copy descriptor format in CDFE (Copy
 * Descriptor Formats Enable, bytes 5:4 of the 512-byte Host Behavior
 * Support data structure) before the controller takes descriptors of that
 * format (formats 2 and 3, TP 4130).  Stock nvmet (6.1, 6.12) does not
 * implement the feature: both Get and Set Features 16h end in its default
 * case, Invalid Field in Command.  With this module, on an I/O controller of
 * an NVM subsystem (the controllers whose Identify gets OCFS bits 2 and 3
 * from main.c), they are answered here (main.c redirects those two calls
 * only; discovery and passthrough controllers keep the stock answer):
 *
 *  - Set Features 16h takes exactly 512 bytes (else Data SGL Length Invalid,
 *    as stock nvmet answers a wrong data length); a CDFE bit other than
 *    bits 2 and 3 (formats 2 and 3, the ones that need enabling) is
 *    refused with Invalid Field in Command; Save (CDW10 bit 31) with
 *    Feature Identifier Not Saveable; anything else is stored whole for
 *    this controller, CDFE and every other byte (ACRE, ETDAS, LBAFEE, ...:
 *    nvmet acts on none of them, and gives them back as set);
 *  - Get Features 16h returns the stored structure (zeros until the host
 *    set it: the default); with SEL 1 or 2 (default, saved: the feature is
 *    not saveable) zeros; with SEL 3 (capabilities) dword 0 = changeable.
 *
 * The state is kept per controller (struct nvmet_ctrl, by address) in a
 * hash table, and dropped when nvmet frees the controller (a watch on
 * nvmet_ctrl_free(), the release of the controller's kref: from then on
 * the address may be reused by a new controller, which starts with the
 * default) or when this module unloads.  A request holds its queue, and
 * its queue the controller, so a controller looked up from a request that
 * is being executed is not freed under it.
 *
 * For tests, debugfs copyoff_nvmet/hbs_controllers: how many controllers
 * have a Host Behavior Support of their own (a leak shows as a count that
 * does not fall when controllers go).
 *
 * Prefixes: tgt_hbs_ (this file's; tgt_ as in main.c).
 */
#define pr_fmt(fmt) "copyoff_nvmet: " fmt

#include <linux/debugfs.h>
#include <linux/hashtable.h>
#include <linux/kref.h>
#include <linux/slab.h>
#include <linux/scatterlist.h>
#include <linux/spinlock.h>
#include <copyoff/compat.h>
#include "nvmet_priv.h"

static_assert(sizeof(struct kref) == COPYOFF_BTF_NVMET_CTRL_REF_SIZE,
	      "struct nvmet_ctrl.ref is a struct kref");

struct tgt_hbs {
	struct hlist_node node;
	void *ctrl;				/* struct nvmet_ctrl, the key */
	u8 data[COPYOFF_NVME_HBS_SIZE];
};

static DEFINE_HASHTABLE(tgt_hbs_table, 6);
static DEFINE_SPINLOCK(tgt_hbs_lock);
static u32 tgt_hbs_nr;			/* entries in the table, tgt_hbs_lock */

static struct tgt_hbs *tgt_hbs_find(void *ctrl)
{
	struct tgt_hbs *h;

	lockdep_assert_held(&tgt_hbs_lock);
	hash_for_each_possible(tgt_hbs_table, h, node, (unsigned long)ctrl)
		if (h->ctrl == ctrl)
			return h;
	return NULL;
}

u16 tgt_hbs_cdfe(void *ctrl)
{
	struct tgt_hbs *h;
	unsigned long flags;
	u16 cdfe = 0;

	spin_lock_irqsave(&tgt_hbs_lock, flags);
	h = tgt_hbs_find(ctrl);
	if (h)
		cdfe = get_unaligned_le16(h->data + COPYOFF_NVME_HBS_CDFE);
	spin_unlock_irqrestore(&tgt_hbs_lock, flags);
	return cdfe;
}

/* nvmet_ctrl_free(struct kref *): the controller goes, and its state. */
void tgt_hbs_ctrl_free(void *ref)
{
	void *ctrl = (u8 *)ref - COPYOFF_BTF_NVMET_CTRL_REF_OFF;
	struct tgt_hbs *h;
	unsigned long flags;

	spin_lock_irqsave(&tgt_hbs_lock, flags);
	h = tgt_hbs_find(ctrl);
	if (h) {
		hash_del(&h->node);
		WRITE_ONCE(tgt_hbs_nr, tgt_hbs_nr - 1);
	}
	spin_unlock_irqrestore(&tgt_hbs_lock, flags);
	kfree(h);
}

/* @dir: debugfs copyoff_nvmet/ (main.c), removed before tgt_hbs_exit() */
void tgt_hbs_init(struct dentry *dir)
{
	debugfs_create_u32("hbs_controllers", 0400, dir, &tgt_hbs_nr);
}

void tgt_hbs_exit(void)
{
	struct hlist_node *tmp;
	struct tgt_hbs *h;
	unsigned int bkt;

	/* No hook calls in here any more: nobody else holds the table. */
	hash_for_each_safe(tgt_hbs_table, bkt, tmp, h, node) {
		hash_del(&h->node);
		kfree(h);
	}
	tgt_hbs_nr = 0;
}

#define TGT_HBS_DNR(sct, sc) (COPYOFF_NVME_STATUS((sct), (sc)) | COPYOFF_NVME_DNR)

void tgt_hbs_set(struct nvmet_req *req)
{
	struct nvme_command *cmd = tgt_req_cmd(req);
	u32 cdw10 = le32_to_cpu(cmd->common.cdw10);
	struct tgt_hbs *h, *old;
	unsigned long flags;
	u16 cdfe, status = 0;

	if (!nvmet_check_transfer_len(req, COPYOFF_NVME_HBS_SIZE))
		return;		/* completed with Data SGL Length Invalid */
	if (cdw10 & COPYOFF_NVME_FEAT_SAVE) {
		tgt_req_set_error_loc(req, offsetof(struct nvme_common_command,
						    cdw10));
		status = TGT_HBS_DNR(COPYOFF_NVME_SCT_CMD_SPECIFIC,
				     COPYOFF_NVME_SC_FEAT_NOT_SAVEABLE);
		goto out;
	}
	h = kzalloc(sizeof(*h), GFP_KERNEL);
	if (!h) {
		status = COPYOFF_NVME_STATUS(COPYOFF_NVME_SCT_GENERIC,
					     COPYOFF_NVME_SC_INTERNAL);
		goto out;
	}
	if (sg_pcopy_to_buffer(tgt_req_sg(req), tgt_req_sg_cnt(req), h->data,
			       sizeof(h->data), 0) != sizeof(h->data)) {
		kfree(h);
		status = TGT_HBS_DNR(COPYOFF_NVME_SCT_GENERIC,
				     COPYOFF_NVME_SC_DATA_XFER_ERROR);
		goto out;
	}
	cdfe = get_unaligned_le16(h->data + COPYOFF_NVME_HBS_CDFE);
	if (cdfe & ~TGT_CDFE_SUPPORTED) {
		kfree(h);
		tgt_req_set_error_loc(req, offsetof(struct nvme_common_command,
						    dptr));
		status = TGT_HBS_DNR(COPYOFF_NVME_SCT_GENERIC,
				     COPYOFF_NVME_SC_INVALID_FIELD);
		goto out;
	}
	h->ctrl = tgt_req_ctrl(req);
	spin_lock_irqsave(&tgt_hbs_lock, flags);
	old = tgt_hbs_find(h->ctrl);
	if (old)
		hash_del(&old->node);
	else
		WRITE_ONCE(tgt_hbs_nr, tgt_hbs_nr + 1);
	hash_add(tgt_hbs_table, &h->node, (unsigned long)h->ctrl);
	spin_unlock_irqrestore(&tgt_hbs_lock, flags);
	kfree(old);
	pr_debug("controller %p: Host Behavior Support set, CDFE 0x%x\n",
		 h->ctrl, cdfe);
out:
	nvmet_req_complete(req, status);
}

void tgt_hbs_get(struct nvmet_req *req)
{
	struct nvme_command *cmd = tgt_req_cmd(req);
	u32 sel = (le32_to_cpu(cmd->common.cdw10) >> 8) & 0x7;
	u8 *buf;
	struct tgt_hbs *h;
	unsigned long flags;
	u16 status = 0;

	if (sel == COPYOFF_NVME_SEL_CAPS) {
		/* changeable; neither saveable nor namespace specific */
		tgt_req_cqe(req)->result.u32 =
			cpu_to_le32(COPYOFF_NVME_FEAT_CAP_CHANGE);
		nvmet_req_complete(req, 0);
		return;
	}
	if (sel > COPYOFF_NVME_SEL_CAPS) {
		tgt_req_set_error_loc(req, offsetof(struct nvme_common_command,
						    cdw10));
		nvmet_req_complete(req, TGT_HBS_DNR(COPYOFF_NVME_SCT_GENERIC,
						    COPYOFF_NVME_SC_INVALID_FIELD));
		return;
	}
	if (!nvmet_check_transfer_len(req, COPYOFF_NVME_HBS_SIZE))
		return;
	buf = kzalloc(COPYOFF_NVME_HBS_SIZE, GFP_KERNEL);
	if (!buf) {
		nvmet_req_complete(req, COPYOFF_NVME_STATUS(COPYOFF_NVME_SCT_GENERIC,
							    COPYOFF_NVME_SC_INTERNAL));
		return;
	}
	if (sel == COPYOFF_NVME_SEL_CURRENT) {
		spin_lock_irqsave(&tgt_hbs_lock, flags);
		h = tgt_hbs_find(tgt_req_ctrl(req));
		if (h)
			memcpy(buf, h->data, COPYOFF_NVME_HBS_SIZE);
		spin_unlock_irqrestore(&tgt_hbs_lock, flags);
	}
	if (sg_pcopy_from_buffer(tgt_req_sg(req), tgt_req_sg_cnt(req), buf,
				 COPYOFF_NVME_HBS_SIZE, 0) != COPYOFF_NVME_HBS_SIZE)
		status = TGT_HBS_DNR(COPYOFF_NVME_SCT_GENERIC,
				     COPYOFF_NVME_SC_DATA_XFER_ERROR);
	kfree(buf);
	nvmet_req_complete(req, status);
}
