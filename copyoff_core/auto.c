// SPDX-License-Identifier: GPL-2.0
/*
 * copyoff_core: copy_offload=auto, the choice between offload and emulation
 * by measured throughput.
 *
 * Every copy that ends without error teaches its destination device how fast
 * the path it took was, per path (offload, emulation) and per size class of
 * the copy (a 8 KiB copy and a 32 MiB one do not cost the same per byte, and
 * the faster path need not be the same).  Forced copies (copy_offload=1,
 * COPYOFF_F_EMULATE) teach it too, so a device that was used either way
 * already knows both.
 *
 * With copy_offload=auto a copy takes the path that was faster for copies of
 * its class on that device.  Offload is tried first, emulation as soon as
 * offload has a figure.  Now and then the slower path is tried again
 * (re-probing), within a time budget: a probe costs about the copy's size
 * over the slower path's rate, and the next one comes no sooner than 32 times
 * that after the last (at most 60 s), so probing takes at most about 1/32 of
 * the time even when the slower path is far slower.  A figure of the slower
 * path that other copies brought (forced ones) counts as a probe, also one
 * it had before the other path's first figure made it the slower (forced
 * emulation, then forced offload: no probe is due).  Each probe that
 * confirms the choice doubles the factor (up to 1024); one that changes it
 * brings it back to 32.  One probe per class is in flight at a time, so
 * concurrent copies do not all take the slow path at once.
 *
 * A figure is bytes completed per unit of busy time, over a time window.
 *
 * Busy time: copies that run side by side (several jobs, or one job's queue
 * of copies) each take longer than one alone, so a copy's own time from
 * start to end understates its path's throughput by about the number of
 * copies in flight.  So the device has a busy clock: it advances by the real
 * time over the number of copies in flight on the device, of either path
 * (copyoff_auto_begin() and copyoff_auto_end() count them), and a copy is
 * charged the clock's advance between its start and its end.  The charges
 * add up to the time during which the device had anything in flight: one
 * copy alone is charged its whole time, eight in step an eighth each.  Both
 * paths share the clock because they share the device: a probe of
 * emulation among seven offloaded copies is charged an eighth of its time,
 * as they are, and is slower only if it took longer than they did.  (A
 * clock per path would charge the probe its whole time and the others an
 * eighth, and the path that runs wide would always win; the copies of the
 * path left behind after a switch would be charged whole times too.)
 *
 * Window: per path and class, the bytes and the busy time of its copies add
 * up, and the figure is their quotient: one long copy weighs as the time it
 * took, not as one rate among others, and an average of rates (which
 * favours the fast outliers) is never taken.  Both sums halve at every
 * multiple of AUTO_WINDOW (100 ms) of the clock, so the figure is about the
 * path's copies of the last window or two; a path that had no copies for a
 * while keeps its figure (the quotient of halved sums is the same), and its
 * next copy counts as much as all of those before it together once a window
 * has passed, alone once 16 have.  A copy ending on a clock read earlier on
 * another CPU than the last sample's halves nothing.
 *
 * The clock is the callers' (ktime_get_ns() in engine.c): every function
 * here takes the time as an argument, so that tests/kmod/copyoff_autotest
 * can run the policy on a fake clock with figures it chooses.
 *
 * Prefixes: copyoff_auto_ (the core's, copyoff_core.h); auto_ (this file's).
 */
#define pr_fmt(fmt) "copyoff: " fmt

#include <linux/ktime.h>
#include <linux/log2.h>
#include <linux/math64.h>
#include "copyoff_core.h"

#define AUTO_PROBE_MIN		32
#define AUTO_PROBE_MAX		1024
#define AUTO_PROBE_GAP_MAX	(60ULL * NSEC_PER_SEC)
#define AUTO_WINDOW		(100ULL * NSEC_PER_MSEC)

/* Size classes: up to 64 KiB, 1 MiB, 16 MiB, more. */
static unsigned int auto_class(u64 bytes)
{
	unsigned int l = bytes > 1 ? ilog2(bytes - 1) + 1 : 0;

	if (l <= 16)
		return 0;
	return min_t(unsigned int, (l - 17) / 4 + 1, COPYOFF_AUTO_CLASSES - 1);
}

void copyoff_auto_init(struct copyoff_auto *a)
{
	spin_lock_init(&a->lock);
}

