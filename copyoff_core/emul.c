// SPDX-License-Identifier: GPL-2.0
/*
 * copyoff_core: the emulation, in-kernel reads and writes.
 *
 * A copy that no provider offloads is done through a set of buffer slots
 * (at most emul_slots, each of one buffer of emul_chunk_kb, taken when the
 * copy first needs them): each slot reads a piece of the source into its
 * buffer and writes it to the destination, and all slots work at once.
 * Memory per copy is bounded by emul_slots * emul_chunk_kb, whatever the
 * size of the copy.
 *
 * Buffers are made of blocks of physically contiguous pages (up to 512 KiB,
 * fewer and smaller where memory is fragmented), so that a piece is a bio of
 * a few vectors.  The blocks are not compound pages: hardened usercopy
 * checks that a copy stays inside a compound page, and bio vectors merged
 * across two neighbouring ones trip it where the data is copied out of a
 * network buffer (nvme-tcp over loopback).  Buffers that copies give back
 * are kept in a small pool (4 * emul_slots of them) for the next copies,
 * and freed after 10 s without use or at unload; mem_pool_bytes counts them.
 *
 * Memory of all copies together is bounded by max_mem_mb: a copy takes its
 * slots from that budget when it first needs them, as many as fit (at least
 * one where no copy holds any), and gives them back when it ends.  A copy for
 * which no slot fits waits, in arrival order, without holding anything; the
 * copies ahead of it are making progress and will give theirs back.  Buffer
 * pages are taken without reclaim retries or the OOM killer (fewer slots,
 * then waiting, instead) and charged to the memory cgroup of the process
 * that started the copy, where there is one.
 *
 * Bio completions only queue the slot's work; the next step is taken in
 * process context, where submitting may sleep.
 *
 * Prefixes: copyoff_emul_ (the interface, emul.h); this file's own are named
 * after what they act on: buf_, pool_, budget_, mem_, slot_, param_.
 */
#define pr_fmt(fmt) "copyoff: " fmt

#include <linux/bio.h>
#include <linux/bitmap.h>
#include <linux/device.h>
#include <linux/math64.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/memcontrol.h>
#include <linux/sched/mm.h>
#include <linux/sysfs.h>
#include "copyoff_core.h"
#include "emul.h"

/* Tunables.  Writes are range-checked; a bad value is refused with EINVAL. */

static unsigned int emul_chunk_kb = 512;
static unsigned int emul_slots = 8;
static unsigned int max_mem_mb;		/* set at load: 1/16 of RAM */

static unsigned int ram_mb(void)
{
	return max_t(u64, (u64)totalram_pages() >> (20 - PAGE_SHIFT), 1);
}

static int param_set_chunk_kb(const char *val, const struct kernel_param *kp)
{
	unsigned int v;
	int ret = kstrtouint(val, 0, &v);

	if (ret)
		return ret;
	if (v < 4 || v > 1024 || v % 4)
		return -EINVAL;
	WRITE_ONCE(*(unsigned int *)kp->arg, v);
	return 0;
}

static int param_set_slots(const char *val, const struct kernel_param *kp)
{
	return param_set_uint_minmax(val, kp, 1, EMUL_MAX_SLOTS);
}

static int param_set_max_mem(const char *val, const struct kernel_param *kp)
{
	return param_set_uint_minmax(val, kp, 1, ram_mb());
}

static const struct kernel_param_ops chunk_kb_ops = {
	.set = param_set_chunk_kb,
	.get = param_get_uint,
};

static const struct kernel_param_ops slots_ops = {
	.set = param_set_slots,
	.get = param_get_uint,
};

static const struct kernel_param_ops max_mem_ops = {
	.set = param_set_max_mem,
	.get = param_get_uint,
};

module_param_cb(emul_chunk_kb, &chunk_kb_ops, &emul_chunk_kb, 0644);
MODULE_PARM_DESC(emul_chunk_kb,
		 "Emulation I/O size in KiB, a multiple of 4 from 4 to 1024 (default: 512)");
module_param_cb(emul_slots, &slots_ops, &emul_slots, 0644);
MODULE_PARM_DESC(emul_slots,
		 "Emulation buffers in flight per copy, 1 to 64 (default: 8); memory per copy is emul_slots * emul_chunk_kb");
module_param_cb(max_mem_mb, &max_mem_ops, &max_mem_mb, 0644);
MODULE_PARM_DESC(max_mem_mb,
		 "Emulation buffer memory of all copies together, in MiB, 1 to the size of RAM (default: 1/16 of RAM); a copy waits for its first buffer while the others hold it all");

