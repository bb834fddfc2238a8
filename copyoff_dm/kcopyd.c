// SPDX-License-Identifier: GPL-2.0
/*
 * copyoff_kcopyd: dm-kcopyd copies through copyoff.
 *
 * With this module loaded, a dm_kcopyd_copy() job (dm-raid1 resync and
 * LVM's pvmove, dm-snapshot's copy-on-write and merge, dm-thin, dm-cache,
 * dm-writecache ...) whose source and every destination copyoff can offload
 * is carried out by copyoff_core's in-kernel API (offloaded, never emulated:
 * copyoff_copy_async() with COPYOFF_F_NO_EMULATION) instead of being read
 * into and written from host memory by kcopyd.  Every other job runs the
 * stock dm_kcopyd_copy() untouched.  Loading the module is the opt-in; the
 * parameter "enable" turns it off and on at run time, and a device's
 * copy_offload=0 (copyoff's sysfs) keeps its jobs on stock.  A job never
 * emulated by copyoff is never measured by copy_offload=auto either: auto
 * devices are offloaded here (stock kcopyd is the emulation).
 *
 * Not applied to offloaded jobs: the client's throttle (dm_kcopyd_throttle,
 * which paces kcopyd's own I/O); the device does the copy.
 *
 * Attachment: one redirect of dm_kcopyd_copy() through copyoff's hook layer
 * (include/copyoff/hook.h).  Its @want sends to kc_copy() only the jobs that
 * can be looked at (enabled, a source, one to DM_KCOPYD_MAX_REGIONS
 * destinations, no flag but DM_KCOPYD_IGNORE_ERROR, no zoned destination);
 * zeroing (dm_kcopyd_zero(), no source: stock already uses Write Zeroes),
 * DM_KCOPYD_WRITE_SEQ and zoned destinations stay on stock.
 *
 * A redirected job: every destination must be offloadable from the source
 * (copyoff's policy, asked through a validate-only copy per destination that
 * forbids emulation); if one is not, the whole job goes to stock (all
 * destinations offloaded or none).  Then a kcopyd callback is prepared
 * (dm_kcopyd_prepare_callback(): it is counted in the client's jobs, so
 * dm_kcopyd_client_destroy() waits for it as for a stock job) and one copy
 * per destination is started.  When all of them have copied every byte, the
 * callback is delivered with read_err 0 and write_err 0, from the client's
 * own work as a stock job's notify would be.  A copy that failed or stopped
 * short (the device refused, a write error, anything) makes the whole job
 * redone by stock dm_kcopyd_copy(), whose read_err and write_err bits (and
 * DM_KCOPYD_IGNORE_ERROR handling) are then delivered through the prepared
 * callback: callers see stock error reporting.  A redo is safe because
 * every kcopyd caller keeps the region quiesced (no I/O to source or
 * destinations) until its notify function has run, so copying it again
 * gives the same result as copying it once.
 *
 * Context: dm-snapshot starts copies from its map path.  Nothing here waits
 * on page-cache writeback (the copies carry COPYOFF_KF_NO_CACHE: like stock
 * kcopyd's own bios they bypass the page cache) and everything that may
 * allocate runs under memalloc_noio_save().  Per client at most
 * KC_MAX_INFLIGHT offloaded jobs are in flight, fewer than the jobs each
 * client reserves (8), so that a redo always finds a job in the client's
 * mempool; above it a job goes to stock.  The clients are counted in a
 * small table hashed by client: two clients sharing a slot only share the
 * cap, which stays below the reserve for each.
 *
 * Unload: the hook is detached first (no new job), then the exit waits for
 * every redirected job to have delivered its callback.
 *
 * Counters: /sys/module/copyoff_kcopyd/stats/ (jobs and bytes offloaded,
 * redone, left to stock; jobs in flight).  Bytes are counted per
 * destination (bytes written).
 *
 * Prefix: kc_ (copyoff_kcopyd, this module's own).
 */
#define pr_fmt(fmt) "copyoff_kcopyd: " fmt

#include <linux/atomic.h>
#include <linux/blkdev.h>
#include <linux/dm-io.h>
#include <linux/dm-kcopyd.h>
#include <linux/hash.h>
#include <linux/init.h>
#include <linux/kobject.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/rcupdate.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
#include <linux/wait.h>
#include <copyoff/copyoff.h>
#include <copyoff/hook.h>

static bool enable = true;
module_param(enable, bool, 0644);
MODULE_PARM_DESC(enable, "Offload dm-kcopyd jobs through copyoff (default 1)");

/* Offloaded jobs in flight per client: below kcopyd's reserve of 8. */
#define KC_MAX_INFLIGHT		4
#define KC_SLOT_BITS		6
static atomic_t kc_slots[1 << KC_SLOT_BITS];

/* Redirected jobs not yet called back; the exit waits for none. */
static atomic_t kc_inflight = ATOMIC_INIT(0);
static DECLARE_WAIT_QUEUE_HEAD(kc_wait);

