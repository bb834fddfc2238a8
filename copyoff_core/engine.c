// SPDX-License-Identifier: GPL-2.0
/*
 * copyoff_core: the asynchronous copy engine.
 *
 * A job walks its ranges with a cursor.  With a provider, the cursor is cut
 * into chunks within the provider's limits (several source segments per
 * chunk where destinations follow each other) and up to offload_qd chunks are
 * at the provider at once.  Without one, or for what a provider hands back,
 * the cursor is cut into pieces that the emulation's buffer slots read and
 * write, several at once (emul.c).
 *
 * Ranges that follow on from the one before them in the caller's order
 * (source and destination both start where the previous range's end) form a
 * run: a run is one I/O, a single source segment of a chunk (up to the
 * provider's max_seg_bytes) or a single emulation piece (up to its buffer),
 * not one per range.  A segment or piece therefore starts at a place in one
 * range and may go on into the ranges after it; what of it fails is charged
 * to every range it covers (lower_err_span()).
 *
 * All decisions are taken by the job's pump, which never runs twice at once
 * (a caller that finds it running asks it to go round once more); it runs
 * from the job's work item, which completions queue after recording their
 * result under the job's lock, and directly where the context allows: in the
 * caller that starts the job and in the emulation's own work items, which
 * saves a hand-over per step.  A completion that finds the pump running
 * leaves its result to it (repump) instead of queueing another pass.  For a
 * caller whose end callback may run anywhere (the ioctl, copy_file_range), a
 * job ends where its last unit is seen done: in the caller's own pump, or in
 * the last chunk's completion when that comes in interrupt context with
 * nothing left to do there (job_ends_here()): no hop to the workqueue before
 * the caller is woken.
 * Each range keeps the lowest offset not known to be copied (err_off):
 * every failed or abandoned unit lowers it, so comp_len is exact whatever
 * the order of completions.
 *
 * References: the job holds one on itself until it has finished, one per
 * queued pump and one for a caller that keeps a handle; a reference on
 * copyoff_core's module while it exists; and one on its provider's module.
 *
 * Prefixes: copyoff_job_, copyoff_chunk_, copyoff_copy (exported or the
 * core's); this file's own after what they act on: job_, chunk_, cursor_.
 */
#define pr_fmt(fmt) "copyoff: " fmt

#include <linux/kref.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/device.h>
#include <linux/ktime.h>
#include <linux/cgroup.h>
#include <linux/memcontrol.h>
#include <linux/moduleparam.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/sysfs.h>
#include "copyoff_core.h"
#include "emul.h"

/* Offloaded chunks in flight per copy; writes are range-checked. */
static unsigned int offload_qd = 8;

static int param_set_qd(const char *val, const struct kernel_param *kp)
{
	return param_set_uint_minmax(val, kp, 1, 256);
}

static const struct kernel_param_ops qd_ops = {
	.set = param_set_qd,
	.get = param_get_uint,
};

module_param_cb(offload_qd, &qd_ops, &offload_qd, 0644);
MODULE_PARM_DESC(offload_qd,
		 "Offloaded commands in flight per copy, 1 to 256 (default: 8)");

static struct workqueue_struct *copyoff_wq;
static struct kmem_cache *job_cache;
static atomic_t jobs_active = ATOMIC_INIT(0);
static atomic64_t ends_inline = ATOMIC64_INIT(0);

/* Ranges whose err_off fit in the job itself (no allocation). */
#define JOB_INLINE_RANGES	4

/*
 * A copy.  Set at the start and constant: src, dst, ranges, nr, flags,
 * jflags, bytes, vstart, vpath, end, priv, prov, lim, dst_dev (put by
 * finish), css, memcg.  Jobs come from a slab cache of their own; err_off
 * is err_inline for a copy of a few ranges, else allocated.  Under lock: everything from offload to emul_pieces, and
 * err_off[].  The pump's own (it never runs twice at once, see pumping): emul,
 * emul_ready, emul_failed, piece_bytes.  Once finished is set and nothing
 * is in flight, copyoff_job_finish() is alone with the job and takes no
 * lock.
 */
struct copyoff_job {
	struct kref ref;
	struct block_device *src;
	struct block_device *dst;
	struct copyoff_range *ranges;
	unsigned int nr;
	unsigned int flags;
	unsigned int jflags;		/* COPYOFF_JOB_* */
	u64 bytes;			/* the sum of the ranges' lengths */
	u64 vstart;			/* the destination's busy clock then (auto.c) */
	unsigned int vpath;		/* ... of the path the job started on */
	u64 *err_off;			/* per range; lock */
	copyoff_end_fn end;
	void *priv;

	struct copyoff_provider *prov;
	struct copyoff_limits lim;
	struct copyoff_dev *dst_dev;

