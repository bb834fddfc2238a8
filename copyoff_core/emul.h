/* SPDX-License-Identifier: GPL-2.0 */
/*
 * copyoff_core: the emulation's interface (emul.c), as the engine sees it.
 *
 * A copy that is emulated asks for one struct copyoff_emul (its buffer
 * slots, its place in the budget of all copies), then hands it pieces, one
 * per free slot; each piece is read into a buffer and written out, and the
 * engine is told through ->piece_end() when it is done.  Tunables
 * (emul_chunk_kb, emul_slots, max_mem_mb), the buffer pool, the budget and
 * the slots are emul.c's alone.
 */
#ifndef COPYOFF_EMUL_H
#define COPYOFF_EMUL_H

#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>

struct attribute_group;
struct block_device;
struct cgroup_subsys_state;
struct mem_cgroup;
struct workqueue_struct;

/* One piece of a copy: from src_off to dst_off, part of range @range. */
struct copyoff_piece {
	u64 src_off;
	u64 dst_off;
	u64 len;
	u32 range;
	u64 range_off;
};

struct copyoff_emul_ops {
	/* a piece has ended (@status: 0 or -errno); process context */
	void (*piece_end)(void *owner, const struct copyoff_piece *piece,
			  int status);
	/*
	 * A copy that waited for buffer memory may go on: call
	 * copyoff_emul_begin() again.  Any context that gives memory back.
	 */
	void (*wake)(void *owner);
};

struct copyoff_emul;

/*
 * A caller that waits for its copy can do the emulation's work itself: while
 * it drives (on), a slot whose bio ends is put on its ready list and the
 * caller woken, instead of the slot's work item being queued; the caller
 * runs it with copyoff_drive_run().  A small copy then wakes one task per
 * bio, the caller, not the workqueue's worker and then the caller.
 */
struct copyoff_drive {
	spinlock_t lock;		/* irq-safe: bios end anywhere */
	bool on;			/* lock */
	struct list_head ready;		/* lock: slots to run */
	wait_queue_head_t wq;		/* the caller waits here */
};

void copyoff_drive_init(struct copyoff_drive *d, bool on);
/* Is a slot ready to run?  For the caller's wait condition. */
bool copyoff_drive_pending(struct copyoff_drive *d);
/* Run the slots that are ready, in the caller's context (may sleep). */
void copyoff_drive_run(struct copyoff_drive *d);
/*
 * The caller stops driving: what is ready and what ends later goes to the
 * workqueue.  Called before the caller lets go of the memory of @d.
 */
void copyoff_drive_stop(struct copyoff_drive *d);

/*
 * The emulation of one copy from @src to @dst (pieces of a multiple of
 * @align): bios charged to the I/O cgroup @css and buffers to the memory
 * cgroup @memcg (either NULL: the submitter's).  Its slots' work is done by
 * @drive's caller while that drives, else (or @drive NULL) on the
 * workqueue.  NULL if memory is short.
 */
struct copyoff_emul *copyoff_emul_new(const struct copyoff_emul_ops *ops,
				      void *owner, struct block_device *src,
				      struct block_device *dst, u32 align,
				      struct cgroup_subsys_state *css,
				      struct mem_cgroup *memcg,
				      struct copyoff_drive *drive);
/* Slots per copy at most (emul_slots' upper bound). */
#define EMUL_MAX_SLOTS	64U

/*
 * Take the slots for a copy of @pieces pieces (no more slots than that): 1
 * when they are there, 0 when the copy now waits for the budget (->wake()
 * follows), -EALREADY when it was waiting already, -ENOMEM when memory is
 * short.
 */
int copyoff_emul_begin(struct copyoff_emul *e, unsigned int pieces);
/* The size of a piece (the last one of a range may be shorter). */
u64 copyoff_emul_piece_bytes(const struct copyoff_emul *e);
/*
 * Is a slot free?  Slots are taken by copyoff_emul_start() alone, which is
 * never called twice at once for one copy (the engine's pump).
 */
bool copyoff_emul_have_slot(const struct copyoff_emul *e);
/* Read and write @piece (at most piece_bytes) in a free slot. */
void copyoff_emul_start(struct copyoff_emul *e,
			const struct copyoff_piece *piece);
/*
 * No piece is in flight any more: give the slots and the budget back, stop
 * waiting.  True when the copy was still waiting (->wake() will not be
 * called).  ->wake() may be running until the owner is gone: free @e with
 * copyoff_emul_free() after that.
 */
bool copyoff_emul_end(struct copyoff_emul *e);
void copyoff_emul_free(struct copyoff_emul *e);

/* main.c: at load (work items on @wq) and at unload */
void copyoff_emul_init(struct workqueue_struct *wq);
void copyoff_emul_exit(void);
/* /sys/class/misc/copyoff/ mem_pool_bytes, mem_waits, mem_waiting */
extern const struct attribute_group copyoff_emul_group;

#endif
