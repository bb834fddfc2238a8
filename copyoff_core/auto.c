// SPDX-License-Identifier: GPL-2.0
/*
 * copyoff_core: copy_offload=auto, the choice between offload and emulation
 * by measured throughput.
 *
 * Every copy that ends without error teaches its destination device how fast
 * the path it took was: bytes copied over the time from start to end, as a
 * moving average per path (offload, emulation) and per size class of the
 * copy (a 8 KiB copy and a 32 MiB one do not cost the same per byte, and the
 * faster path need not be the same).  Forced copies (copy_offload=1,
 * COPYOFF_F_EMULATE) teach it too, so a device that was used either way
 * already knows both.
 *
 * With copy_offload=auto a copy takes the path that was faster for copies of
 * its class on that device.  A path with no sample yet is tried first.  Now
 * and then the slower path is tried again (re-probing): after 16 copies on
 * the faster one, a figure that doubles each time the probe confirms the
 * choice (up to 1024 copies) and goes back to 16 when it changes the choice,
 * so the cost of probing a much slower path stays a small fraction of the
 * work while a change (a device that got busy, a cache that filled) is
 * still seen.  A sample older than 10 s is stale and probed again.
 */
#define pr_fmt(fmt) "copyoff: " fmt

#include <linux/ktime.h>
#include <linux/log2.h>
#include <linux/math64.h>
#include "copyoff_core.h"

#define AUTO_PROBE_MIN		16
#define AUTO_PROBE_MAX		1024
#define AUTO_STALE_NS		(10ULL * NSEC_PER_SEC)

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

/*
 * Should a copy of @bytes on the device of @a be offloaded?  Called only when
 * both paths are possible.
 */
bool copyoff_auto_offload(struct copyoff_auto *a, u64 bytes)
{
	struct copyoff_auto_class *c = &a->class[auto_class(bytes)];
	u64 now = ktime_get_ns();
	bool fast, ret;

	spin_lock(&a->lock);
	if (!c->rate[COPYOFF_PATH_OFFLOAD]) {
		ret = true;
	} else if (!c->rate[COPYOFF_PATH_EMUL]) {
		ret = false;
	} else {
		fast = c->rate[COPYOFF_PATH_OFFLOAD] >= c->rate[COPYOFF_PATH_EMUL];
		ret = fast;
		if (!c->interval)
			c->interval = AUTO_PROBE_MIN;
		/* the slower path, now and then, or when its figure is old */
		if (++c->since_probe >= c->interval ||
		    now - c->stamp[!fast] > AUTO_STALE_NS) {
			c->since_probe = 0;
			c->probing = true;
			ret = !fast;
		}
	}
	spin_unlock(&a->lock);
	return ret;
}

/* A copy of @bytes took @ns by @path: fold it into the device's figures. */
void copyoff_auto_sample(struct copyoff_auto *a, unsigned int path, u64 bytes,
			 u64 ns)
{
	struct copyoff_auto_class *c = &a->class[auto_class(bytes)];
	u64 rate, old;
	bool before, after;

	if (!bytes)
		return;
	/* bytes per second; ns is at least 1 */
	rate = mul_u64_u64_div_u64(bytes, NSEC_PER_SEC, max_t(u64, ns, 1));
	rate = max_t(u64, rate, 1);

	spin_lock(&a->lock);
	before = c->rate[COPYOFF_PATH_OFFLOAD] >= c->rate[COPYOFF_PATH_EMUL];
	old = c->rate[path];
	/* a moving average, new samples weighing a quarter */
	c->rate[path] = old ? old - old / 4 + rate / 4 : rate;
	c->stamp[path] = ktime_get_ns();
	c->samples[path]++;
	after = c->rate[COPYOFF_PATH_OFFLOAD] >= c->rate[COPYOFF_PATH_EMUL];
	if (c->probing && c->rate[!path]) {
		c->probing = false;
		if (before == after)
			c->interval = min_t(unsigned int, c->interval * 2,
					    AUTO_PROBE_MAX);
		else
			c->interval = AUTO_PROBE_MIN;
	}
	spin_unlock(&a->lock);
}

/* The figures, for the copy_auto sysfs attribute: a line per class. */
ssize_t copyoff_auto_show(struct copyoff_auto *a, char *buf)
{
	static const char * const names[COPYOFF_AUTO_CLASSES] = {
		"64K", "1M", "16M", "more",
	};
	ssize_t len = 0;
	unsigned int i;

	spin_lock(&a->lock);
	for (i = 0; i < COPYOFF_AUTO_CLASSES; i++) {
		struct copyoff_auto_class *c = &a->class[i];

		len += sysfs_emit_at(buf, len,
				     "%s offload_bps=%llu offload_n=%llu emul_bps=%llu emul_n=%llu probe_every=%u\n",
				     names[i], c->rate[COPYOFF_PATH_OFFLOAD],
				     c->samples[COPYOFF_PATH_OFFLOAD],
				     c->rate[COPYOFF_PATH_EMUL],
				     c->samples[COPYOFF_PATH_EMUL],
				     c->interval ? c->interval : AUTO_PROBE_MIN);
	}
	spin_unlock(&a->lock);
	return len;
}