	spinlock_t lock;		/* irq-safe: providers end chunks anywhere */
	bool offload;			/* cut the cursor into provider chunks */
	bool stopping;			/* an error or a cancel: issue nothing more */
	bool finished;
	bool pumping;			/* the pump is running */
	bool repump;			/* ... and is to go round once more */
	int error;
	unsigned int cur_range;		/* cursor: next byte to hand out */
	u64 cur_off;
	unsigned int inflight;		/* chunks at the provider + busy slots */
	unsigned int chunks_inflight;
	struct list_head redo;		/* chunks whose rest is to be emulated */
	u64 offloaded;
	u64 emulated;
	u64 emul_pieces;		/* pieces started (emul_ios) */

	struct copyoff_emul *emul;	/* the emulation, on first use */
	bool emul_ready;		/* ... with its slots */
	bool emul_failed;
	u64 piece_bytes;		/* of an emulation piece */
	struct cgroup_subsys_state *css; /* the caller's I/O cgroup, or NULL */
	struct mem_cgroup *memcg;	/* ... and memory cgroup, or NULL */

	struct work_struct work;
	struct copyoff_drive drive;	/* COPYOFF_JOB_DRIVEN: the caller's */
	bool ended;			/* ... and the end callback has run */
	u64 err_inline[JOB_INLINE_RANGES];
};

/* Where a chunk handed back by its provider is to be resumed. */
struct copyoff_redo {
	unsigned int seg;
	u64 seg_off;
	u64 dst_off;
};

/* Where a segment of a chunk comes from: a range of the job, an offset. */
struct seg_pos {
	u32 range;
	u64 range_off;
};

/*
 * A chunk as the engine keeps it: the part providers see (chunk, last, as
 * its segments follow it), the job it belongs to, its place on the job's
 * redo list (job->lock) and, once handed back, where to resume.  pos[] has
 * one entry per segment; it is allocated with the chunk, after its
 * job->lim.max_segs segments.
 */
struct job_chunk {
	struct copyoff_job *job;
	struct list_head node;
	struct copyoff_redo redo;
	struct seg_pos *pos;
	struct copyoff_chunk chunk;
};

static inline struct job_chunk *to_job_chunk(struct copyoff_chunk *chunk)
{
	return container_of(chunk, struct job_chunk, chunk);
}

static size_t chunk_bytes(struct copyoff_job *job)
{
	return struct_size((struct job_chunk *)NULL, chunk.segs,
			   job->lim.max_segs) +
	       job->lim.max_segs * sizeof(struct seg_pos);
}

static struct job_chunk *chunk_alloc(struct copyoff_job *job)
{
	struct job_chunk *jc = kmalloc(chunk_bytes(job), GFP_NOIO);

	if (jc) {
		jc->job = job;
		jc->pos = (struct seg_pos *)&jc->chunk.segs[job->lim.max_segs];
		jc->chunk.emulated = 0;
		copyoff_mem_add(chunk_bytes(job));
	}
	return jc;
}

static void chunk_free(struct copyoff_job *job, struct job_chunk *jc)
{
	copyoff_mem_add(-(long)chunk_bytes(job));
	kfree(jc);
}

static void job_free(struct copyoff_job *job)
{
	if (job->err_off != job->err_inline)
		kvfree(job->err_off);
	kmem_cache_free(job_cache, job);
}

static void copyoff_job_release(struct kref *ref)
{
	struct copyoff_job *job = container_of(ref, struct copyoff_job, ref);

	copyoff_emul_free(job->emul);
	if (job->css)
		css_put(job->css);
	mem_cgroup_put(job->memcg);
	job_free(job);
	copyoff_mem_add(-(long)sizeof(*job));
	atomic_dec(&jobs_active);
	module_put(THIS_MODULE);
}

void copyoff_job_put(struct copyoff_job *job)
{
	kref_put(&job->ref, copyoff_job_release);
}

/*
 * Queue the pump with a reference the caller took (under the job's lock
 * where the job could otherwise finish meanwhile): the queued work owns it,
 * or it is dropped when the pump was already queued.
 */
static void copyoff_job_queue(struct copyoff_job *job)
{
	if (!queue_work(copyoff_wq, &job->work))
		copyoff_job_put(job);
}

static void copyoff_job_kick(struct copyoff_job *job)
{
	kref_get(&job->ref);
	copyoff_job_queue(job);
}

static void note_error(struct copyoff_job *job, int error)
{
	lockdep_assert_held(&job->lock);
	if (!job->error)
		job->error = error;
	job->stopping = true;
}

/* Under job->lock, or from copyoff_job_finish(), alone with the job. */
static void lower_err_off(struct copyoff_job *job, u32 range, u64 off)
{
	if (off < job->err_off[range])
		job->err_off[range] = off;
}