static atomic64_t jobs_offloaded, bytes_offloaded;
static atomic64_t jobs_redone, bytes_redone;
static atomic64_t jobs_stock, bytes_stock;

struct kc_job {
	struct dm_kcopyd_client *kc;
	struct dm_io_region from;
	unsigned int nr;
	struct dm_io_region dests[DM_KCOPYD_MAX_REGIONS];
	unsigned int flags;
	void *cb;			/* dm_kcopyd_prepare_callback() */
	atomic_t *slot;			/* kc_slots[] */
	atomic_t pending;		/* copies not ended, +1 while starting */
	atomic_t failed;		/* a copy failed or stopped short */
	struct copyoff_range ranges[DM_KCOPYD_MAX_REGIONS];
};

static struct copyoff_hook kc_hooks[1];

static u64 kc_region_bytes(const struct dm_io_region *r)
{
	return (u64)r->count << SECTOR_SHIFT;
}

/* Called back (by stock, or by us for an offloaded job): forget the job. */
static void kc_job_free(struct kc_job *j)
{
	kfree(j);
	if (atomic_dec_and_test(&kc_inflight))
		wake_up_all(&kc_wait);
}

/* The stock redo ended: its error bits are the job's. */
static void kc_redo_end(int read_err, unsigned long write_err, void *context)
{
	struct kc_job *j = context;

	dm_kcopyd_do_callback(j->cb, read_err, write_err);
	kc_job_free(j);
}

/*
 * Every copy of the job has ended.  Process context: the redirect or
 * copyoff's workqueue.
 */
static void kc_job_done(struct kc_job *j)
{
	u64 bytes = kc_region_bytes(&j->from) * j->nr;
	unsigned int noio;

	atomic_dec(j->slot);
	if (!atomic_read(&j->failed)) {
		atomic64_inc(&jobs_offloaded);
		atomic64_add(bytes, &bytes_offloaded);
		dm_kcopyd_do_callback(j->cb, 0, 0);
		kc_job_free(j);
		return;
	}
	/*
	 * Redo the whole job with stock kcopyd: the caller keeps the region
	 * quiesced until it is called back (see the header comment).
	 */
	atomic64_inc(&jobs_redone);
	atomic64_add(bytes, &bytes_redone);
	noio = memalloc_noio_save();
	COPYOFF_HOOK_CALL_STOCK_VOID(dm_kcopyd_copy(j->kc, &j->from, j->nr,
						    j->dests, j->flags,
						    kc_redo_end, j));
	memalloc_noio_restore(noio);
}

static void kc_copy_end(void *priv, int error, u64 copied, u64 offloaded)
{
	struct kc_job *j = priv;

	if (error || offloaded != kc_region_bytes(&j->from))
		atomic_set(&j->failed, 1);
	if (atomic_dec_and_test(&j->pending))
		kc_job_done(j);
}

/* Called with preemption disabled: no sleeping, no allocation. */
static bool kc_want(struct pt_regs *regs)
{
	struct dm_io_region *from = (void *)copyoff_hook_arg(regs, 1);
	unsigned int nr = copyoff_hook_arg(regs, 2);
	struct dm_io_region *dests = (void *)copyoff_hook_arg(regs, 3);
	unsigned int flags = copyoff_hook_arg(regs, 4);
	unsigned int i;

	if (!from)
		return false;		/* dm_kcopyd_zero(): not counted */
	if (!READ_ONCE(enable) || !from->count || !nr ||
	    nr > DM_KCOPYD_MAX_REGIONS ||
	    (flags & ~BIT(DM_KCOPYD_IGNORE_ERROR)))
		goto stock;
	for (i = 0; i < nr; i++)
		if (bdev_is_zoned(dests[i].bdev) ||
		    dests[i].count != from->count)
			goto stock;
	return true;
stock:
	atomic64_inc(&jobs_stock);
	atomic64_add(kc_region_bytes(from) * nr, &bytes_stock);
	return false;
}

/* Can every destination be offloaded from the source, with these ranges? */
static bool kc_offloadable(struct kc_job *j)
{
	unsigned int i;

	for (i = 0; i < j->nr; i++)
		if (copyoff_copy_async(j->from.bdev, j->dests[i].bdev,
				       &j->ranges[i], 1,
				       COPYOFF_F_VALIDATE_ONLY |
				       COPYOFF_F_NO_EMULATION |
				       COPYOFF_KF_NO_CACHE,
				       kc_copy_end, j))
			return false;
	return true;
}