/* emul_slots as it is now (its setter already keeps it in range) */
static unsigned int emul_slots_now(void)
{
	return clamp(READ_ONCE(emul_slots), 1U, EMUL_MAX_SLOTS);
}

static struct workqueue_struct *emul_wq;	/* set at load */

/* An emulation buffer: blocks of physically contiguous pages. */
struct copyoff_buf {
	struct list_head node;		/* in the pool, under pool_lock */
	u64 bytes;			/* set at allocation, then constant */
	struct mem_cgroup *memcg;	/* charged to; a key, never dereferenced */
	unsigned int nr;
	struct {
		struct page *page;
		unsigned int order;
	} blk[];
};

/*
 * A copy waiting for buffer memory: the fields are under budget_lock,
 * ->wake is set at creation.
 */
struct copyoff_mem_wait {
	struct list_head node;		/* in budget_waiters, or a wake list */
	void (*wake)(struct copyoff_mem_wait *w);
	unsigned int want;
	unsigned int granted;
	u64 bytes;
	bool queued;
};

/*
 * One buffer slot.  No lock: a slot is the pump's between taking its bit
 * of free_slots and starting it, then its bio's and its work item's, one
 * after the other, until its bit is set again.
 */
struct copyoff_slot {
	struct copyoff_emul *e;
	unsigned int index;
	bool writing;
	blk_status_t status;
	struct copyoff_piece piece;
	struct work_struct work;
	struct list_head drive_node;	/* on a drive's ready list */
	struct copyoff_buf *buf;
};

/*
 * The emulation of one copy.  Set at creation and constant: ops, owner,
 * src, dst, bytes, css, memcg.  slots and nslots: set by the one successful
 * copyoff_emul_begin(), read by later calls (the caller's pump never runs
 * twice at once) and by copyoff_emul_end().  free_slots: atomic bit
 * operations; a bit is cleared by copyoff_emul_start() alone and set when
 * the slot's piece ends.  memw: under budget_lock.
 */
struct copyoff_emul {
	const struct copyoff_emul_ops *ops;
	void *owner;
	struct block_device *src;
	struct block_device *dst;
	u64 bytes;			/* of a piece, of a buffer */
	struct cgroup_subsys_state *css;
	struct mem_cgroup *memcg;
	struct copyoff_drive *drive;	/* or NULL */
	struct copyoff_slot **slots;
	unsigned int nslots;
	DECLARE_BITMAP(free_slots, EMUL_MAX_SLOTS);
	struct copyoff_mem_wait memw;
};

/* Buffer pages: no reclaim retries, no OOM killer, charged to the caller. */
#define BUF_GFP		(GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN | __GFP_ACCOUNT)

/* Largest block of a buffer: 512 KiB. */
#define BUF_MAX_ORDER	min(7, COMPAT_MAX_PAGE_ORDER)
#define POOL_IDLE	(10 * HZ)

/* The pool: pool and pool_count under pool_lock; pool_bytes atomic. */
static LIST_HEAD(pool);
static DEFINE_SPINLOCK(pool_lock);
static unsigned int pool_count;
static atomic64_t pool_bytes = ATOMIC64_INIT(0);
static unsigned long pool_used;		/* jiffies: a buffer last put back */

static void pool_drain_work(struct work_struct *work);
static DECLARE_DELAYED_WORK(pool_drain, pool_drain_work);

static size_t buf_struct_bytes(u64 bytes)
{
	return struct_size((struct copyoff_buf *)NULL, blk,
			   DIV_ROUND_UP(bytes, PAGE_SIZE));
}

static void buf_free(struct copyoff_buf *buf)
{
	unsigned int i;

	for (i = 0; i < buf->nr; i++)
		__free_pages(buf->blk[i].page, buf->blk[i].order);
	kfree(buf);
}

static struct copyoff_buf *buf_alloc(u64 bytes)
{
	struct copyoff_buf *buf = kzalloc(buf_struct_bytes(bytes), BUF_GFP);
	unsigned int order = BUF_MAX_ORDER;
	u64 have = 0;

	if (!buf)
		return NULL;
	buf->bytes = bytes;
	while (have < bytes) {
		struct page *page;

		order = min_t(unsigned int, order,
			      get_order(bytes - have));
		page = alloc_pages(BUF_GFP, order);
		if (!page) {
			if (!order) {
				buf_free(buf);
				return NULL;
			}
			order--;
			continue;
		}
		buf->blk[buf->nr].page = page;
		buf->blk[buf->nr].order = order;
		buf->nr++;
		have += PAGE_SIZE << order;
	}
	return buf;
}