/* Does range @i start where range @i - 1 ends, on both devices? */
static bool range_follows(const struct copyoff_job *job, unsigned int i)
{
	const struct copyoff_range *r, *p;

	if (!i || i >= job->nr)
		return false;
	r = &job->ranges[i];
	p = r - 1;
	return r->src_off == p->src_off + p->len &&
	       r->dst_off == p->dst_off + p->len;
}

/*
 * @len bytes from @off of range @range are not known copied, where @off may
 * lie beyond that range and the bytes go on into the ranges after it (a
 * segment or piece of a run): lower the err_off of every range they cover.
 */
static void lower_err_span(struct copyoff_job *job, u32 range, u64 off,
			   u64 len)
{
	while (len && range < job->nr) {
		u64 rlen = job->ranges[range].len;

		if (off < rlen) {
			lower_err_off(job, range, off);
			len -= min(len, rlen - off);
			off = 0;
		} else {
			off -= rlen;
		}
		range++;
	}
}

/*
 * Segments of @chunk from byte @done on are not known copied: lower the
 * err_off of their ranges.
 */
static void chunk_mark_undone(struct copyoff_job *job, struct job_chunk *jc,
			      u64 done)
{
	unsigned int i;
	u64 pos = 0;

	lockdep_assert_held(&job->lock);
	for (i = 0; i < jc->chunk.nr_segs; i++) {
		u64 len = jc->chunk.segs[i].len;

		if (pos + len > done) {
			u64 skip = done > pos ? done - pos : 0;

			lower_err_span(job, jc->pos[i].range,
				       jc->pos[i].range_off + skip, len - skip);
		}
		pos += len;
	}
}

static void copyoff_job_finish(struct copyoff_job *job, bool here);
static bool cursor_done(struct copyoff_job *job);

/*
 * The provider cannot do @jc from byte @done on: the rest of this copy is
 * emulated, starting with what of @jc is left (the redo list).
 */
static void chunk_hand_back(struct copyoff_job *job, struct job_chunk *jc,
			    u64 done)
{
	struct copyoff_chunk *chunk = &jc->chunk;
	struct copyoff_redo *redo = &jc->redo;
	unsigned int i;
	u64 pos = 0;

	lockdep_assert_held(&job->lock);
	job->offload = false;
	for (i = 0; i < chunk->nr_segs; i++) {
		if (pos + chunk->segs[i].len > done)
			break;
		pos += chunk->segs[i].len;
	}
	redo->seg = i;
	redo->seg_off = done - pos;
	redo->dst_off = chunk->dst_off + done;
	list_add_tail(&jc->node, &job->redo);
}

/*
 * May the job end right here, in the completion of its last chunk, instead
 * of on the workqueue?  Only in interrupt context, where the provider's code
 * that called copyoff_chunk_end() cannot be unloaded under it once the job
 * drops its module reference, and only when finishing needs nothing that
 * sleeps: no emulation, no page of the destination's disk cached (the look
 * the page-cache step after the copy would take), and a caller whose end
 * callback may run there (COPYOFF_JOB_END_ANY).
 */
static bool job_ends_here(struct copyoff_job *job)
{
	lockdep_assert_held(&job->lock);
	return (job->jflags & COPYOFF_JOB_END_ANY) && in_interrupt() &&
	       !job->inflight && !job->pumping && !job->stopping &&
	       !job->finished && !job->emul && cursor_done(job) &&
	       list_empty(&job->redo) &&
	       ((job->flags & COPYOFF_KF_NO_CACHE) ||
		copyoff_cache_none(job->dst));
}

void copyoff_chunk_end(struct copyoff_chunk *chunk, int status, u64 done)
{
	struct job_chunk *jc = to_job_chunk(chunk);
	struct copyoff_job *job = jc->job;
	bool keep = false;
	unsigned long flags;

	/* a provider that claims more than the chunk breaks the contract */
	if (WARN_ON_ONCE(done > chunk->len) || status == 0)
		done = chunk->len;

	spin_lock_irqsave(&job->lock, flags);
	job->offloaded += done - min(chunk->emulated, done);
	if (status == -EOPNOTSUPP && !(job->flags & COPYOFF_F_NO_EMULATION) &&
	    !job->stopping && done < chunk->len) {
		chunk_hand_back(job, jc, done);
		keep = true;
	} else if (status) {
		chunk_mark_undone(job, jc, done);
		note_error(job, status);
	}
	job->chunks_inflight--;
	job->inflight--;
	if (job->pumping) {
		/* the pump goes round once more and sees this */
		job->repump = true;
		if (!keep)
			chunk_free(job, jc);
		spin_unlock_irqrestore(&job->lock, flags);
		return;
	}
	if (!keep && job_ends_here(job)) {
		job->finished = true;
		spin_unlock_irqrestore(&job->lock, flags);
		chunk_free(job, jc);
		atomic64_inc(&ends_inline);
		copyoff_job_finish(job, true);
		return;
	}
	kref_get(&job->ref);
	spin_unlock_irqrestore(&job->lock, flags);

	if (!keep)
		chunk_free(job, jc);
	copyoff_job_queue(job);
}
EXPORT_SYMBOL_GPL(copyoff_chunk_end);

