// SPDX-License-Identifier: GPL-2.0
/*
 * copyoff_core: the emulation, in-kernel reads and writes.
 *
 * A copy that no provider offloads is done through a fixed set of buffer
 * slots (emul_slots of emul_chunk_kb each, allocated when the copy first
 * needs them): each slot reads a piece of the source into its pages and
 * writes it to the destination, and all slots work at once.  Memory per copy
 * is bounded by emul_slots * emul_chunk_kb, whatever the size of the copy.
 *
 * Bio completions only queue the slot's work; the next step is taken in
 * process context, where submitting may sleep.
 */
#define pr_fmt(fmt) "copyoff: " fmt

#include <linux/bio.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include "copyoff_core.h"

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
	u64 left = slot->piece.len;
	unsigned int nr = DIV_ROUND_UP(left, PAGE_SIZE), i;
	struct bio *bio;

	bio = bio_alloc(bdev, nr, op, GFP_NOIO);
	bio->bi_iter.bi_sector = off >> SECTOR_SHIFT;
	bio->bi_private = slot;
	bio->bi_end_io = copyoff_slot_end_io;
	for (i = 0; i < nr; i++) {
		unsigned int n = min_t(u64, left, PAGE_SIZE);

		/* cannot fail: the bio has room for nr pages */
		if (bio_add_page(bio, slot->pages[i], n, 0) != n) {
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

static size_t slot_bytes(unsigned int nr_pages)
{
	return struct_size((struct copyoff_slot *)NULL, pages, nr_pages);
}

void copyoff_slots_free(struct copyoff_slot **slots, unsigned int nslots)
{
	unsigned int i, j;

	for (i = 0; i < nslots; i++) {
		struct copyoff_slot *slot = slots[i];

		if (!slot)
			continue;
		for (j = 0; j < slot->nr_pages; j++) {
			if (slot->pages[j]) {
				__free_page(slot->pages[j]);
				copyoff_mem_add(-(long)PAGE_SIZE);
			}
		}
		copyoff_mem_add(-(long)slot_bytes(slot->nr_pages));
		kfree(slot);
	}
	copyoff_mem_add(-(long)(nslots * sizeof(*slots)));
	kfree(slots);
}

struct copyoff_slot **copyoff_slots_alloc(struct copyoff_job *job,
					  unsigned int nslots, u64 bytes)
{
	unsigned int nr_pages = DIV_ROUND_UP(bytes, PAGE_SIZE), i, j;
	struct copyoff_slot **slots;

	slots = kcalloc(nslots, sizeof(*slots), GFP_KERNEL);
	if (!slots)
		return NULL;
	copyoff_mem_add(nslots * sizeof(*slots));
	for (i = 0; i < nslots; i++) {
		struct copyoff_slot *slot = kzalloc(slot_bytes(nr_pages), GFP_KERNEL);

		if (!slot)
			goto fail;
		copyoff_mem_add(slot_bytes(nr_pages));
		slots[i] = slot;
		slot->job = job;
		slot->index = i;
		slot->nr_pages = nr_pages;
		INIT_WORK(&slot->work, copyoff_slot_work);
		for (j = 0; j < nr_pages; j++) {
			slot->pages[j] = alloc_page(GFP_KERNEL);
			if (!slot->pages[j])
				goto fail;
			copyoff_mem_add(PAGE_SIZE);
		}
	}
	return slots;
fail:
	copyoff_slots_free(slots, nslots);
	return NULL;
}
