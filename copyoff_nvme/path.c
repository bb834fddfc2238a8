// SPDX-License-Identifier: GPL-2.0
/*
 * copyoff_nvme: which queue a command goes on.
 *
 * A namespace's own disk (PCIe, not shared) has a blk-mq queue: its I/O
 * commands go there, its admin commands to its controller's admin queue.
 * A multipath head (fabrics, shared namespaces) has a bio-based queue: a
 * path is chosen among the namespaces listed on the head, as nvme-core's own
 * path selection walks them, under the head's SRCU: one whose controller is
 * live, ANA-optimized before non-optimized; with none usable, nothing (the
 * core emulates through the head, which queues I/O until a path returns).
 * A Copy between two heads of one subsystem (format 2) goes on a path of the
 * destination head whose controller has a usable path of the source head
 * too, the pair ranked best together (heads_path()); with no such
 * controller, nothing.
 *
 * The layouts of struct nvme_ns, nvme_ns_head and nvme_ctrl, and the value
 * of NVME_CTRL_LIVE, come from the target kernel's nvme-core BTF at build
 * time (scripts/btf-layout.sh, HAVE_BTF_NVME_PATH), and are used only when the
 * loaded nvme_core is that build (copyoff_nvme_layouts).  Without them, a
 * head's path disks are found by name (nvme<S>c<C>n<H>), the first with a
 * blk-mq queue is used, and there is no admin queue.
 *
 * Lifetimes: the caller holds @disk open, which holds the namespace (or the
 * head).  A path or a controller chosen here is returned with a reference
 * on its device (the path disk's, or the controller's, whose release frees
 * it), taken while the head's SRCU still holds the namespace listed.
 *
 * Prefix: copyoff_nvme_ (the module's, nvme_copy.h); this file's own are
 * named after what they act on: ns_, ctrl_, head_, path_.
 */
#define pr_fmt(fmt) "copyoff_nvme: " fmt

#include <linux/srcu.h>
#include <linux/rculist.h>
#include <linux/blk-mq.h>
#include <copyoff_btf.h>
#include "nvme_copy.h"

