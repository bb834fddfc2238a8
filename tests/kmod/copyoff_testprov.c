// SPDX-License-Identifier: GPL-2.0
/*
 * copyoff_testprov: a fake offload provider, for testing copyoff_core's
 * engine without offload hardware.  Not installed by DKMS.
 *
 * It claims copies between the disks named in "devices" and "offloads" each
 * chunk by handing it back to copyoff_core as an emulated copy, so the data
 * really moves.  It checks every chunk against the limits it announced and
 * counts violations, and can inject a "cannot offload" answer or an I/O
 * error halfway through a chosen chunk, so that the engine's fallback and
 * comp_len accounting can be checked from userspace.  It can also be made
 * slow (delay_ms per chunk), and end its chunks from a timer (end_in_irq:
 * softirq context, as a device's completion interrupt would).
 *
 * Prefix: testprov_ (copyoff_testprov).
 */
#define pr_fmt(fmt) "copyoff_testprov: " fmt

#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timer.h>
#include <linux/workqueue.h>
#include <copyoff/copyoff.h>

static char *devices;
module_param(devices, charp, 0644);
MODULE_PARM_DESC(devices, "Comma-separated disk names to claim (default: none)");

static ulong max_bytes = 1 << 20;
module_param(max_bytes, ulong, 0644);
MODULE_PARM_DESC(max_bytes, "Announced bytes per chunk (default: 1 MiB)");

static ulong max_seg_bytes = 256 << 10;
module_param(max_seg_bytes, ulong, 0644);
MODULE_PARM_DESC(max_seg_bytes, "Announced bytes per segment (default: 256 KiB)");

static uint max_segs = 4;
module_param(max_segs, uint, 0644);
MODULE_PARM_DESC(max_segs, "Announced segments per chunk (default: 4)");

static ulong fallback_chunk;
module_param(fallback_chunk, ulong, 0644);
MODULE_PARM_DESC(fallback_chunk, "Answer -EOPNOTSUPP halfway through chunk number N, 1-based (default: 0, never)");

static ulong fail_chunk;
module_param(fail_chunk, ulong, 0644);
MODULE_PARM_DESC(fail_chunk, "Fail chunk number N, 1-based, with -EIO halfway through (default: 0, never)");

static uint delay_ms;
module_param(delay_ms, uint, 0644);
MODULE_PARM_DESC(delay_ms, "Complete each chunk this many ms late (default: 0)");

static bool end_in_irq;
module_param(end_in_irq, bool, 0644);
MODULE_PARM_DESC(end_in_irq, "End each chunk from a timer, in softirq context, a jiffy or more after its copy (default: no)");

static struct workqueue_struct *testprov_wq;

static ulong chunks;
module_param(chunks, ulong, 0644);
MODULE_PARM_DESC(chunks, "Chunks received (write 0 to reset)");

static ulong segs;
module_param(segs, ulong, 0644);
MODULE_PARM_DESC(segs, "Segments received (write 0 to reset)");

static ulong multi_seg_chunks;
module_param(multi_seg_chunks, ulong, 0644);
MODULE_PARM_DESC(multi_seg_chunks, "Chunks with more than one segment (write 0 to reset)");

static ulong violations;
module_param(violations, ulong, 0644);
MODULE_PARM_DESC(violations, "Chunks outside the announced limits (write 0 to reset)");

static DEFINE_SPINLOCK(testprov_lock);

static bool claimed(struct block_device *bdev)
{
	const char *name = bdev->bd_disk->disk_name;
	const char *p = READ_ONCE(devices);
	size_t n = strlen(name);

	while (p && *p) {
		const char *end = strchrnul(p, ',');

		if ((size_t)(end - p) == n && !strncmp(p, name, n))
			return true;
		p = *end ? end + 1 : end;
	}
	return false;
}

static int testprov_query(struct copyoff_provider *prov,
			  struct block_device *src, struct block_device *dst,
			  struct copyoff_limits *lim)
{
	if (!claimed(src) || !claimed(dst))
		return -EOPNOTSUPP;
	lim->max_bytes = READ_ONCE(max_bytes);
	lim->max_seg_bytes = READ_ONCE(max_seg_bytes);
	lim->max_segs = READ_ONCE(max_segs);
	lim->align = max(bdev_logical_block_size(src),
			 bdev_logical_block_size(dst));
	if (lim->flags & COPYOFF_QUERY_DETAIL)
		snprintf(lim->detail, sizeof(lim->detail),
			 "test provider segs=%u", lim->max_segs);
	return 0;
}

struct testprov_ctx {
	struct copyoff_chunk *chunk;
	int inject;		/* 0, -EOPNOTSUPP or -EIO after the first half */
	int error;		/* the chunk's result, for a delayed end */
	u64 done;
	struct delayed_work dwork;
	struct timer_list timer;
	struct work_struct start;
	u64 want;
	unsigned int nr;
	struct copyoff_range ranges[];
};

static void testprov_end(void *priv, int error, u64 copied, u64 offloaded);

static void testprov_start(struct work_struct *work)
{
	struct testprov_ctx *ctx =
		container_of(work, struct testprov_ctx, start);
	struct copyoff_chunk *chunk = ctx->chunk;
	int ret;

	ret = copyoff_copy_async(chunk->src, chunk->dst, ctx->ranges, ctx->nr,
				 COPYOFF_F_EMULATE | COPYOFF_KF_NO_STATS,
				 testprov_end, ctx);
	if (ret) {
		pr_err("inner copy refused: %d\n", ret);
		copyoff_chunk_end(chunk, ret, 0);
		kfree(ctx);
	}
}