/*
 * A buffer of @bytes for a copy charged to @memcg, from the pool where one of
 * that size was charged to the same memory cgroup (a charged buffer holds
 * its cgroup, so the same pointer is the same cgroup): a copy never uses
 * memory that another cgroup pays for.
 */
static struct copyoff_buf *buf_get(u64 bytes, struct mem_cgroup *memcg)
{
	struct copyoff_buf *buf = NULL, *b;

	spin_lock(&pool_lock);
	list_for_each_entry(b, &pool, node) {
		if (b->bytes == bytes && b->memcg == memcg) {
			buf = b;
			list_del(&buf->node);
			pool_count--;
			atomic64_sub(buf->bytes, &pool_bytes);
			break;
		}
	}
	spin_unlock(&pool_lock);
	if (!buf) {
		buf = buf_alloc(bytes);
		if (buf)
			buf->memcg = memcg;
	}
	if (buf)
		copyoff_mem_add(buf->bytes);
	return buf;
}

static void buf_put(struct copyoff_buf *buf)
{
	unsigned int cap = 4 * emul_slots_now();

	copyoff_mem_add(-(long)buf->bytes);
	spin_lock(&pool_lock);
	if (pool_count < cap) {
		list_add(&buf->node, &pool);
		pool_count++;
		atomic64_add(buf->bytes, &pool_bytes);
		buf = NULL;
	}
	spin_unlock(&pool_lock);
	if (buf)
		buf_free(buf);
	/*
	 * The drain runs POOL_IDLE after the last put: it looks at pool_used
	 * and comes back later if that is recent, so a put does not move a
	 * timer each time (every copy would, under every other's lock).
	 */
	WRITE_ONCE(pool_used, jiffies);
	if (!delayed_work_pending(&pool_drain))
		mod_delayed_work(system_wq, &pool_drain, POOL_IDLE);
}

/* From the delayed work, or with @work NULL at unload: drain now. */
static void pool_drain_work(struct work_struct *work)
{
	unsigned long idle_at = READ_ONCE(pool_used) + POOL_IDLE;
	unsigned long now = jiffies;
	struct copyoff_buf *buf, *tmp;
	LIST_HEAD(list);

	if (work && time_before(now, idle_at)) {
		mod_delayed_work(system_wq, &pool_drain, idle_at - now);
		return;
	}
	spin_lock(&pool_lock);
	list_splice_init(&pool, &list);
	pool_count = 0;
	atomic64_set(&pool_bytes, 0);
	spin_unlock(&pool_lock);
	list_for_each_entry_safe(buf, tmp, &list, node)
		buf_free(buf);
}

/*
 * The budget of buffer memory, max_mem_mb for all copies: bytes of slots
 * granted, and the copies waiting for theirs, first come first served.
 * budget_used, budget_waiters and every copyoff_mem_wait: budget_lock
 * (irq-safe: memory is given back where a copy ends); the figures: atomics.
 */
static DEFINE_SPINLOCK(budget_lock);
static u64 budget_used;
static LIST_HEAD(budget_waiters);
static atomic64_t mem_waits = ATOMIC64_INIT(0);
static atomic64_t emul_by_caller = ATOMIC64_INIT(0);
static atomic_t mem_waiting = ATOMIC_INIT(0);

/* Slots of @bytes that fit now, at most @want; one where nothing is held. */
static unsigned int budget_take(unsigned int want, u64 bytes)
{
	u64 limit = (u64)READ_ONCE(max_mem_mb) << 20;
	u64 fit = budget_used < limit ? div64_u64(limit - budget_used, bytes) : 0;
	unsigned int n = min_t(u64, want, fit);

	lockdep_assert_held(&budget_lock);
	if (!n && !budget_used)
		n = 1;
	budget_used += (u64)n * bytes;
	return n;
}

/*
 * Slots for a copy that wants @want buffers of @bytes: the number granted,
 * or 0 when the copy is to wait (@w is queued and its ->wake() is called,
 * from the context that gives memory back, once slots are granted to it;
 * the next call returns them), or -EALREADY when @w already waits.
 */