/* The device's busy clock up to @now (under the lock). */
static void auto_advance(struct copyoff_auto *a, u64 now)
{
	unsigned int n = a->inflight[0] + a->inflight[1];

	lockdep_assert_held(&a->lock);
	if (now <= a->vlast)
		return;
	if (n)
		a->vclock += div_u64(now - a->vlast, n);
	a->vlast = now;
}

/*
 * A copy by @path starts on the device of @a at @now (ns): counted in
 * flight until its copyoff_auto_end().  Returns the busy clock at its start.
 */
u64 copyoff_auto_begin(struct copyoff_auto *a, unsigned int path, u64 now)
{
	unsigned long flags;
	u64 v;

	spin_lock_irqsave(&a->lock, flags);
	auto_advance(a, now);
	a->inflight[path]++;
	v = a->vclock;
	spin_unlock_irqrestore(&a->lock, flags);
	return v;
}

/*
 * A copy that copyoff_auto_begin() counted for @path ends at @now, however
 * it ended.  Returns the busy clock at its end: the busy time charged to the
 * copy is that minus the clock at its start.
 */
u64 copyoff_auto_end(struct copyoff_auto *a, unsigned int path, u64 now)
{
	unsigned long flags;
	u64 v;

	spin_lock_irqsave(&a->lock, flags);
	auto_advance(a, now);
	if (!WARN_ON_ONCE(!a->inflight[path]))
		a->inflight[path]--;
	v = a->vclock;
	spin_unlock_irqrestore(&a->lock, flags);
	return v;
}

/* Start a probe of @path (under the lock). */
static bool auto_probe(struct copyoff_auto_class *c, unsigned int path, u64 now)
{
	c->probing = true;
	c->probe_path = path;
	c->probe_start = now;
	c->last_probe = now;
	return path == COPYOFF_PATH_OFFLOAD;
}

/*
 * Should a copy of @bytes on the device of @a, starting at @now (ns), be
 * offloaded?  Called only when both paths are possible.
 */
bool copyoff_auto_offload(struct copyoff_auto *a, u64 bytes, u64 now)
{
	unsigned long flags;
	struct copyoff_auto_class *c = &a->class[auto_class(bytes)];
	bool may_probe, ret;
	unsigned int slow;
	u64 gap;

	spin_lock_irqsave(&a->lock, flags);
	if (!c->mult)
		c->mult = AUTO_PROBE_MIN;
	/* a probe that never reported (its copy failed) does not block */
	may_probe = !c->probing || now - c->probe_start > AUTO_PROBE_GAP_MAX;
	if (!c->rate[COPYOFF_PATH_OFFLOAD]) {
		ret = true;
	} else if (!c->rate[COPYOFF_PATH_EMUL]) {
		ret = may_probe ? auto_probe(c, COPYOFF_PATH_EMUL, now) : true;
	} else {
		ret = c->rate[COPYOFF_PATH_OFFLOAD] >= c->rate[COPYOFF_PATH_EMUL];
		slow = ret ? COPYOFF_PATH_EMUL : COPYOFF_PATH_OFFLOAD;
		/*
		 * What a probe costs, times the factor (the quotient of the
		 * multiply-divide must fit 64 bits: only when bytes / rate is
		 * below 60 s)
		 */
		if (div64_u64(bytes, c->rate[slow]) >= 60)
			gap = AUTO_PROBE_GAP_MAX;
		else
			gap = min_t(u64, AUTO_PROBE_GAP_MAX,
				    mul_u64_u64_div_u64(bytes,
							(u64)NSEC_PER_SEC * c->mult,
							c->rate[slow]));
		if (may_probe && now - c->last_probe >= gap)
			ret = auto_probe(c, slow, now);
	}
	spin_unlock_irqrestore(&a->lock, flags);
	return ret;
}

/*
 * A copy of @bytes by @path, charged @busy ns of the device's time, ended at
 * @now (ns): fold it into the device's figures.
 */
