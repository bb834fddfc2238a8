// SPDX-License-Identifier: GPL-2.0
/*
 * copyoff_dmstock: copies through stock device-mapper tables.
 *
 * With this module loaded, a copy on a dm device whose live table maps the
 * copied bytes with the stock "linear" or "striped" targets (every LVM
 * logical volume that is not a snapshot, thin, cache or RAID volume) is
 * remapped through that table to the devices below, split at table lines and
 * stripe chunks, and copied there by copyoff_core: offloaded where the device
 * below can (an NVMe namespace with Copy), emulated otherwise.  It is a
 * remapper of copyoff_dm's provider "dm" (copyoff_dm/remap.h), which does the
 * splitting and the lower copies as it does for its own target "copyoff";
 * stacks (a linear over a linear, a copyoff target over an LV) are remapped
 * level by level.  Any other target (crypt, snapshot, thin, raid, ...) is
 * not remapped: the core emulates the copy through the dm device, so that
 * the bytes are what that target makes of them.
 *
 * Private layouts: dm-mod exports no accessor of a device's live table.
 * struct mapped_device (map, io_barrier, pending_io, wait), struct dm_table
 * (type, num_targets, targets) and the linear and striped contexts are read
 * at offsets taken from dm-mod.ko's BTF at build time (scripts/btf-layout.sh)
 * and used only when the dm-mod loaded is the build they were read from
 * (copyoff_btf_verify(): otherwise the module does not load, and says why).
 * The table is read as dm's own I/O path reads it: under the device's
 * io_barrier SRCU.  Built where the layouts cannot be read, the module
 * refuses to load with the reason, and the rest of copyoff works.
 *
 * Suspend, reload, removal: a piece copied below is counted as a bio in
 * flight on the dm device (its pending_io, which dm's suspend waits for),
 * and holds a reference on the device, which its removal waits for; so a
 * suspend (and with it a table reload, a pvmove step, lvconvert) waits for
 * the pieces that were routed by the table being suspended.  New pieces
 * are refused from the moment a suspend starts until the device is resumed:
 * watches on the entries of dm_table_presuspend_targets(),
 * dm_table_presuspend_undo_targets(), dm_table_resume_targets() and the
 * fast internal suspend and resume (dm-snapshot's) mark the device closed
 * and open again, and a device found suspended (dm_suspended()) is refused
 * as well.  A refused piece ends the chunk: the core emulates the rest
 * through the dm device, whose own bios wait for the resume.
 *
 * Attachment: five watches through copyoff's hook layer
 * (include/copyoff/hook.h), none of which changes what dm does; loading the
 * module is the opt-in, "enable" turns remapping off and on at run time.
 * Counters: /sys/module/copyoff_dmstock/stats/.
 *
 * Prefixes: ds_ (copyoff_dmstock, this module's own); md_ (the accessors
 * of struct mapped_device's private layout).
 */
#define pr_fmt(fmt) "copyoff_dmstock: " fmt

#include <linux/atomic.h>
#include <linux/blkdev.h>
#include <linux/device-mapper.h>
#include <linux/hashtable.h>
#include <linux/init.h>
#include <linux/kobject.h>
#include <linux/math64.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/namei.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/srcu.h>
#include <linux/sysfs.h>
#include <linux/wait.h>
#include <copyoff/copyoff.h>
#include <copyoff/hook.h>
#include <copyoff_btf.h>
#include "remap.h"

#ifdef HAVE_BTF_DM

static bool enable = true;
module_param(enable, bool, 0644);
MODULE_PARM_DESC(enable, "Remap copies through stock linear and striped tables (default: on)");

/*
 * The public header's struct dm_target is the one dm-mod was built with
 * (the table's targets are an array of them).  Not for sparse, which
 * computes another size for it (its bool bit-fields).
 */
#ifndef __CHECKER__
static_assert(COPYOFF_BTF_DM_TARGET_SIZE == sizeof(struct dm_target));
#endif

/*
 * The member of dm's structure at @base that btf-layout.sh calls @f
 * (COPYOFF_BTF_<f>_OFF), read as @type: the build stops when the member's
 * size in the target kernel's BTF is not sizeof(@type).
 */