static int mem_reserve(struct copyoff_mem_wait *w, unsigned int want,
		       u64 bytes)
{
	unsigned long flags;
	int n = 0;

	spin_lock_irqsave(&budget_lock, flags);
	if (w->granted) {
		n = w->granted;
		w->granted = 0;
	} else if (w->queued) {
		n = -EALREADY;
	} else if (list_empty(&budget_waiters)) {
		n = budget_take(want, bytes);
	}
	if (!n) {
		w->want = want;
		w->bytes = bytes;
		w->queued = true;
		list_add_tail(&w->node, &budget_waiters);
		atomic64_inc(&mem_waits);
		atomic_inc(&mem_waiting);
	}
	spin_unlock_irqrestore(&budget_lock, flags);
	return n;
}

/* Give back @n slots of @bytes, and grant what now fits to the waiters. */
static void mem_release(unsigned int n, u64 bytes)
{
	struct copyoff_mem_wait *w, *tmp;
	unsigned long flags;
	LIST_HEAD(woken);

	if (!n)
		return;
	spin_lock_irqsave(&budget_lock, flags);
	budget_used -= (u64)n * bytes;
	list_for_each_entry_safe(w, tmp, &budget_waiters, node) {
		unsigned int got = budget_take(w->want, w->bytes);

		if (!got)
			break;
		w->granted = got;
		w->queued = false;
		list_move_tail(&w->node, &woken);
		atomic_dec(&mem_waiting);
	}
	spin_unlock_irqrestore(&budget_lock, flags);
	/* ->wake() may free @w once called: take it off the list first */
	list_for_each_entry_safe(w, tmp, &woken, node) {
		list_del_init(&w->node);
		w->wake(w);
	}
}

/*
 * The copy behind @w is ending: take it out of the queue (true: it was
 * queued, and its ->wake() will not be called) and give back what was
 * granted to it and not yet taken.
 */
static bool mem_unwait(struct copyoff_mem_wait *w)
{
	unsigned int granted;
	unsigned long flags;
	bool was_queued;

	spin_lock_irqsave(&budget_lock, flags);
	was_queued = w->queued;
	if (was_queued) {
		list_del_init(&w->node);
		w->queued = false;
		atomic_dec(&mem_waiting);
	}
	granted = w->granted;
	w->granted = 0;
	spin_unlock_irqrestore(&budget_lock, flags);
	mem_release(granted, w->bytes);
	return was_queued;
}

void copyoff_drive_init(struct copyoff_drive *d, bool on)
{
	spin_lock_init(&d->lock);
	d->on = on;
	INIT_LIST_HEAD(&d->ready);
	init_waitqueue_head(&d->wq);
}

bool copyoff_drive_pending(struct copyoff_drive *d)
{
	return !list_empty_careful(&d->ready);
}

/*
 * To the caller that drives, if it still does.  The wake-up is under the
 * lock: once it is dropped, the caller may run the slot, see its copy end
 * and free @d.
 */
static bool drive_take(struct copyoff_drive *d, struct copyoff_slot *slot)
{
	unsigned long flags;
	bool taken;

	spin_lock_irqsave(&d->lock, flags);
	taken = d->on;
	if (taken) {
		list_add_tail(&slot->drive_node, &d->ready);
		wake_up(&d->wq);
	}
	spin_unlock_irqrestore(&d->lock, flags);
	return taken;
}

static void slot_end_io(struct bio *bio)
{
	struct copyoff_slot *slot = bio->bi_private;
	struct copyoff_drive *drive = slot->e->drive;

	slot->status = bio->bi_status;
	bio_put(bio);
	if (!drive || !drive_take(drive, slot))
		queue_work(emul_wq, &slot->work);
}

static void slot_submit(struct copyoff_slot *slot, struct block_device *bdev,
			u64 off, blk_opf_t op)
{
	const struct copyoff_buf *buf = slot->buf;
	u64 left = slot->piece.len, pos = 0;
	unsigned int nr = 0, i;
	struct bio *bio;

	while (pos < left)
		pos += PAGE_SIZE << buf->blk[nr++].order;
	bio = bio_alloc(bdev, nr, op, GFP_NOIO);
	bio->bi_iter.bi_sector = off >> SECTOR_SHIFT;
	if (slot->e->css)
		bio_associate_blkg_from_css(bio, slot->e->css);
	bio->bi_private = slot;
	bio->bi_end_io = slot_end_io;
	for (i = 0; i < nr; i++) {
		unsigned int n = min_t(u64, left, PAGE_SIZE << buf->blk[i].order);

		/* cannot fail: the bio has room for nr vectors */
		if (bio_add_page(bio, buf->blk[i].page, n, 0) != n) {
			bio->bi_status = BLK_STS_RESOURCE;
			bio_endio(bio);
			return;
		}
		left -= n;
	}
	submit_bio(bio);
}