static void copyoff_job_pump(struct copyoff_job *job, bool may_finish);

/* emul.c: a piece has ended, in the slot's work item */
static void job_piece_end(void *owner, const struct copyoff_piece *piece,
			  int status)
{
	struct copyoff_job *job = owner;
	unsigned long flags;

	spin_lock_irqsave(&job->lock, flags);
	if (status) {
		lower_err_span(job, piece->range, piece->range_off, piece->len);
		note_error(job, status);
	} else {
		job->emulated += piece->len;
	}
	job->inflight--;
	kref_get(&job->ref);
	spin_unlock_irqrestore(&job->lock, flags);
	/* the slot's work item, process context: pump here */
	copyoff_job_pump(job, true);
	copyoff_job_put(job);
}

/* emul.c: memory was granted to a waiting job; pump with the waiter's ref */
static void job_emul_wake(void *owner)
{
	copyoff_job_queue(owner);
}

static const struct copyoff_emul_ops job_emul_ops = {
	.piece_end	= job_piece_end,
	.wake		= job_emul_wake,
};

/*
 * The emulation pieces of the job's ranges, runs counted as one, or @cap if
 * there are more.
 */
static unsigned int job_pieces(const struct copyoff_job *job, unsigned int cap)
{
	u64 limit = (u64)cap * job->piece_bytes, run = 0, pieces = 0;
	unsigned int i;

	for (i = 0; i < job->nr && pieces < cap; i++) {
		run += job->ranges[i].len;
		if (run < limit && range_follows(job, i + 1))
			continue;
		pieces += div64_u64(run + job->piece_bytes - 1,
				    job->piece_bytes);
		run = 0;
	}
	return min_t(u64, pieces, cap);
}

/*
 * Set up the emulation (emul.c decides how many slots).  The job waits
 * when the budget of all copies is taken (job_emul_wake() pumps it again)
 * and fails when memory is short.
 */
static void job_emul_begin(struct copyoff_job *job)
{
	int ret;

	if (!job->emul) {
		job->emul = copyoff_emul_new(&job_emul_ops, job, job->src,
					     job->dst, job->lim.align,
					     job->css, job->memcg,
					     job->jflags & COPYOFF_JOB_DRIVEN ?
					     &job->drive : NULL);
		if (!job->emul) {
			job->emul_failed = true;
			return;
		}
		job->piece_bytes = copyoff_emul_piece_bytes(job->emul);
	}
	kref_get(&job->ref);		/* the waiter's, if the job waits */
	ret = copyoff_emul_begin(job->emul, job_pieces(job, EMUL_MAX_SLOTS));
	if (ret)
		copyoff_job_put(job);	/* not the last: the pump holds one */
	if (ret == -ENOMEM)
		job->emul_failed = true;
	else if (ret > 0)
		job->emul_ready = true;
}

/*
 * Is an emulation slot free?  Sets the emulation up on first use, dropping
 * the lock (only the pump does, and it never runs twice at once).
 */
static bool job_have_slot(struct copyoff_job *job)
{
	lockdep_assert_held(&job->lock);
	if (!job->emul_ready && !job->emul_failed) {
		spin_unlock_irq(&job->lock);
		job_emul_begin(job);
		spin_lock_irq(&job->lock);
		if (job->emul_failed) {
			note_error(job, -ENOMEM);
			return false;
		}
	}
	return job->emul_ready && copyoff_emul_have_slot(job->emul);
}

static bool cursor_done(struct copyoff_job *job)
{
	return job->cur_range >= job->nr;
}

static void cursor_advance(struct copyoff_job *job, u64 n)
{
	lockdep_assert_held(&job->lock);
	job->cur_off += n;
	if (job->cur_off == job->ranges[job->cur_range].len) {
		job->cur_range++;
		job->cur_off = 0;
	}
}