#ifdef HAVE_BTF_NVME_PATH
#define FIELD(ptr, name, type) \
	(*(type *)((u8 *)(ptr) + COPYOFF_BTF_##name##_OFF))

/* The members are read as these types: their sizes in nvme-core's BTF. */
static_assert(COPYOFF_BTF_NVME_NS_CTRL_SIZE == sizeof(void *));
static_assert(COPYOFF_BTF_NVME_NS_DISK_SIZE == sizeof(struct gendisk *));
static_assert(COPYOFF_BTF_NVME_NS_ANA_STATE_SIZE == sizeof(u32));
static_assert(COPYOFF_BTF_NVME_NS_SIBLINGS_SIZE == sizeof(struct list_head));
static_assert(COPYOFF_BTF_NVME_NS_HEAD_LIST_SIZE == sizeof(struct list_head));
static_assert(COPYOFF_BTF_NVME_NS_HEAD_SRCU_SIZE ==
	      sizeof(struct srcu_struct));
static_assert(COPYOFF_BTF_NVME_CTRL_STATE_SIZE == sizeof(int));
static_assert(COPYOFF_BTF_NVME_CTRL_ADMIN_Q_SIZE ==
	      sizeof(struct request_queue *));
static_assert(COPYOFF_BTF_NVME_CTRL_DEVICE_SIZE == sizeof(struct device *));

static void *ns_ctrl(void *ns)
{
	return FIELD(ns, NVME_NS_CTRL, void *);
}

static bool ctrl_live(void *ctrl)
{
	return READ_ONCE(FIELD(ctrl, NVME_CTRL_STATE, int)) ==
	       COPYOFF_BTF_NVME_CTRL_LIVE;
}

/* 2: live and ANA-optimized, 1: live and non-optimized, 0: not usable. */
static int ns_rank(void *ns)
{
	if (!ctrl_live(ns_ctrl(ns)))
		return 0;
	switch (READ_ONCE(FIELD(ns, NVME_NS_ANA_STATE, u32))) {
	case NVME_ANA_OPTIMIZED:
		return 2;
	case NVME_ANA_NONOPTIMIZED:
		return 1;
	default:
		return 0;
	}
}

static struct srcu_struct *head_srcu(struct gendisk *disk)
{
	return (struct srcu_struct *)((u8 *)disk->private_data +
				      COPYOFF_BTF_NVME_NS_HEAD_SRCU_OFF);
}

/* The list of paths (struct nvme_ns, by siblings) of the head behind @disk. */
static struct list_head *head_list(struct gendisk *disk)
{
	return (struct list_head *)((u8 *)disk->private_data +
				    COPYOFF_BTF_NVME_NS_HEAD_LIST_OFF);
}

#define for_each_path(ns, node, list)					\
	for (node = READ_ONCE((list)->next);				\
	     node != (list) &&						\
	     (ns = (u8 *)node - COPYOFF_BTF_NVME_NS_SIBLINGS_OFF, 1);	\
	     node = READ_ONCE(node->next))

/*
 * The best path of the head behind @disk (bio-based), or NULL.  The caller
 * holds the head's SRCU read lock.
 */
static void *head_path(struct gendisk *disk)
{
	struct list_head *list = head_list(disk), *node;
	void *best = NULL, *ns;
	int rank = 0;

	for_each_path(ns, node, list) {
		int r = ns_rank(ns);

		if (r > rank) {
			best = ns;
			rank = r;
			if (r == 2)
				break;
		}
	}
	return best;
}

/*
 * The rank (ns_rank()) of the path of the head behind @disk on controller
 * @ctrl, 0 without one.  The caller holds the head's SRCU read lock.
 */
static int head_rank_on(struct gendisk *disk, void *ctrl)
{
	struct list_head *list = head_list(disk), *node;
	void *ns;

	for_each_path(ns, node, list) {
		if (ns_ctrl(ns) == ctrl)
			return ns_rank(ns);
	}
	return 0;
}

/*
 * For a Copy to the head behind @dst from the head behind @src (another
 * namespace of the subsystem): the path of @dst on a controller that has a
 * usable path of @src as well, where the two paths rank best together
 * (both ANA-optimized first), or NULL when no live controller has both
 * (the copy is then emulated through the heads).  A format 2 Copy names
 * its source by NSID, which is the subsystem's, so any controller with
 * both namespaces attached and reachable can run it.  The caller holds
 * both heads' SRCU read locks.
 */
static void *heads_path(struct gendisk *dst, struct gendisk *src)
{
	struct list_head *list = head_list(dst), *node;
	void *best = NULL, *ns;
	int rank = 0;

	for_each_path(ns, node, list) {
		int rd = ns_rank(ns), rs;

		if (!rd)
			continue;
		rs = head_rank_on(src, ns_ctrl(ns));
		if (rs && rd + rs > rank) {
			best = ns;
			rank = rd + rs;
			if (rank == 4)
				break;
		}
	}
	return best;
}

/* The I/O queue of the path disk of @ns, holding the disk's device. */
static struct request_queue *ns_io_queue(void *ns, struct device **devp)
{
	struct gendisk *path = FIELD(ns, NVME_NS_DISK, struct gendisk *);

	*devp = get_device(disk_to_dev(path));
	return path->queue;
}

/* The admin queue of @ns's controller, holding the controller's device. */
static struct request_queue *ns_admin_queue(void *ns, struct device **devp)
{
	void *ctrl = ns_ctrl(ns);

	*devp = get_device(FIELD(ctrl, NVME_CTRL_DEVICE, struct device *));
	return FIELD(ctrl, NVME_CTRL_ADMIN_Q, struct request_queue *);
}

/*
 * @pick's queue of the best path of the head behind @disk, taken while the
 * head's SRCU holds that path listed; NULL without a usable path.
 */
static struct request_queue *
head_queue(struct gendisk *disk, struct device **devp,
	   struct request_queue *(*pick)(void *ns, struct device **devp))
{
	struct srcu_struct *srcu = head_srcu(disk);
	struct request_queue *q = NULL;
	int idx;
	void *ns;

	idx = srcu_read_lock(srcu);
	ns = head_path(disk);
	if (ns)
		q = pick(ns, devp);
	srcu_read_unlock(srcu, idx);
	return q;
}

/* heads_path()'s I/O queue, holding its path disk's device; NULL without. */
static struct request_queue *heads_queue(struct gendisk *dst,
					 struct gendisk *src,
					 struct device **devp)
{
	struct srcu_struct *dsrcu = head_srcu(dst), *ssrcu = head_srcu(src);
	struct request_queue *q = NULL;
	int didx, sidx;
	void *ns;

	didx = srcu_read_lock(dsrcu);
	sidx = srcu_read_lock(ssrcu);
	ns = heads_path(dst, src);
	if (ns)
		q = ns_io_queue(ns, devp);
	srcu_read_unlock(ssrcu, sidx);
	srcu_read_unlock(dsrcu, didx);
	return q;
}

#endif

/* A path disk nvme<s>c<any>n<n> of the block class, with a blk-mq queue. */
struct path_find {
	int s, n;
	struct device *dev;
};

static int path_match(struct device *dev, void *data)
{
	struct path_find *f = data;
	struct gendisk *path = dev_to_disk(dev);
	int s, c, n;

	if (dev_to_bdev(dev) != path->part0 ||
	    sscanf(dev_name(dev), "nvme%dc%dn%d", &s, &c, &n) != 3 ||
	    s != f->s || n != f->n || !path->queue || !queue_is_mq(path->queue))
		return 0;
	f->dev = get_device(dev);
	return 1;
}

/*
 * Without the layouts: the first path disk of a head (in the block class's
 * order, which is the order paths were added) with a blk-mq queue.
 */
static struct request_queue *path_by_name(struct gendisk *disk,
					  struct device **devp)
{
	struct path_find f = { };

	if (sscanf(disk->disk_name, "nvme%dn%d", &f.s, &f.n) != 2)
		return NULL;
	copyoff_for_each_block_dev(path_match, &f);
	if (!f.dev)
		return NULL;
	*devp = f.dev;
	return dev_to_disk(f.dev)->queue;
}

struct request_queue *copyoff_nvme_io_queue(struct gendisk *disk,
					    struct device **devp)
{
	*devp = NULL;
	if (queue_is_mq(disk->queue))
		return disk->queue;
#ifdef HAVE_BTF_NVME_PATH
	if (copyoff_nvme_layouts)
		return head_queue(disk, devp, ns_io_queue);
#endif
	return path_by_name(disk, devp);
}

struct request_queue *copyoff_nvme_admin_queue(struct gendisk *disk,
					       struct device **devp)
{
	*devp = NULL;
#ifdef HAVE_BTF_NVME_PATH
	if (copyoff_nvme_layouts) {
		if (queue_is_mq(disk->queue))
			return ns_admin_queue(disk->private_data, devp);
		return head_queue(disk, devp, ns_admin_queue);
	}
#endif
	return NULL;
}

/*
 * The I/O queue for a Copy to @dst from @src: @dst's own (path.c's best
 * path for a head) within one namespace; across namespaces, @dst's own when
 * both are namespace disks (main.c checked they are of one controller), a
 * path of @dst on a controller with a usable path of @src when both are
 * heads (main.c checked they are of one subsystem), NULL otherwise or
 * without the layouts (a head's paths by name say nothing of their state).
 */
struct request_queue *copyoff_nvme_copy_queue(struct gendisk *dst,
					      struct gendisk *src,
					      struct device **devp)
{
	*devp = NULL;
	if (dst == src)
		return copyoff_nvme_io_queue(dst, devp);
	if (queue_is_mq(dst->queue))
		return queue_is_mq(src->queue) ? dst->queue : NULL;
	if (queue_is_mq(src->queue))
		return NULL;
#ifdef HAVE_BTF_NVME_PATH
	if (copyoff_nvme_layouts)
		return heads_queue(dst, src, devp);
#endif
	return NULL;
}

/* Two heads: is there a controller now for a Copy from @src to @dst? */
bool copyoff_nvme_heads_shared(struct gendisk *dst, struct gendisk *src)
{
	struct request_queue *q;
	struct device *dev;

	if (queue_is_mq(dst->queue) || queue_is_mq(src->queue))
		return false;
	q = copyoff_nvme_copy_queue(dst, src, &dev);
	if (dev)
		put_device(dev);
	return q != NULL;
}