static void slot_work(struct work_struct *work)
{
	struct copyoff_slot *slot = container_of(work, struct copyoff_slot, work);
	struct copyoff_emul *e = slot->e;
	struct copyoff_piece piece;

	if (!slot->writing && slot->status == BLK_STS_OK) {
		slot->writing = true;
		slot_submit(slot, e->dst, slot->piece.dst_off, REQ_OP_WRITE);
		return;
	}
	slot->writing = false;
	/* the slot may be taken again as soon as its bit is set */
	piece = slot->piece;
	set_bit(slot->index, e->free_slots);
	e->ops->piece_end(e->owner, &piece, blk_status_to_errno(slot->status));
}

/*
 * Every slot that is ready: run here, or, @stop, handed to the workqueue
 * with the caller driving no more.
 */
static void drive_flush(struct copyoff_drive *d, bool stop)
{
	struct copyoff_slot *slot, *tmp;
	LIST_HEAD(list);

	spin_lock_irq(&d->lock);
	if (stop)
		d->on = false;
	list_splice_init(&d->ready, &list);
	spin_unlock_irq(&d->lock);
	list_for_each_entry_safe(slot, tmp, &list, drive_node) {
		/* off the list first: the slot may end again in there */
		list_del_init(&slot->drive_node);
		if (stop) {
			queue_work(emul_wq, &slot->work);
		} else {
			atomic64_inc(&emul_by_caller);
			slot_work(&slot->work);
		}
	}
}

void copyoff_drive_run(struct copyoff_drive *d)
{
	drive_flush(d, false);
}

void copyoff_drive_stop(struct copyoff_drive *d)
{
	drive_flush(d, true);
}

bool copyoff_emul_have_slot(const struct copyoff_emul *e)
{
	return e->slots && !bitmap_empty(e->free_slots, e->nslots);
}

u64 copyoff_emul_piece_bytes(const struct copyoff_emul *e)
{
	return e->bytes;
}

void copyoff_emul_start(struct copyoff_emul *e,
			const struct copyoff_piece *piece)
{
	unsigned int i = find_first_bit(e->free_slots, e->nslots);
	struct copyoff_slot *slot;

	if (WARN_ON_ONCE(i >= e->nslots || piece->len > e->bytes)) {
		e->ops->piece_end(e->owner, piece, -EIO);
		return;
	}
	clear_bit(i, e->free_slots);
	slot = e->slots[i];
	slot->piece = *piece;
	slot->writing = false;
	slot->status = BLK_STS_OK;
	slot_submit(slot, e->src, piece->src_off, REQ_OP_READ);
}

static void slots_free(struct copyoff_slot **slots, unsigned int nslots)
{
	unsigned int i;

	for (i = 0; i < nslots; i++) {
		struct copyoff_slot *slot = slots[i];

		if (!slot)
			continue;
		if (slot->buf)
			buf_put(slot->buf);
		copyoff_mem_add(-(long)sizeof(*slot));
		kfree(slot);
	}
	copyoff_mem_add(-(long)(nslots * sizeof(*slots)));
	kfree(slots);
}

/* @nslots slots for @e, NULL if memory is short. */
static struct copyoff_slot **slots_alloc(struct copyoff_emul *e,
					 unsigned int nslots)
{
	struct mem_cgroup *old = e->memcg ? set_active_memcg(e->memcg) : NULL;
	struct copyoff_slot **slots;
	unsigned int i;

	slots = kcalloc(nslots, sizeof(*slots), GFP_KERNEL | __GFP_ACCOUNT);
	if (!slots)
		goto out;
	copyoff_mem_add(nslots * sizeof(*slots));
	for (i = 0; i < nslots; i++) {
		struct copyoff_slot *slot = kzalloc(sizeof(*slot),
						    GFP_KERNEL | __GFP_ACCOUNT);

		if (!slot)
			goto fail;
		copyoff_mem_add(sizeof(*slot));
		slots[i] = slot;
		slot->e = e;
		slot->index = i;
		INIT_WORK(&slot->work, slot_work);
		INIT_LIST_HEAD(&slot->drive_node);
		slot->buf = buf_get(e->bytes, e->memcg);
		if (!slot->buf)
			goto fail;
	}
	goto out;
fail:
	slots_free(slots, nslots);
	slots = NULL;
out:
	if (e->memcg)
		set_active_memcg(old);
	return slots;
}