/* The next emulation piece: from what a provider handed back, else the cursor. */
static bool next_piece(struct copyoff_job *job, struct copyoff_piece *p)
{
	lockdep_assert_held(&job->lock);
	if (!list_empty(&job->redo)) {
		struct job_chunk *jc =
			list_first_entry(&job->redo, struct job_chunk, node);
		struct copyoff_redo *redo = &jc->redo;
		struct copyoff_seg *s = &jc->chunk.segs[redo->seg];
		struct seg_pos *sp = &jc->pos[redo->seg];
		u64 n = min(s->len - redo->seg_off, job->piece_bytes);

		p->src_off = s->src_off + redo->seg_off;
		p->dst_off = redo->dst_off;
		p->len = n;
		p->range = sp->range;
		p->range_off = sp->range_off + redo->seg_off;
		redo->seg_off += n;
		redo->dst_off += n;
		if (redo->seg_off == s->len) {
			redo->seg++;
			redo->seg_off = 0;
		}
		if (redo->seg == jc->chunk.nr_segs) {
			list_del(&jc->node);
			chunk_free(job, jc);
		}
		return true;
	}
	if (cursor_done(job))
		return false;
	{
		struct copyoff_range *r = &job->ranges[job->cur_range];
		u64 n = min(r->len - job->cur_off, job->piece_bytes);

		p->src_off = r->src_off + job->cur_off;
		p->dst_off = r->dst_off + job->cur_off;
		p->range = job->cur_range;
		p->range_off = job->cur_off;
		cursor_advance(job, n);
		/* the ranges of the run that follow, while the buffer holds */
		while (n < job->piece_bytes && !job->cur_off &&
		       range_follows(job, job->cur_range)) {
			u64 m = min(job->ranges[job->cur_range].len,
				    job->piece_bytes - n);

			cursor_advance(job, m);
			n += m;
		}
		p->len = n;
	}
	return true;
}

/*
 * Cut the next chunk from the cursor: source segments whose destinations
 * follow each other, within the provider's limits.
 */
static void fill_chunk(struct copyoff_job *job, struct job_chunk *jc)
{
	const struct copyoff_limits *lim = &job->lim;
	struct copyoff_chunk *chunk = &jc->chunk;

	lockdep_assert_held(&job->lock);
	chunk->src = job->src;
	chunk->dst = job->dst;
	chunk->flags = job->flags & COPYOFF_CHUNK_FLAGS;
	chunk->dst_off = job->ranges[job->cur_range].dst_off + job->cur_off;
	chunk->len = 0;
	chunk->nr_segs = 0;
	while (!cursor_done(job) && chunk->nr_segs < lim->max_segs &&
	       chunk->len < lim->max_bytes) {
		struct copyoff_range *r = &job->ranges[job->cur_range];
		struct copyoff_seg *s = &chunk->segs[chunk->nr_segs];
		u64 n;

		if (chunk->nr_segs &&
		    r->dst_off + job->cur_off != chunk->dst_off + chunk->len)
			break;
		/* a range that follows on from the segment before: extend it */
		if (chunk->nr_segs && !job->cur_off &&
		    s[-1].len < lim->max_seg_bytes &&
		    range_follows(job, job->cur_range)) {
			n = min3(r->len, lim->max_seg_bytes - s[-1].len,
				 lim->max_bytes - chunk->len);
			s[-1].len += n;
			chunk->len += n;
			cursor_advance(job, n);
			continue;
		}
		n = min3(r->len - job->cur_off, lim->max_seg_bytes,
			 lim->max_bytes - chunk->len);
		s->src_off = r->src_off + job->cur_off;
		s->len = n;
		jc->pos[chunk->nr_segs].range = job->cur_range;
		jc->pos[chunk->nr_segs].range_off = job->cur_off;
		chunk->nr_segs++;
		chunk->len += n;
		cursor_advance(job, n);
	}
}


/*
 * The pump's emulation step, under job->lock (dropped and taken again):
 * the next piece to a free slot.  False when there is none, or no slot.
 */
static bool pump_piece(struct copyoff_job *job)
{
	struct copyoff_piece piece;

	lockdep_assert_held(&job->lock);
	if (!job_have_slot(job) || job->stopping)
		return false;
	if (!next_piece(job, &piece))
		return false;
	job->inflight++;
	job->emul_pieces++;
	spin_unlock_irq(&job->lock);
	copyoff_emul_start(job->emul, &piece);
	spin_lock_irq(&job->lock);
	return true;
}

/*
 * Hand out work, or finish the job: where @may_finish (copyoff's workqueue),
 * or in the caller that starts the job when its end callback may run
 * anywhere (COPYOFF_JOB_END_ANY); else the end callback is called from the
 * workqueue, never from the caller that starts the job.  The caller holds a
 * reference.
 */
static void copyoff_job_pump(struct copyoff_job *job, bool may_finish)
{
	struct job_chunk *jc;

	spin_lock_irq(&job->lock);
	if (job->pumping) {
		job->repump = true;
		spin_unlock_irq(&job->lock);
		return;
	}
	job->pumping = true;
again:
	job->repump = false;
	while (!job->stopping && !job->finished) {
		if (!list_empty(&job->redo) ||
		    (!job->offload && !cursor_done(job))) {
			if (!pump_piece(job))
				break;
			continue;
		}
		if (cursor_done(job) ||
		    job->chunks_inflight >= READ_ONCE(offload_qd))
			break;

		spin_unlock_irq(&job->lock);
		jc = chunk_alloc(job);
		spin_lock_irq(&job->lock);
		if (!jc) {
			note_error(job, -ENOMEM);
			break;
		}
		if (job->stopping || !job->offload || cursor_done(job)) {
			/* things changed while the lock was dropped */
			chunk_free(job, jc);
			continue;
		}
		fill_chunk(job, jc);
		job->inflight++;
		job->chunks_inflight++;
		spin_unlock_irq(&job->lock);
		job->prov->ops->submit(job->prov, &jc->chunk);
		spin_lock_irq(&job->lock);
	}
	if (job->repump)
		goto again;
	job->pumping = false;
	if (!job->finished && !job->inflight &&
	    (job->stopping || (cursor_done(job) && list_empty(&job->redo)))) {
		if (!may_finish && !(job->jflags & COPYOFF_JOB_END_ANY)) {
			kref_get(&job->ref);
			spin_unlock_irq(&job->lock);
			copyoff_job_queue(job);
			return;
		}
		job->finished = true;
		spin_unlock_irq(&job->lock);
		if (!may_finish)
			atomic64_inc(&ends_inline);
		copyoff_job_finish(job, false);
	} else {
		spin_unlock_irq(&job->lock);
	}
}