void copyoff_auto_sample_busy(struct copyoff_auto *a, unsigned int path,
			      u64 bytes, u64 busy, u64 now)
{
	unsigned long flags;
	struct copyoff_auto_class *c = &a->class[auto_class(bytes)];
	u64 *wb = &c->wbytes[path], *wt = &c->wbusy[path];
	u64 rate, ns;
	unsigned int halve, slow;
	bool before, after;

	if (!bytes)
		return;
	/* no copy is that large or long: the sums' headroom */
	bytes = min_t(u64, bytes, U64_MAX / 8);
	ns = clamp_t(u64, busy, 1, U64_MAX / 8);

	spin_lock_irqsave(&a->lock, flags);
	before = c->rate[COPYOFF_PATH_OFFLOAD] >= c->rate[COPYOFF_PATH_EMUL];
	/*
	 * The window: the sums halve at every multiple of AUTO_WINDOW since
	 * the last sample (16 halvings leave nothing that counts)
	 */
	if (!c->samples[path])
		halve = 16;
	else if (now <= c->stamp[path])
		halve = 0;
	else
		halve = min_t(u64, div64_u64(now, AUTO_WINDOW) -
				   div64_u64(c->stamp[path], AUTO_WINDOW), 16);
	if (halve >= 16) {
		*wb = 0;
		*wt = 0;
	} else {
		*wb >>= halve;
		*wt >>= halve;
	}
	/* sums that would overflow: halved first (their quotient stays) */
	while (*wb > U64_MAX / 4 - bytes || *wt > U64_MAX / 4 - ns) {
		*wb >>= 1;
		*wt >>= 1;
	}
	*wb += bytes;
	*wt += ns;
	/* bytes per second, where the quotient fits 64 bits */
	if (div64_u64(*wb, *wt) >= U64_MAX / NSEC_PER_SEC / 2)
		rate = U64_MAX / 2;
	else
		rate = max_t(u64, mul_u64_u64_div_u64(*wb, NSEC_PER_SEC, *wt), 1);
	c->rate[path] = rate;
	c->stamp[path] = max(c->stamp[path], now);
	c->samples[path]++;
	after = c->rate[COPYOFF_PATH_OFFLOAD] >= c->rate[COPYOFF_PATH_EMUL];
	/*
	 * The slower path's latest figure is its last probe, whichever copy
	 * brought it: a fresh one of this path, or (where this sample made
	 * the other path the slower) the other's, so that forced copies of
	 * both paths leave no probe due
	 */
	slow = after ? COPYOFF_PATH_EMUL : COPYOFF_PATH_OFFLOAD;
	if (c->samples[slow])
		c->last_probe = max(c->last_probe, c->stamp[slow]);
	if (c->probing && c->probe_path == path) {
		c->probing = false;
		if (!c->mult)
			c->mult = AUTO_PROBE_MIN;
		if (before == after)
			c->mult = min_t(unsigned int, c->mult * 2,
					AUTO_PROBE_MAX);
		else
			c->mult = AUTO_PROBE_MIN;
	}
	spin_unlock_irqrestore(&a->lock, flags);
}

/* A copy of @bytes by @path that ran alone from @start to @now (ns). */
void copyoff_auto_sample(struct copyoff_auto *a, unsigned int path, u64 bytes,
			 u64 start, u64 now)
{
	copyoff_auto_sample_busy(a, path, bytes, now - start, now);
}

/* The figures, for the copy_auto sysfs attribute: a line per class. */
ssize_t copyoff_auto_show(struct copyoff_auto *a, char *buf)
{
	unsigned long flags;
	static const char * const names[COPYOFF_AUTO_CLASSES] = {
		"64K", "1M", "16M", "more",
	};
	ssize_t len = 0;
	unsigned int i;

	spin_lock_irqsave(&a->lock, flags);
	for (i = 0; i < COPYOFF_AUTO_CLASSES; i++) {
		struct copyoff_auto_class *c = &a->class[i];

		len += sysfs_emit_at(buf, len,
				     "%s offload_bps=%llu offload_n=%llu emul_bps=%llu emul_n=%llu probe_factor=%u\n",
				     names[i], c->rate[COPYOFF_PATH_OFFLOAD],
				     c->samples[COPYOFF_PATH_OFFLOAD],
				     c->rate[COPYOFF_PATH_EMUL],
				     c->samples[COPYOFF_PATH_EMUL],
				     c->mult ? c->mult : AUTO_PROBE_MIN);
	}
	spin_unlock_irqrestore(&a->lock, flags);
	return len;
}
