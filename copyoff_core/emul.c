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
 */
#define pr_fmt(fmt) "copyoff: " fmt

#include <linux/bio.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/memcontrol.h>
#include <linux/sched/mm.h>
#include "copyoff_core.h"

/* Buffer pages: no reclaim retries, no OOM killer, charged to the caller. */
#define BUF_GFP		(GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN | __GFP_ACCOUNT)

/* Largest block of a buffer: 512 KiB. */
#define BUF_MAX_ORDER	min(7, COMPAT_MAX_PAGE_ORDER)
#define POOL_IDLE	(10 * HZ)

static LIST_HEAD(pool);
static DEFINE_SPINLOCK(pool_lock);
static unsigned int pool_count;
atomic64_t copyoff_pool_bytes = ATOMIC64_INIT(0);

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
			atomic64_sub(buf->bytes, &copyoff_pool_bytes);
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
	unsigned int cap = 4 * copyoff_emul_slots_now();

	copyoff_mem_add(-(long)buf->bytes);
	spin_lock(&pool_lock);
	if (pool_count < cap) {
		list_add(&buf->node, &pool);
		pool_count++;
		atomic64_add(buf->bytes, &copyoff_pool_bytes);
		buf = NULL;
	}
	spin_unlock(&pool_lock);
	if (buf)
		buf_free(buf);
	mod_delayed_work(system_wq, &pool_drain, POOL_IDLE);
}

static void pool_drain_work(struct work_struct *work)
{
	struct copyoff_buf *buf, *tmp;
	LIST_HEAD(list);

	spin_lock(&pool_lock);
	list_splice_init(&pool, &list);
	pool_count = 0;
	atomic64_set(&copyoff_pool_bytes, 0);
	spin_unlock(&pool_lock);
	list_for_each_entry_safe(buf, tmp, &list, node)
		buf_free(buf);
}

/* At unload: no copy is left to give a buffer back. */
void copyoff_pool_exit(void)
{
	cancel_delayed_work_sync(&pool_drain);
	pool_drain_work(NULL);
}

/*
 * The budget of buffer memory, max_mem_mb for all copies: bytes of slots
 * granted, and the copies waiting for theirs, first come first served.
 */
static DEFINE_SPINLOCK(budget_lock);
static u64 budget_used;
static LIST_HEAD(budget_waiters);
atomic64_t copyoff_mem_waits = ATOMIC64_INIT(0);
atomic_t copyoff_mem_waiting = ATOMIC_INIT(0);

/* Slots of @bytes that fit now, at most @want; one where nothing is held. */
static unsigned int budget_take(unsigned int want, u64 bytes)
{
	u64 limit = (u64)READ_ONCE(copyoff_max_mem_mb) << 20;
	u64 fit = budget_used < limit ? div64_u64(limit - budget_used, bytes) : 0;
	unsigned int n = min_t(u64, want, fit);

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
int copyoff_mem_reserve(struct copyoff_mem_wait *w, unsigned int want,
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
		atomic64_inc(&copyoff_mem_waits);
		atomic_inc(&copyoff_mem_waiting);
	}
	spin_unlock_irqrestore(&budget_lock, flags);
	return n;
}

/* Give back @n slots of @bytes, and grant what now fits to the waiters. */
void copyoff_mem_release(unsigned int n, u64 bytes)
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
		atomic_dec(&copyoff_mem_waiting);
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
bool copyoff_mem_unwait(struct copyoff_mem_wait *w)
{
	unsigned int granted;
	unsigned long flags;
	bool was_queued;

	spin_lock_irqsave(&budget_lock, flags);
	was_queued = w->queued;
	if (was_queued) {
		list_del_init(&w->node);
		w->queued = false;
		atomic_dec(&copyoff_mem_waiting);
	}
	granted = w->granted;
	w->granted = 0;
	spin_unlock_irqrestore(&budget_lock, flags);
	copyoff_mem_release(granted, w->bytes);
	return was_queued;
}

static void copyoff_slot_end_io(struct bio *bio)
{
	struct copyoff_slot *slot = bio->bi_private;

	slot->status = bio->bi_status;
	bio_put(bio);
	queue_work(copyoff_wq, &slot->work);
}

static void copyoff_slot_submit(struct copyoff_slot *slot,
				struct block_device *bdev, u64 off,
				blk_opf_t op)
{
	const struct copyoff_buf *buf = slot->buf;
	u64 left = slot->piece.len, pos = 0;
	unsigned int nr = 0, i;
	struct bio *bio;

	while (pos < left)
		pos += PAGE_SIZE << buf->blk[nr++].order;
	bio = bio_alloc(bdev, nr, op, GFP_NOIO);
	bio->bi_iter.bi_sector = off >> SECTOR_SHIFT;
	if (slot->css)
		bio_associate_blkg_from_css(bio, slot->css);
	bio->bi_private = slot;
	bio->bi_end_io = copyoff_slot_end_io;
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

static void copyoff_slot_work(struct work_struct *work)
{
	struct copyoff_slot *slot = container_of(work, struct copyoff_slot, work);

	if (!slot->writing && slot->status == BLK_STS_OK) {
		slot->writing = true;
		copyoff_slot_submit(slot, slot->dst, slot->piece.dst_off,
				    REQ_OP_WRITE);
		return;
	}
	slot->writing = false;
	copyoff_job_piece_end(slot, blk_status_to_errno(slot->status));
}

void copyoff_slot_start(struct copyoff_slot *slot, struct block_device *src,
			struct block_device *dst,
			const struct copyoff_piece *piece)
{
	slot->src = src;
	slot->dst = dst;
	slot->piece = *piece;
	slot->writing = false;
	slot->status = BLK_STS_OK;
	copyoff_slot_submit(slot, src, piece->src_off, REQ_OP_READ);
}

void copyoff_slots_free(struct copyoff_slot **slots, unsigned int nslots)
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

/*
 * @nslots slots of @bytes for @job, their bios charged to the I/O cgroup
 * @css (NULL: the submitter's) and their buffers to the memory cgroup
 * @memcg (NULL: the current task's).  NULL if memory is short.
 */
struct copyoff_slot **copyoff_slots_alloc(struct copyoff_job *job,
					  unsigned int nslots, u64 bytes,
					  struct cgroup_subsys_state *css,
					  struct mem_cgroup *memcg)
{
	struct mem_cgroup *old = memcg ? set_active_memcg(memcg) : NULL;
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
		slot->job = job;
		slot->index = i;
		slot->css = css;
		INIT_WORK(&slot->work, copyoff_slot_work);
		slot->buf = buf_get(bytes, memcg);
		if (!slot->buf)
			goto fail;
	}
	goto out;
fail:
	copyoff_slots_free(slots, nslots);
	slots = NULL;
out:
	if (memcg)
		set_active_memcg(old);
	return slots;
}