static void testprov_end(void *priv, int error, u64 copied, u64 offloaded)
{
	struct testprov_ctx *ctx = priv;
	u64 done = 0;
	unsigned int i;

	/* leading bytes done, in segment order */
	for (i = 0; i < ctx->nr; i++) {
		done += ctx->ranges[i].comp_len;
		if (ctx->ranges[i].comp_len != ctx->ranges[i].len)
			break;
	}
	if (!error && ctx->inject)
		error = ctx->inject;
	if (READ_ONCE(end_in_irq)) {
		ctx->error = error;
		ctx->done = done;
		mod_timer(&ctx->timer,
			  jiffies + 1 + msecs_to_jiffies(READ_ONCE(delay_ms)));
		return;
	}
	if (READ_ONCE(delay_ms)) {
		ctx->error = error;
		ctx->done = done;
		queue_delayed_work(testprov_wq, &ctx->dwork,
				   msecs_to_jiffies(READ_ONCE(delay_ms)));
		return;
	}
	copyoff_chunk_end(ctx->chunk, error, done);
	kfree(ctx);
}

static void testprov_delayed_end(struct work_struct *work)
{
	struct testprov_ctx *ctx =
		container_of(to_delayed_work(work), struct testprov_ctx, dwork);

	copyoff_chunk_end(ctx->chunk, ctx->error, ctx->done);
	kfree(ctx);
}

static void testprov_timer_end(struct timer_list *t)
{
	struct testprov_ctx *ctx = container_of(t, struct testprov_ctx, timer);

	copyoff_chunk_end(ctx->chunk, ctx->error, ctx->done);
	kfree(ctx);
}

static void testprov_submit(struct copyoff_provider *prov, struct copyoff_chunk *chunk)
{
	u32 align = max(bdev_logical_block_size(chunk->src),
			bdev_logical_block_size(chunk->dst));
	unsigned long flags;
	struct testprov_ctx *ctx;
	u64 len = 0, dst = chunk->dst_off, half;
	bool bad = false;
	unsigned int i;
	ulong n;

	if (chunk->nr_segs == 0 || chunk->nr_segs > READ_ONCE(max_segs) ||
	    chunk->len > READ_ONCE(max_bytes) || chunk->dst_off % align)
		bad = true;
	for (i = 0; i < chunk->nr_segs; i++) {
		if (chunk->segs[i].len > READ_ONCE(max_seg_bytes) ||
		    !chunk->segs[i].len || chunk->segs[i].len % align ||
		    chunk->segs[i].src_off % align)
			bad = true;
		len += chunk->segs[i].len;
	}
	if (len != chunk->len)
		bad = true;

	spin_lock_irqsave(&testprov_lock, flags);
	n = ++chunks;
	segs += chunk->nr_segs;
	if (chunk->nr_segs > 1)
		multi_seg_chunks++;
	if (bad)
		violations++;
	spin_unlock_irqrestore(&testprov_lock, flags);

	ctx = kzalloc(struct_size(ctx, ranges, chunk->nr_segs), GFP_NOIO);
	if (!ctx) {
		copyoff_chunk_end(chunk, -ENOMEM, 0);
		return;
	}
	ctx->chunk = chunk;
	INIT_DELAYED_WORK(&ctx->dwork, testprov_delayed_end);
	timer_setup(&ctx->timer, testprov_timer_end, 0);
	if (n == READ_ONCE(fallback_chunk))
		ctx->inject = -EOPNOTSUPP;
	else if (n == READ_ONCE(fail_chunk))
		ctx->inject = -EIO;
	/* with an injection, only the first half (block-aligned) is copied */
	half = ctx->inject ? round_down(chunk->len / 2, align) : chunk->len;
	for (i = 0; i < chunk->nr_segs && ctx->want < half; i++) {
		u64 l = min(chunk->segs[i].len, half - ctx->want);

		ctx->ranges[i].src_off = chunk->segs[i].src_off;
		ctx->ranges[i].dst_off = dst;
		ctx->ranges[i].len = l;
		dst += chunk->segs[i].len;
		ctx->want += l;
		ctx->nr++;
	}
	if (!ctx->nr) {
		copyoff_chunk_end(chunk, ctx->inject, 0);
		kfree(ctx);
		return;
	}
	/*
	 * From our own workqueue, as a device would copy on its own: the
	 * inner copy is not charged to the cgroups of the caller's copy.
	 */
	INIT_WORK(&ctx->start, testprov_start);
	queue_work(testprov_wq, &ctx->start);
}

static const struct copyoff_provider_ops testprov_ops = {
	.query	= testprov_query,
	.submit	= testprov_submit,
};

static struct copyoff_provider testprov_provider = {
	.name	= "testprov",
	.owner	= THIS_MODULE,
	.ops	= &testprov_ops,
};

static int __init testprov_init(void)
{
	int ret;

	testprov_wq = alloc_workqueue("copyoff_testprov", WQ_UNBOUND, 0);
	if (!testprov_wq)
		return -ENOMEM;
	ret = copyoff_register_provider(&testprov_provider);
	if (ret)
		destroy_workqueue(testprov_wq);
	return ret;
}

static void __exit testprov_exit(void)
{
	copyoff_unregister_provider(&testprov_provider);
	destroy_workqueue(testprov_wq);	/* delayed ends still running */
}

module_init(testprov_init);
module_exit(testprov_exit);
MODULE_DESCRIPTION("copyoff: fake offload provider for tests");
MODULE_LICENSE("GPL");