static void copyoff_job_work(struct work_struct *work)
{
	struct copyoff_job *job = container_of(work, struct copyoff_job, work);

	copyoff_job_pump(job, true);
	copyoff_job_put(job);	/* the queued work's reference */
}

/*
 * The destination's counters and, for a copy that ended well, auto's figure
 * of the path it took (busy time on the path's clock).
 */
static void job_account(struct copyoff_job *job, u64 copied, u64 offloaded)
{
	struct copyoff_dev *d = job->dst_dev;
	u64 now, vend;

	if (!d || (job->flags & COPYOFF_KF_NO_STATS))
		return;
	now = ktime_get_ns();
	vend = copyoff_auto_end(&d->autosel, job->vpath, now);
	atomic64_add(offloaded, &d->bytes_offloaded);
	atomic64_add(copied - offloaded, &d->bytes_emulated);
	atomic64_add(job->emul_pieces, &d->emul_ios);
	atomic64_inc(&d->copies);
	if (job->error)
		atomic64_inc(&d->errors);
	else
		copyoff_auto_sample_busy(&d->autosel,
					 offloaded * 2 >= copied ?
					 COPYOFF_PATH_OFFLOAD : COPYOFF_PATH_EMUL,
					 copied, vend - job->vstart, now);
}

/*
 * Every unit has ended: write comp_len, tidy up and tell the caller.  From
 * the workqueue, or, @here, from the last chunk's completion where
 * job_ends_here() allowed it (it has looked at the page cache already).
 */
static void copyoff_job_finish(struct copyoff_job *job, bool here)
{
	struct job_chunk *jc, *tmp;
	u64 copied = 0, offloaded;
	unsigned int i;
	int ret;

	/* What was never handed out is not copied. */
	if (!cursor_done(job)) {
		lower_err_off(job, job->cur_range, job->cur_off);
		for (i = job->cur_range + 1; i < job->nr; i++)
			lower_err_off(job, i, 0);
	}
	list_for_each_entry_safe(jc, tmp, &job->redo, node) {
		struct copyoff_redo *redo = &jc->redo;

		for (i = redo->seg; i < jc->chunk.nr_segs; i++) {
			u64 skip = i == redo->seg ? redo->seg_off : 0;

			lower_err_span(job, jc->pos[i].range,
				       jc->pos[i].range_off + skip,
				       jc->chunk.segs[i].len - skip);
		}
		list_del(&jc->node);
		chunk_free(job, jc);
	}
	for (i = 0; i < job->nr; i++) {
		job->ranges[i].comp_len = job->err_off[i];
		copied += job->err_off[i];
	}
	offloaded = min(job->offloaded, copied);

	ret = job->flags & COPYOFF_KF_NO_CACHE || here ? 0 :
	      copyoff_cache_after(job->dst, job->ranges, job->nr);
	if (ret && !job->error)
		job->error = ret;	/* copied, but a cached page may be old */
	if (job->emul && copyoff_emul_end(job->emul))
		copyoff_job_put(job);	/* the waiter's; the job's own is held */
	job->emul_ready = false;

	job_account(job, copied, offloaded);
	copyoff_dev_put(job->dst_dev);
	job->dst_dev = NULL;
	copyoff_put_provider(job->prov);
	job->prov = NULL;

	job->end(job->priv, job->error, copied, offloaded);
	if (job->jflags & COPYOFF_JOB_DRIVEN) {
		/* the caller holds its handle while it waits; what @end set
		 * is seen by the caller once it sees this */
		smp_store_release(&job->ended, true);
		wake_up(&job->drive.wq);
	}
	copyoff_job_put(job);	/* the job's own reference */
}

/*
 * The emulation's bios are charged to the I/O cgroup of the process that
 * starts the copy (its io.max and io.weight apply, whichever work item
 * submits them) and its buffers to that process's memory cgroup.  A copy
 * started by a kernel thread (nvmet) is charged as the stock I/O of that
 * thread would be.
 */