#define DS_AT(type, base, f)						\
	((type *)((char *)(base) + COPYOFF_BTF_##f##_OFF +		\
		  BUILD_BUG_ON_ZERO(COPYOFF_BTF_##f##_SIZE != sizeof(type))))

static struct srcu_struct *md_srcu(struct mapped_device *md)
{
	return DS_AT(struct srcu_struct, md, DM_MD_IO_BARRIER);
}

static unsigned long __percpu *md_pending(struct mapped_device *md)
{
	return *DS_AT(unsigned long __percpu *, md, DM_MD_PENDING_IO);
}

static wait_queue_head_t *md_wait(struct mapped_device *md)
{
	return DS_AT(wait_queue_head_t, md, DM_MD_WAIT);
}

/* The live table; the caller holds md_srcu(). */
static struct dm_table *md_map(struct mapped_device *md)
{
	void __rcu **map = DS_AT(void __rcu *, md, DM_MD_MAP);

	return srcu_dereference(*map, md_srcu(md));
}

/*
 * The devices this module has seen: whether a suspend is under way (closed)
 * and how many pieces are held.  Keyed by the mapped_device's address, never
 * dereferenced through here; an entry goes when both counts are zero.
 * A device removed while suspended leaves its entry closed until a device at
 * the same address is resumed (every new device is) or the module goes.
 */
struct ds_md {
	struct hlist_node node;
	struct mapped_device *md;
	unsigned int closed;		/* ds_lock */
	unsigned int held;		/* ds_lock */
};

static DEFINE_HASHTABLE(ds_mds, 6);
static DEFINE_SPINLOCK(ds_lock);
/* An allocation in a suspend path failed: no device is remapped any more. */
static bool ds_broken;
static atomic_t ds_held = ATOMIC_INIT(0);
static DECLARE_WAIT_QUEUE_HEAD(ds_wait);

static atomic64_t pieces, bytes, refused_suspended, refused_target;

static struct ds_md *ds_find(struct mapped_device *md)
{
	struct ds_md *s;

	lockdep_assert_held(&ds_lock);
	hash_for_each_possible(ds_mds, s, node, (unsigned long)md)
		if (s->md == md)
			return s;
	return NULL;
}

static struct ds_md *ds_get(struct mapped_device *md)
{
	struct ds_md *s = ds_find(md);

	if (s)
		return s;
	s = kzalloc(sizeof(*s), GFP_ATOMIC | __GFP_NOWARN);
	if (!s)
		return NULL;
	s->md = md;
	hash_add(ds_mds, &s->node, (unsigned long)md);
	return s;
}

static void ds_maybe_free(struct ds_md *s)
{
	lockdep_assert_held(&ds_lock);
	if (!s->closed && !s->held) {
		hash_del(&s->node);
		kfree(s);
	}
}

/*
 * Count a piece on @s: a bio in flight for dm's suspend, a reference for its
 * removal.  Under ds_lock, with @s open.
 */
static bool ds_hold(struct ds_md *s)
{
	lockdep_assert_held(&ds_lock);
	if (dm_hold(s->md))
		return false;
	s->held++;
	this_cpu_inc(*md_pending(s->md));
	atomic_inc(&ds_held);
	return true;
}

static void ds_put(struct copyoff_dm_piece *p, u64 copied)
{
	struct ds_md *s = p->hold;
	struct mapped_device *md = s->md;

	atomic64_add(copied, &bytes);
	this_cpu_dec(*md_pending(md));
	if (wq_has_sleeper(md_wait(md)))
		wake_up(md_wait(md));
	spin_lock(&ds_lock);
	s->held--;
	ds_maybe_free(s);
	spin_unlock(&ds_lock);
	dm_put(md);
	if (atomic_dec_and_test(&ds_held))
		wake_up(&ds_wait);
}

static struct copyoff_dm_remapper ds_remapper;

/* Is @ti the stock target @name of module @mod? */
static bool ds_is_of(struct dm_target *ti, const char *mod, const char *name)
{
	struct target_type *tt = ti->type;

	return tt && tt->module && !strcmp(module_name(tt->module), mod) &&
	       !strcmp(tt->name, name);
}

static bool ds_is(struct dm_target *ti, const char *name)
{
	return ds_is_of(ti, "dm_mod", name);
}

#ifdef HAVE_BTF_DM_THIN
/*
 * The loaded dm-thin-pool is the build pool_c's layout was read from
 * (ds_lock): checked when it goes live and when this module loads.
 */
static bool ds_thin_ok;

static void ds_thin_check(void)
{
	bool ok = !copyoff_btf_verify("copyoff_dmstock", "dm_thin_pool",
				      COPYOFF_BTF_DM_THIN_POOL_CRC,
				      COPYOFF_BTF_DM_THIN_POOL_LEN,
				      "thin-pool devices are not remapped");

	spin_lock(&ds_lock);
	ds_thin_ok = ok;
	spin_unlock(&ds_lock);
}

static int ds_module_notify(struct notifier_block *nb, unsigned long state,
			    void *data)
{
	struct module *mod = data;

	if (strcmp(mod->name, "dm_thin_pool"))
		return NOTIFY_DONE;
	if (state == MODULE_STATE_LIVE) {
		ds_thin_check();
	} else if (state == MODULE_STATE_GOING) {
		spin_lock(&ds_lock);
		ds_thin_ok = false;
		spin_unlock(&ds_lock);
	}
	return NOTIFY_DONE;
}

static struct notifier_block ds_module_nb = {
	.notifier_call = ds_module_notify,
};

/* A thin-pool target of the checked build: its data device, 1:1. */
static struct dm_dev *ds_thin_data(struct dm_target *ti)
{
	lockdep_assert_held(&ds_lock);
	if (!ds_thin_ok || !ds_is_of(ti, "dm_thin_pool", "thin-pool"))
		return NULL;
	return *DS_AT(struct dm_dev *, ti->private, DM_POOL_C_DATA_DEV);
}
#else
static struct dm_dev *ds_thin_data(struct dm_target *ti)
{
	return NULL;
}
#endif

static struct dm_target *ds_target(struct dm_table *t, unsigned int i)
{
	return *DS_AT(struct dm_target *, t, DM_TABLE_TARGETS) + i;
}

static unsigned int ds_num_targets(struct dm_table *t)
{
	return *DS_AT(unsigned int, t, DM_TABLE_NUM_TARGETS);
}

/* A bio-based table (the only kind whose in-flight count is pending_io). */
static bool ds_table_ok(struct dm_table *t)
{
	return t && *DS_AT(unsigned int, t, DM_TABLE_TYPE) ==
		    COPYOFF_BTF_DM_TYPE_BIO_BASED;
}

/* The stripe structure of stripe @i of a striped target's context. */
static void *ds_stripe(void *sc, u32 i)
{
	/* stripe[] is a flexible array of struct stripe, sized by its BTF */
	BUILD_BUG_ON(COPYOFF_BTF_DM_STRIPE_C_STRIPE_SIZE != 0);
	return (char *)sc + COPYOFF_BTF_DM_STRIPE_C_STRIPE_OFF +
	       (size_t)i * COPYOFF_BTF_DM_STRIPE_SIZE;
}

/*
 * Sector @sector of the table, inside @ti: the device below, the sector on
 * it and how many sectors from there are contiguous below.  False for a
 * target that is not stock linear, striped or (where its layout is
 * checked) thin-pool.  Under ds_lock.
 */
static bool ds_map(struct dm_target *ti, sector_t sector, struct dm_dev **dev,
		   sector_t *lower, sector_t *avail)
{
	sector_t rel = sector - ti->begin, end = ti->len - rel;
	void *ctx = ti->private;

	if (ds_is(ti, "linear")) {
		*dev = *DS_AT(struct dm_dev *, ctx, DM_LINEAR_DEV);
		*lower = *DS_AT(sector_t, ctx, DM_LINEAR_START) + rel;
		*avail = end;
		return true;
	}
	if (ds_is(ti, "striped")) {
		u32 stripes = *DS_AT(u32, ctx, DM_STRIPE_C_STRIPES);
		u32 chunk = *DS_AT(u32, ctx, DM_STRIPE_C_CHUNK_SIZE);
		u32 in_chunk, idx;
		u64 row;
		void *st;

		if (WARN_ON_ONCE(!stripes || !chunk))
			return false;
		row = div_u64_rem(div_u64_rem(rel, chunk, &in_chunk), stripes, &idx);
		st = ds_stripe(ctx, idx);
		*dev = *DS_AT(struct dm_dev *, st, DM_STRIPE_DEV);
		*lower = *DS_AT(sector_t, st, DM_STRIPE_PHYSICAL_START) +
			 row * chunk + in_chunk;
		*avail = min_t(sector_t, chunk - in_chunk, end);
		return true;
	}
	/* the pool's bios keep their sector, on the data device */
	*dev = ds_thin_data(ti);
	if (*dev) {
		*lower = sector;
		*avail = end;
		return true;
	}
	return false;
}

/*
 * Byte @off of @md (referenced by the caller): held and filled in @p, or
 * -EAGAIN.  Under ds_lock.
 */
static int ds_remap_md(struct mapped_device *md, u64 off,
		       struct copyoff_dm_piece *p)
{
	sector_t sector = off >> SECTOR_SHIFT, lower, avail;
	struct ds_md *s = ds_find(md);
	struct dm_target *ti = NULL;
	struct dm_table *map;
	struct dm_dev *dev;
	unsigned int i;
	int idx, ret = -EAGAIN;

	if (s && s->closed) {
		atomic64_inc(&refused_suspended);
		return -EAGAIN;
	}
	idx = srcu_read_lock(md_srcu(md));
	map = md_map(md);
	if (!ds_table_ok(map))
		goto out;
	for (i = 0; i < ds_num_targets(map); i++) {
		struct dm_target *t = ds_target(map, i);

		if (sector >= t->begin && sector - t->begin < t->len) {
			ti = t;
			break;
		}
	}
	if (!ti)
		goto out;
	if (dm_suspended(ti)) {
		atomic64_inc(&refused_suspended);
		goto out;
	}
	if (!ds_map(ti, sector, &dev, &lower, &avail)) {
		atomic64_inc(&refused_target);
		goto out;
	}
	s = ds_get(md);
	if (!s || !ds_hold(s))
		goto out;
	p->r = &ds_remapper;
	p->hold = s;
	p->bdev = dev->bdev;
	p->off = ((u64)lower << SECTOR_SHIFT) + (off & (SECTOR_SIZE - 1));
	p->avail = ((u64)avail << SECTOR_SHIFT) - (off & (SECTOR_SIZE - 1));
	atomic64_inc(&pieces);
	ret = 1;
out:
	srcu_read_unlock(md_srcu(md), idx);
	if (s && ret != 1)
		ds_maybe_free(s);
	return ret;
}

static int ds_remap(struct block_device *bdev, u64 off,
		    struct copyoff_dm_piece *p)
{
	struct mapped_device *md = dm_get_md(bdev->bd_dev);
	int ret;

	if (!md)
		return 0;
	spin_lock(&ds_lock);
	ret = READ_ONCE(enable) && !ds_broken ? ds_remap_md(md, off, p) : -EAGAIN;
	spin_unlock(&ds_lock);
	dm_put(md);
	return ret;
}

/* The devices below @bdev's linear and striped lines, each held. */
static int ds_parts(struct block_device *bdev, struct copyoff_dm_piece *parts,
		    int max)
{
	struct mapped_device *md = dm_get_md(bdev->bd_dev);
	struct dm_table *map;
	struct ds_md *s;
	unsigned int i;
	int idx, n = 0;

	if (!md)
		return -1;
	spin_lock(&ds_lock);
	s = ds_find(md);
	if (!READ_ONCE(enable) || ds_broken || (s && s->closed))
		goto unlock;
	idx = srcu_read_lock(md_srcu(md));
	map = md_map(md);
	if (!ds_table_ok(map))
		goto out;
	for (i = 0; i < ds_num_targets(map) && n < max; i++) {
		struct dm_target *ti = ds_target(map, i);
		u32 j, nr = 1;
		void *ctx = ti->private;

		if (dm_suspended(ti))
			break;
		if (ds_is(ti, "striped"))
			nr = *DS_AT(u32, ctx, DM_STRIPE_C_STRIPES);
		else if (!ds_is(ti, "linear") && !ds_thin_data(ti))
			continue;
		for (j = 0; j < nr && n < max; j++) {
			struct dm_dev *dev;

			if (ds_is(ti, "linear"))
				dev = *DS_AT(struct dm_dev *, ctx, DM_LINEAR_DEV);
			else if (ds_is(ti, "striped"))
				dev = *DS_AT(struct dm_dev *, ds_stripe(ctx, j),
					     DM_STRIPE_DEV);
			else
				dev = ds_thin_data(ti);
			s = ds_get(md);
			if (!s || !ds_hold(s))
				goto out;
			parts[n].r = &ds_remapper;
			parts[n].hold = s;
			parts[n].bdev = dev->bdev;
			n++;
		}
	}
out:
	srcu_read_unlock(md_srcu(md), idx);
	if (s)
		ds_maybe_free(s);
unlock:
	spin_unlock(&ds_lock);
	dm_put(md);
	return n;
}

static struct copyoff_dm_remapper ds_remapper = {
	.remap	= ds_remap,
	.parts	= ds_parts,
	.put	= ds_put,
};

/* --- the suspend path: watches ------------------------------------------- */

/*
 * A suspend of @md starts: no new piece until it is resumed.  Not for a
 * device being removed (dm_get_md() no longer finds it, and nobody can open
 * it to copy): its entry would stay closed.
 */
static void ds_close(struct mapped_device *md)
{
	struct mapped_device *found = dm_get_md(disk_devt(dm_disk(md)));
	struct ds_md *s;

	if (found)
		dm_put(found);
	if (found != md)
		return;
	spin_lock(&ds_lock);
	s = ds_get(md);
	if (s) {
		s->closed++;
	} else if (!ds_broken) {
		ds_broken = true;
		pr_warn("out of memory in a suspend path: no copy is remapped through stock tables any more (reload the module)\n");
	}
	spin_unlock(&ds_lock);
}

static void ds_open(struct mapped_device *md)
{
	struct ds_md *s;

	spin_lock(&ds_lock);
	s = ds_find(md);
	if (s && s->closed) {
		s->closed--;
		ds_maybe_free(s);
	}
	spin_unlock(&ds_lock);
}

static struct mapped_device *ds_arg_md(struct pt_regs *regs)
{
	return (struct mapped_device *)copyoff_hook_arg(regs, 0);
}

static struct mapped_device *ds_arg_table_md(struct pt_regs *regs)
{
	struct dm_table *t = (struct dm_table *)copyoff_hook_arg(regs, 0);

	return t ? dm_table_get_md(t) : NULL;
}

static void ds_presuspend_watch(struct pt_regs *regs)
{
	struct mapped_device *md = ds_arg_table_md(regs);

	if (md)
		ds_close(md);
}

/* A failed suspend, or a resume (the table's targets resumed next). */
static void ds_reopen_watch(struct pt_regs *regs)
{
	struct mapped_device *md = ds_arg_table_md(regs);

	if (md)
		ds_open(md);
}

static void ds_suspend_fast_watch(struct pt_regs *regs)
{
	ds_close(ds_arg_md(regs));
}

static void ds_resume_fast_watch(struct pt_regs *regs)
{
	ds_open(ds_arg_md(regs));
}

static struct copyoff_hook ds_hooks[] = {
	{ .func = "dm_table_presuspend_targets", .watch = ds_presuspend_watch },
	{ .func = "dm_table_presuspend_undo_targets", .watch = ds_reopen_watch },
	{ .func = "dm_table_resume_targets", .watch = ds_reopen_watch },
	{ .func = "dm_internal_suspend_fast", .watch = ds_suspend_fast_watch },
	{ .func = "dm_internal_resume_fast", .watch = ds_resume_fast_watch },
};

/* --- sysfs: /sys/module/copyoff_dmstock/stats/ ----------------------------- */

struct ds_stat {
	struct kobj_attribute attr;
	atomic64_t *v;
};

static ssize_t ds_stat_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	struct ds_stat *st = container_of(attr, struct ds_stat, attr);

	if (!st->v)
		return sysfs_emit(buf, "%d\n", atomic_read(&ds_held));
	return sysfs_emit(buf, "%lld\n", (long long)atomic64_read(st->v));
}

#define DS_STAT(n, var) { .attr = __ATTR(n, 0444, ds_stat_show, NULL), .v = var }
static struct ds_stat ds_stats[] = {
	DS_STAT(pieces, &pieces),
	DS_STAT(bytes, &bytes),
	DS_STAT(refused_suspended, &refused_suspended),
	DS_STAT(refused_target, &refused_target),
	DS_STAT(held, NULL),
};

static struct attribute *ds_stat_attrs[ARRAY_SIZE(ds_stats) + 1];

#ifdef HAVE_BTF_DM_THIN
/* Is module @name loaded (its /sys/module directory there)? */
static bool ds_module_loaded(const char *name)
{
	char path[MODULE_NAME_LEN + 16];
	struct path p;

	snprintf(path, sizeof(path), "/sys/module/%s", name);
	if (kern_path(path, 0, &p))
		return false;
	path_put(&p);
	return true;
}
#endif
static const struct attribute_group ds_stat_group = { .attrs = ds_stat_attrs };
static struct kobject *ds_kobj;

static int __init ds_init(void)
{
	unsigned int i;
	int ret;

	ret = copyoff_btf_verify("copyoff_dmstock", "dm_mod",
				 COPYOFF_BTF_DM_MOD_CRC, COPYOFF_BTF_DM_MOD_LEN,
				 "not loaded: its dm-mod layouts are of another build");
	if (ret)
		return ret == -ESTALE ? -ENOEXEC : ret;
	for (i = 0; i < ARRAY_SIZE(ds_stats); i++)
		ds_stat_attrs[i] = &ds_stats[i].attr.attr;
	ds_kobj = kobject_create_and_add("stats", &THIS_MODULE->mkobj.kobj);
	if (!ds_kobj)
		return -ENOMEM;
	ret = sysfs_create_group(ds_kobj, &ds_stat_group);
	if (ret)
		goto out_kobj;
#ifdef HAVE_BTF_DM_THIN
	/* dm-thin-pool loaded later is checked as it goes live. */
	ret = register_module_notifier(&ds_module_nb);
	if (ret)
		goto out_kobj;
	if (ds_module_loaded("dm_thin_pool"))
		ds_thin_check();
#endif
	/* The suspend path is watched before the first piece can be held. */
	ret = copyoff_hooks_attach(ds_hooks, ARRAY_SIZE(ds_hooks), THIS_MODULE,
				   "copyoff_dmstock");
	if (ret)
		goto out_notifier;
	copyoff_dm_register_remapper(&ds_remapper);
	pr_info("copies remapped through stock linear and striped tables (enable=%d)\n",
		enable);
	return 0;

out_notifier:
#ifdef HAVE_BTF_DM_THIN
	unregister_module_notifier(&ds_module_nb);
#endif
out_kobj:
	kobject_put(ds_kobj);
	return ret;
}

static void __exit ds_exit(void)
{
	struct hlist_node *tmp;
	struct ds_md *s;
	unsigned int b;

	/* No new piece; then every held piece has been put. */
	copyoff_dm_unregister_remapper(&ds_remapper);
	wait_event(ds_wait, !atomic_read(&ds_held));
	copyoff_hooks_detach(ds_hooks, ARRAY_SIZE(ds_hooks));
#ifdef HAVE_BTF_DM_THIN
	unregister_module_notifier(&ds_module_nb);
#endif
	hash_for_each_safe(ds_mds, b, tmp, s, node) {
		hash_del(&s->node);
		kfree(s);
	}
	kobject_put(ds_kobj);
}

#else /* !HAVE_BTF_DM */

static int __init ds_init(void)
{
	pr_err("not available: built without dm-mod's private layouts (see include/generated/copyoff_btf.h of the build: python3, objcopy, dm-mod.ko and the kernel's BTF are needed)\n");
	return -EOPNOTSUPP;
}

static void __exit ds_exit(void)
{
}

#endif /* HAVE_BTF_DM */

module_init(ds_init);
module_exit(ds_exit);

MODULE_DESCRIPTION("copyoff: copies remapped through stock dm-linear and dm-striped tables");
MODULE_AUTHOR("copyoff developers");
MODULE_LICENSE("GPL");
MODULE_VERSION(COPYOFF_VERSION);