/*
 * Take the slots: emul_slots of emul_chunk_kb at most, no more than the
 * copy has pieces, no more than the budget of all copies grants
 * (max_mem_mb), and fewer if memory is short.
 */
int copyoff_emul_begin(struct copyoff_emul *e, unsigned int pieces)
{
	unsigned int n = emul_slots_now();
	int got;

	if (e->slots)
		return 1;
	n = clamp(pieces, 1U, n);
	got = mem_reserve(&e->memw, n, e->bytes);
	if (got <= 0)
		return got;
	for (n = got; n; n /= 2) {
		e->slots = slots_alloc(e, n);
		if (e->slots)
			break;
	}
	mem_release(got - n, e->bytes);
	if (!e->slots)
		return -ENOMEM;
	e->nslots = n;
	bitmap_set(e->free_slots, 0, n);
	return 1;
}

static void emul_mem_wake(struct copyoff_mem_wait *w)
{
	struct copyoff_emul *e = container_of(w, struct copyoff_emul, memw);

	e->ops->wake(e->owner);
}

struct copyoff_emul *copyoff_emul_new(const struct copyoff_emul_ops *ops,
				      void *owner, struct block_device *src,
				      struct block_device *dst, u32 align,
				      struct cgroup_subsys_state *css,
				      struct mem_cgroup *memcg,
				      struct copyoff_drive *drive)
{
	u64 bytes = (u64)READ_ONCE(emul_chunk_kb) * 1024;
	struct copyoff_emul *e = kzalloc(sizeof(*e), GFP_KERNEL_ACCOUNT);

	if (!e)
		return NULL;
	copyoff_mem_add(sizeof(*e));
	e->ops = ops;
	e->owner = owner;
	e->src = src;
	e->dst = dst;
	e->bytes = max_t(u64, round_down(bytes, align), align);
	e->css = css;
	e->memcg = memcg;
	e->drive = drive;
	INIT_LIST_HEAD(&e->memw.node);
	e->memw.wake = emul_mem_wake;
	return e;
}

bool copyoff_emul_end(struct copyoff_emul *e)
{
	if (e->slots) {
		slots_free(e->slots, e->nslots);
		mem_release(e->nslots, e->bytes);
	}
	e->slots = NULL;
	e->nslots = 0;
	return mem_unwait(&e->memw);
}

void copyoff_emul_free(struct copyoff_emul *e)
{
	if (!e)
		return;
	copyoff_mem_add(-(long)sizeof(*e));
	kfree(e);
}

void copyoff_emul_init(struct workqueue_struct *wq)
{
	emul_wq = wq;
	if (!max_mem_mb)
		max_mem_mb = max(ram_mb() / 16, 1U);
	else
		max_mem_mb = min(max_mem_mb, ram_mb());
}

/* At unload: no copy is left to give a buffer back. */
void copyoff_emul_exit(void)
{
	cancel_delayed_work_sync(&pool_drain);
	pool_drain_work(NULL);
}

/* Emulation buffers kept for the next copies, not in mem_bytes. */
static ssize_t mem_pool_bytes_show(struct device *dev,
				   struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%lld\n", (long long)atomic64_read(&pool_bytes));
}
static DEVICE_ATTR_RO(mem_pool_bytes);

/* How many copies had to wait for buffer memory, and how many wait now. */
static ssize_t mem_waits_show(struct device *dev,
			      struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%lld\n", (long long)atomic64_read(&mem_waits));
}
static DEVICE_ATTR_RO(mem_waits);

static ssize_t mem_waiting_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", atomic_read(&mem_waiting));
}
static DEVICE_ATTR_RO(mem_waiting);

/* Slot bios whose ends the waiting caller ran (a piece: its read, its write). */
static ssize_t emul_by_caller_show(struct device *dev,
				   struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%lld\n",
			  (long long)atomic64_read(&emul_by_caller));
}
static DEVICE_ATTR_RO(emul_by_caller);

static struct attribute *copyoff_emul_attrs[] = {
	&dev_attr_emul_by_caller.attr,
	&dev_attr_mem_waits.attr,
	&dev_attr_mem_waiting.attr,
	&dev_attr_mem_pool_bytes.attr,
	NULL,
};

const struct attribute_group copyoff_emul_group = {
	.attrs = copyoff_emul_attrs,
};