static void job_charge_caller(struct copyoff_job *job)
{
	if (current->flags & PF_KTHREAD)
		return;
#ifdef CONFIG_BLK_CGROUP
	job->css = task_get_css(current, io_cgrp_id);
#endif
	if (current->mm)
		job->memcg = get_mem_cgroup_from_mm(current->mm);
}

/*
 * A job for the @nr ranges at @ranges, their comp_len zeroed, nothing else
 * set up yet; NULL without memory.
 */
static struct copyoff_job *job_alloc(struct copyoff_range *ranges,
				     unsigned int nr)
{
	struct copyoff_job *job;
	unsigned int i;

	job = kmem_cache_zalloc(job_cache, GFP_KERNEL);	/* SLAB_ACCOUNT */
	if (!job)
		return NULL;
	if (nr <= JOB_INLINE_RANGES)
		job->err_off = job->err_inline;
	else
		job->err_off = kvmalloc_array(nr, sizeof(*job->err_off),
					      GFP_KERNEL_ACCOUNT);
	if (!job->err_off) {
		kmem_cache_free(job_cache, job);
		return NULL;
	}
	kref_init(&job->ref);
	spin_lock_init(&job->lock);
	INIT_LIST_HEAD(&job->redo);
	INIT_WORK(&job->work, copyoff_job_work);
	job->ranges = ranges;
	job->nr = nr;
	for (i = 0; i < nr; i++) {
		job->err_off[i] = ranges[i].len;
		ranges[i].comp_len = 0;
		job->bytes += ranges[i].len;	/* validated: no overflow */
	}
	return job;
}

static void job_free_unstarted(struct copyoff_job *job)
{
	copyoff_put_provider(job->prov);
	copyoff_dev_put(job->dst_dev);
	job_free(job);
}

/*
 * Offload (job->prov held, job->lim) or emulation: the policy's answer, or
 * emulation where the caller asked for it.  -EOPNOTSUPP when offload is
 * not possible and emulation refused.
 */
static int job_choose_path(struct copyoff_job *job)
{
	unsigned int flags = job->flags;

	if (!(flags & COPYOFF_F_EMULATE)) {
		struct copyoff_path path;

		/* copy_offload=auto may choose emulation, unless that is refused */
		copyoff_path_find(job->src, job->dst, 0,
				  flags & COPYOFF_F_NO_EMULATION ? 0 : job->bytes,
				  0, &path);
		if (path.offload) {
			job->prov = path.prov;	/* the job holds it now */
			job->lim = path.lim;
		} else {
			copyoff_path_put(&path);
		}
	}
	if (!job->prov) {
		if (flags & COPYOFF_F_NO_EMULATION)
			return -EOPNOTSUPP;
		job->lim.align = max(bdev_logical_block_size(job->src),
				     bdev_logical_block_size(job->dst));
	}
	job->offload = job->prov != NULL;
	return 0;
}

struct copyoff_job *copyoff_job_start(struct block_device *src,
				      struct block_device *dst,
				      struct copyoff_range *ranges,
				      unsigned int nr, unsigned int flags,
				      unsigned int jflags,
				      copyoff_end_fn end, void *priv)
{
	struct copyoff_job *job;
	int ret;

	if (!(jflags & COPYOFF_JOB_VALIDATED)) {
		ret = copyoff_validate(src, dst, ranges, nr, flags);
		if (ret)
			return ERR_PTR(ret);
	}
	if (flags & COPYOFF_F_VALIDATE_ONLY) {
		struct copyoff_limits lim;

		if ((flags & COPYOFF_F_NO_EMULATION) &&
		    copyoff_query(src, dst, &lim, 0, NULL, 0))
			return ERR_PTR(-EOPNOTSUPP);
		return NULL;
	}

	job = job_alloc(ranges, nr);
	if (!job)
		return ERR_PTR(-ENOMEM);
	job->src = src;
	job->dst = dst;
	job->flags = flags;
	job->jflags = jflags;
	job->end = end;
	job->priv = priv;
	job->dst_dev = copyoff_dev_get(dst);
	copyoff_drive_init(&job->drive, jflags & COPYOFF_JOB_DRIVEN);
	ret = job_choose_path(job);
	if (!ret && !(flags & COPYOFF_KF_NO_CACHE))
		ret = copyoff_cache_before(src, dst, ranges, nr);
	if (ret) {
		job_free_unstarted(job);
		return ERR_PTR(ret);
	}

	job_charge_caller(job);
	/*
	 * Counted on the busy clock of the path it starts on until finish
	 * (the same condition there); a job whose offload falls back to
	 * emulation is charged on the offload clock
	 */
	job->vpath = job->offload ? COPYOFF_PATH_OFFLOAD : COPYOFF_PATH_EMUL;
	if (job->dst_dev && !(flags & COPYOFF_KF_NO_STATS))
		job->vstart = copyoff_auto_begin(&job->dst_dev->autosel,
						 job->vpath, ktime_get_ns());
	__module_get(THIS_MODULE);
	atomic_inc(&jobs_active);
	copyoff_mem_add(sizeof(*job));
	kref_get(&job->ref);		/* the caller's handle */
	copyoff_job_pump(job, false);	/* the caller's context may sleep */
	return job;
}