/* The redirect of dm_kcopyd_copy(): exactly its prototype. */
static void kc_copy(struct dm_kcopyd_client *kc, struct dm_io_region *from,
		    unsigned int num_dests, struct dm_io_region *dests,
		    unsigned int flags, dm_kcopyd_notify_fn fn, void *context)
{
	struct kc_job *j = NULL;
	unsigned int noio, i;
	atomic_t *slot;

	slot = &kc_slots[hash_ptr(kc, KC_SLOT_BITS)];
	if (atomic_inc_return(slot) > KC_MAX_INFLIGHT)
		goto stock_slot;

	noio = memalloc_noio_save();
	j = kzalloc(sizeof(*j), GFP_NOIO);
	if (!j)
		goto stock_noio;
	j->kc = kc;
	j->from = *from;
	j->nr = num_dests;
	memcpy(j->dests, dests, num_dests * sizeof(*dests));
	j->flags = flags;
	j->slot = slot;
	for (i = 0; i < num_dests; i++) {
		j->ranges[i].src_off = (u64)from->sector << SECTOR_SHIFT;
		j->ranges[i].dst_off = (u64)dests[i].sector << SECTOR_SHIFT;
		j->ranges[i].len = kc_region_bytes(from);
	}
	if (!kc_offloadable(j))
		goto stock_noio;

	atomic_inc(&kc_inflight);
	j->cb = dm_kcopyd_prepare_callback(kc, fn, context);
	atomic_set(&j->pending, num_dests + 1);
	for (i = 0; i < num_dests; i++) {
		if (copyoff_copy_async(from->bdev, dests[i].bdev,
				       &j->ranges[i], 1,
				       COPYOFF_F_NO_EMULATION |
				       COPYOFF_KF_NO_CACHE,
				       kc_copy_end, j)) {
			atomic_set(&j->failed, 1);
			atomic_dec(&j->pending);	/* never started */
		}
	}
	if (atomic_dec_and_test(&j->pending))
		kc_job_done(j);
	memalloc_noio_restore(noio);
	copyoff_hook_leave(&kc_hooks[0]);
	return;

stock_noio:
	memalloc_noio_restore(noio);
	kfree(j);
stock_slot:
	atomic_dec(slot);
	atomic64_inc(&jobs_stock);
	atomic64_add(kc_region_bytes(from) * num_dests, &bytes_stock);
	COPYOFF_HOOK_CALL_STOCK_VOID(dm_kcopyd_copy(kc, from, num_dests, dests,
						    flags, fn, context));
	copyoff_hook_leave(&kc_hooks[0]);
}

static struct copyoff_hook kc_hooks[1] = {
	{ .func = "dm_kcopyd_copy", .redirect = kc_copy, .want = kc_want },
};

/* --- sysfs: /sys/module/copyoff_kcopyd/stats/ ------------------------------ */

#define KC_STAT(name)							\
static ssize_t name##_show(struct kobject *kobj,			\
			   struct kobj_attribute *attr, char *buf)	\
{									\
	return sysfs_emit(buf, "%lld\n", atomic64_read(&name));		\
}									\
static struct kobj_attribute name##_attr = __ATTR_RO(name)

KC_STAT(jobs_offloaded);
KC_STAT(bytes_offloaded);
KC_STAT(jobs_redone);
KC_STAT(bytes_redone);
KC_STAT(jobs_stock);
KC_STAT(bytes_stock);

static ssize_t inflight_show(struct kobject *kobj, struct kobj_attribute *attr,
			     char *buf)
{
	return sysfs_emit(buf, "%d\n", atomic_read(&kc_inflight));
}
static struct kobj_attribute inflight_attr = __ATTR_RO(inflight);

static struct attribute *kc_stat_attrs[] = {
	&jobs_offloaded_attr.attr,
	&bytes_offloaded_attr.attr,
	&jobs_redone_attr.attr,
	&bytes_redone_attr.attr,
	&jobs_stock_attr.attr,
	&bytes_stock_attr.attr,
	&inflight_attr.attr,
	NULL,
};

static const struct attribute_group kc_stat_group = {
	.attrs = kc_stat_attrs,
};

static struct kobject *kc_stats;

static int __init kc_init(void)
{
	int ret;

	kc_stats = kobject_create_and_add("stats", &THIS_MODULE->mkobj.kobj);
	if (!kc_stats)
		return -ENOMEM;
	ret = sysfs_create_group(kc_stats, &kc_stat_group);
	if (ret)
		goto out_kobj;
	ret = copyoff_hooks_attach(kc_hooks, ARRAY_SIZE(kc_hooks), THIS_MODULE,
				   "copyoff_kcopyd");
	if (ret)
		goto out_kobj;
	pr_info("dm-kcopyd jobs offloaded where copyoff can (enable=%d)\n",
		enable);
	return 0;

out_kobj:
	kobject_put(kc_stats);
	return ret;
}

static void __exit kc_exit(void)
{
	/* No new job; then every redirected job has been called back. */
	copyoff_hooks_detach(kc_hooks, ARRAY_SIZE(kc_hooks));
	wait_event(kc_wait, !atomic_read(&kc_inflight));
	/* Whoever woke us last has left this module's code. */
	synchronize_rcu_tasks();
	kobject_put(kc_stats);
}

module_init(kc_init);
module_exit(kc_exit);

MODULE_DESCRIPTION("copyoff: dm-kcopyd copies offloaded through copyoff");
MODULE_AUTHOR("copyoff developers");
MODULE_LICENSE("GPL");
MODULE_VERSION(COPYOFF_VERSION);