/*
 * The caller of a job started with COPYOFF_JOB_DRIVEN waits here, running
 * the emulation's slots as their bios end, killably: 0 once the end callback
 * has run; -EINTR on a fatal signal, and then what is left of the job goes
 * on in the workqueue (cancelling it is the caller's choice).  Called once,
 * with the caller's handle held.
 */
int copyoff_job_wait(struct copyoff_job *job)
{
	struct copyoff_drive *d = &job->drive;
	int ret = 0;

	for (;;) {
		copyoff_drive_run(d);
		if (smp_load_acquire(&job->ended))
			break;
		if (wait_event_killable(d->wq, copyoff_drive_pending(d) ||
					smp_load_acquire(&job->ended))) {
			ret = -EINTR;
			break;
		}
	}
	copyoff_drive_stop(d);
	return ret;
}

/* Stop handing out work; what is in flight ends first.  -EINTR unless an
 * error came before.
 */
void copyoff_job_cancel(struct copyoff_job *job)
{
	spin_lock_irq(&job->lock);
	if (!job->finished)
		note_error(job, -EINTR);
	spin_unlock_irq(&job->lock);
	copyoff_job_kick(job);
}

int copyoff_copy_async(struct block_device *src, struct block_device *dst,
		       struct copyoff_range *ranges, unsigned int nr_ranges,
		       unsigned int flags, copyoff_end_fn end, void *priv)
{
	struct copyoff_job *job;

	if (!end)
		return -EINVAL;
	job = copyoff_job_start(src, dst, ranges, nr_ranges, flags, 0, end,
				priv);
	if (IS_ERR_OR_NULL(job))
		return PTR_ERR_OR_ZERO(job);	/* NULL: validated only */
	copyoff_job_put(job);
	return 0;
}
EXPORT_SYMBOL_GPL(copyoff_copy_async);

struct copyoff_sync {
	struct completion done;
	int error;
	u64 copied;
	u64 offloaded;
};

static void copyoff_sync_end(void *priv, int error, u64 copied, u64 offloaded)
{
	struct copyoff_sync *s = priv;

	s->error = error;
	s->copied = copied;
	s->offloaded = offloaded;
	complete(&s->done);
}

int copyoff_copy(struct block_device *src, struct block_device *dst,
		 struct copyoff_range *ranges, unsigned int nr_ranges,
		 unsigned int flags, u64 *copied, u64 *offloaded)
{
	struct copyoff_sync s = { .error = 0 };
	int ret;

	init_completion(&s.done);
	ret = copyoff_copy_async(src, dst, ranges, nr_ranges, flags,
				 copyoff_sync_end, &s);
	if (ret || (flags & COPYOFF_F_VALIDATE_ONLY))
		return ret;
	wait_for_completion(&s.done);
	if (copied)
		*copied = s.copied;
	if (offloaded)
		*offloaded = s.offloaded;
	return s.error;
}
EXPORT_SYMBOL_GPL(copyoff_copy);

static ssize_t jobs_active_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", atomic_read(&jobs_active));
}
static DEVICE_ATTR_RO(jobs_active);

static ssize_t ends_inline_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%lld\n", (long long)atomic64_read(&ends_inline));
}
static DEVICE_ATTR_RO(ends_inline);

static struct attribute *copyoff_engine_attrs[] = {
	&dev_attr_jobs_active.attr,
	&dev_attr_ends_inline.attr,
	NULL,
};

const struct attribute_group copyoff_engine_group = {
	.attrs = copyoff_engine_attrs,
};

/*
 * Per-CPU and high priority: a completion's next step runs on the CPU that
 * took the completion, right after it, instead of waking a worker elsewhere;
 * every work item is short (it issues I/O and returns).
 */
struct workqueue_struct *copyoff_engine_init(void)
{
	job_cache = KMEM_CACHE(copyoff_job, SLAB_ACCOUNT);
	if (!job_cache)
		return NULL;
	copyoff_wq = alloc_workqueue("copyoff", WQ_MEM_RECLAIM | WQ_HIGHPRI, 0);
	if (!copyoff_wq)
		kmem_cache_destroy(job_cache);
	return copyoff_wq;
}

/*
 * Every copy holds a reference on this module until its last work item, so
 * this runs with none left; destroy_workqueue() waits for the tail of that
 * last work item.
 */
void copyoff_engine_exit(void)
{
	destroy_workqueue(copyoff_wq);
	kmem_cache_destroy(job_cache);
}
