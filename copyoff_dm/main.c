// SPDX-License-Identifier: GPL-2.0
/*
 * copyoff_dm: a stacking device-mapper target "copyoff".
 *
 * Table line: <start> <len> copyoff <device> <offset>, like dm-linear:
 * ordinary reads, writes, flushes, discards and write-zeroes are remapped to
 * <device> at <offset> (sectors).
 *
 * Copies: the module is also a copyoff provider.  A copy whose source or
 * destination is a dm device made of copyoff targets is cut by the core into
 * chunks; each chunk is remapped here, through the live table, to the devices
 * below (split at table-line boundaries) and handed back to copyoff_core as
 * copies between those devices, so that they are offloaded where the device
 * below can (for example an NVMe namespace) and emulated otherwise.  A part
 * that cannot be remapped (another target type, a table being suspended)
 * ends the chunk there and the core emulates the rest through the dm device.
 *
 * Suspend, reload and removal: a target counts the lower copies it has
 * started; presuspend waits for them, and a suspended target takes no new
 * ones.  A reload takes effect for new chunks once the new table is resumed.
 *
 * Prefix: cdm_ (copyoff_dm: this module's own and its exported remapper
 * interface, remap.h).
 */
#define pr_fmt(fmt) "copyoff_dm: " fmt

#include <linux/init.h>
#include <linux/module.h>
#include <linux/device-mapper.h>
#include <linux/slab.h>
#include <linux/wait.h>
#include <copyoff/copyoff.h>
#include "remap.h"

#define DM_MSG_PREFIX "copyoff"

struct cdm_target {
	struct dm_target *ti;
	struct dm_dev *dev;
	sector_t offset;
	dev_t md_devt;
	struct list_head node;		/* in cdm_targets */
	atomic_t inflight;		/* lower copies started */
	bool suspended;
	wait_queue_head_t wait;
	atomic64_t bytes_copied;
};

/* All copyoff targets; a live one has ti->table == its md's live table. */
static LIST_HEAD(cdm_targets);
static DEFINE_SPINLOCK(cdm_lock);

struct cdm_md {
	dev_t devt;
	struct dm_table *live;
	struct list_head node;
};
static LIST_HEAD(cdm_mds);

static struct cdm_md *md_find(dev_t devt)
{
	struct cdm_md *m;

	list_for_each_entry(m, &cdm_mds, node)
		if (m->devt == devt)
			return m;
	return NULL;
}

/* --- the target: remapping like dm-linear ------------------------------------ */

static int cdm_ctr(struct dm_target *ti, unsigned int argc, char **argv)
{
	struct cdm_target *t;
	unsigned long long off;
	u32 lbs;
	char dummy;
	int ret;

	if (argc != 2) {
		ti->error = "Invalid argument count: <device> <offset> expected";
		return -EINVAL;
	}
	if (sscanf(argv[1], "%llu%c", &off, &dummy) != 1 ||
	    off != (sector_t)off) {
		ti->error = "Invalid device offset: sectors expected";
		return -EINVAL;
	}
	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!t) {
		ti->error = "Cannot allocate the target";
		return -ENOMEM;
	}
	ret = dm_get_device(ti, argv[0], dm_table_get_mode(ti->table), &t->dev);
	if (ret) {
		ti->error = "Device lookup failed";
		kfree(t);
		return ret;
	}
	if (off + ti->len < off ||
	    off + ti->len > bdev_nr_sectors(t->dev->bdev)) {
		ti->error = "Offset and length go beyond the end of the device";
		ret = -EINVAL;
		goto bad;
	}
	lbs = bdev_logical_block_size(t->dev->bdev) >> SECTOR_SHIFT;
	if (off % lbs || ti->begin % lbs || ti->len % lbs) {
		ti->error = "Start, length or offset not aligned to the device's logical block size";
		ret = -EINVAL;
		goto bad;
	}
	t->ti = ti;
	t->offset = off;
	t->md_devt = disk_devt(dm_disk(dm_table_get_md(ti->table)));
	t->suspended = true;
	atomic_set(&t->inflight, 0);
	atomic64_set(&t->bytes_copied, 0);
	init_waitqueue_head(&t->wait);
	spin_lock(&cdm_lock);
	list_add_tail(&t->node, &cdm_targets);
	spin_unlock(&cdm_lock);

	ti->num_flush_bios = 1;
	ti->num_discard_bios = 1;
	ti->num_write_zeroes_bios = 1;
	ti->private = t;
	return 0;
bad:
	dm_put_device(ti, t->dev);
	kfree(t);
	return ret;
}

static void cdm_dtr(struct dm_target *ti)
{
	struct cdm_target *t = ti->private;
	struct cdm_target *o;
	struct cdm_md *m;
	bool last = true;

	wait_event(t->wait, !atomic_read(&t->inflight));
	spin_lock(&cdm_lock);
	list_del(&t->node);
	m = md_find(t->md_devt);
	list_for_each_entry(o, &cdm_targets, node)
		if (o->md_devt == t->md_devt)
			last = false;
	if (m && (last || m->live == ti->table)) {
		if (last) {
			list_del(&m->node);
			kfree(m);
		} else {
			m->live = NULL;
		}
	}
	spin_unlock(&cdm_lock);
	dm_put_device(ti, t->dev);
	kfree(t);
}

static int cdm_map(struct dm_target *ti, struct bio *bio)
{
	struct cdm_target *t = ti->private;

	bio_set_dev(bio, t->dev->bdev);
	if (bio_sectors(bio) || op_is_zone_mgmt(bio_op(bio)))
		bio->bi_iter.bi_sector = t->offset +
					 dm_target_offset(ti, bio->bi_iter.bi_sector);
	return DM_MAPIO_REMAPPED;
}

static void cdm_status(struct dm_target *ti, status_type_t type,
		       unsigned int status_flags, char *result,
		       unsigned int maxlen)
{
	struct cdm_target *t = ti->private;
	unsigned int sz = 0;

	switch (type) {
	case STATUSTYPE_INFO:
		DMEMIT("copies_in_flight %d bytes_copied %lld",
		       atomic_read(&t->inflight),
		       (long long)atomic64_read(&t->bytes_copied));
		break;
	case STATUSTYPE_TABLE:
		DMEMIT("%s %llu", t->dev->name, (unsigned long long)t->offset);
		break;
	default:
		if (maxlen)
			result[0] = '\0';
		break;
	}
}

static int cdm_iterate_devices(struct dm_target *ti,
			       iterate_devices_callout_fn fn, void *data)
{
	struct cdm_target *t = ti->private;

	return fn(ti, t->dev, t->offset, ti->len, data);
}

static void cdm_presuspend(struct dm_target *ti)
{
	struct cdm_target *t = ti->private;

	spin_lock(&cdm_lock);
	t->suspended = true;
	spin_unlock(&cdm_lock);
	wait_event(t->wait, !atomic_read(&t->inflight));
}

/*
 * A suspend that fails after presuspend (interrupted while waiting for I/O,
 * or the filesystem could not be frozen) leaves the table live: take copies
 * again, as before it.
 */
static void cdm_presuspend_undo(struct dm_target *ti)
{
	struct cdm_target *t = ti->private;

	spin_lock(&cdm_lock);
	t->suspended = false;
	spin_unlock(&cdm_lock);
}

static void cdm_resume(struct dm_target *ti)
{
	struct cdm_target *t = ti->private;
	struct cdm_md *m, *n = kzalloc(sizeof(*n), GFP_KERNEL);

	spin_lock(&cdm_lock);
	m = md_find(t->md_devt);
	if (!m && n) {
		n->devt = t->md_devt;
		list_add_tail(&n->node, &cdm_mds);
		m = n;
		n = NULL;
	}
	if (m)
		m->live = ti->table;
	t->suspended = false;
	spin_unlock(&cdm_lock);
	kfree(n);
}

static struct target_type cdm_target_type = {
	.name		= "copyoff",
	.version	= {1, 0, 0},
	.module		= THIS_MODULE,
	.ctr		= cdm_ctr,
	.dtr		= cdm_dtr,
	.map		= cdm_map,
	.status		= cdm_status,
	.iterate_devices = cdm_iterate_devices,
	.presuspend	= cdm_presuspend,
	.presuspend_undo = cdm_presuspend_undo,
	.resume		= cdm_resume,
};

/* --- the provider: copies remapped to the devices below ----------------------- */

/* The remappers other modules registered (copyoff_dm/remap.h). */
static LIST_HEAD(cdm_remappers);
static DEFINE_SPINLOCK(cdm_remappers_lock);

int copyoff_dm_register_remapper(struct copyoff_dm_remapper *r)
{
	spin_lock(&cdm_remappers_lock);
	list_add_tail(&r->node, &cdm_remappers);
	spin_unlock(&cdm_remappers_lock);
	return 0;
}
EXPORT_SYMBOL_GPL(copyoff_dm_register_remapper);

/*
 * After this no new piece is remapped by @r; the pieces it holds are its own
 * to wait for before it goes.
 */
void copyoff_dm_unregister_remapper(struct copyoff_dm_remapper *r)
{
	spin_lock(&cdm_remappers_lock);
	list_del(&r->node);
	spin_unlock(&cdm_remappers_lock);
}
EXPORT_SYMBOL_GPL(copyoff_dm_unregister_remapper);

static void cdm_own_put(struct copyoff_dm_piece *p, u64 copied);

/* copyoff's own target as a remapper: pieces held on a struct cdm_target. */
static const struct copyoff_dm_remapper cdm_own = {
	.put	= cdm_own_put,
};

/*
 * Byte @off of @bdev on a dm device made of copyoff targets: 1 with the
 * piece held on the target, -EAGAIN when that target is suspended, 0 when
 * the device is not ours; 0 with *@ours set when no copyoff target of its
 * live table holds @off (a line of another type: a remapper may know it).
 */
static int cdm_own_remap(struct block_device *bdev, u64 off,
			 struct copyoff_dm_piece *p, bool *ours)
{
	sector_t sector = off >> SECTOR_SHIFT;
	struct cdm_target *t;
	struct cdm_md *m;
	int ret = 0;

	spin_lock(&cdm_lock);
	m = md_find(bdev->bd_dev);
	*ours = m;
	if (!m)
		goto out;
	list_for_each_entry(t, &cdm_targets, node) {
		if (t->md_devt != m->devt || t->ti->table != m->live)
			continue;
		if (sector < t->ti->begin || sector >= t->ti->begin + t->ti->len)
			continue;
		ret = -EAGAIN;
		if (!t->suspended) {
			atomic_inc(&t->inflight);
			p->r = &cdm_own;
			p->hold = t;
			p->bdev = t->dev->bdev;
			p->off = ((u64)(t->offset + sector - t->ti->begin)
				  << SECTOR_SHIFT) + (off & (SECTOR_SIZE - 1));
			p->avail = ((u64)(t->ti->begin + t->ti->len) << SECTOR_SHIFT) - off;
			ret = 1;
		}
		break;
	}
out:
	spin_unlock(&cdm_lock);
	return ret;
}

static void cdm_target_put(struct cdm_target *t)
{
	if (atomic_dec_and_test(&t->inflight))
		wake_up(&t->wait);
}

static void cdm_own_put(struct copyoff_dm_piece *p, u64 copied)
{
	struct cdm_target *t = p->hold;

	atomic64_add(copied, &t->bytes_copied);
	cdm_target_put(t);
}

static void cdm_piece_put(struct copyoff_dm_piece *p, u64 copied)
{
	if (p->r)
		p->r->put(p, copied);
	p->r = NULL;
}

/*
 * Where byte @off of @bdev lands below, held (cdm_piece_put()): through a
 * copyoff target of @bdev's live table, or through a registered remapper.
 * For a device nobody remaps, itself (nothing held).  Returns false when it
 * cannot be remapped now, or is a part of a table of ours that nobody
 * remaps (it is emulated through the dm device).
 */
static bool cdm_remap(struct block_device *bdev, u64 off,
		      struct copyoff_dm_piece *p)
{
	struct copyoff_dm_remapper *r;
	bool ours;
	int ret;

	p->r = NULL;
	ret = cdm_own_remap(bdev, off, p, &ours);
	if (!ret) {
		spin_lock(&cdm_remappers_lock);
		list_for_each_entry(r, &cdm_remappers, node) {
			ret = r->remap(bdev, off, p);
			if (ret)
				break;
		}
		spin_unlock(&cdm_remappers_lock);
	}
	if (ret < 0 || (!ret && ours))
		return false;
	if (!ret) {
		p->bdev = bdev;
		p->off = off;
		p->avail = U64_MAX;
	}
	return true;
}

/*
 * The parts of a dm device of ours, for a capability answer: up to @max live,
 * unsuspended targets, each held.  Returns how many, or -1 when the device
 * is not ours.
 */
static int cdm_own_parts(struct block_device *bdev,
			 struct copyoff_dm_piece *parts, int max)
{
	struct cdm_target *t;
	struct cdm_md *m;
	int n = 0;

	spin_lock(&cdm_lock);
	m = md_find(bdev->bd_dev);
	if (!m) {
		spin_unlock(&cdm_lock);
		return -1;
	}
	list_for_each_entry(t, &cdm_targets, node) {
		if (n == max)
			break;
		if (t->md_devt != m->devt || t->ti->table != m->live ||
		    t->suspended)
			continue;
		atomic_inc(&t->inflight);
		parts[n].r = &cdm_own;
		parts[n].hold = t;
		parts[n].bdev = t->dev->bdev;
		n++;
	}
	spin_unlock(&cdm_lock);
	return n;
}

/*
 * The devices a side of a copy lands on: the parts of a dm device of ours
 * or of a registered remapper (held), or the device itself.
 */
struct cdm_side {
	struct copyoff_dm_piece parts[8];
	int n;				/* parts, -1: nobody's */
};

static int cdm_side_get(struct cdm_side *side, struct block_device *bdev)
{
	struct copyoff_dm_remapper *r;

	side->n = cdm_own_parts(bdev, side->parts, ARRAY_SIZE(side->parts));
	if (side->n < 0) {
		spin_lock(&cdm_remappers_lock);
		list_for_each_entry(r, &cdm_remappers, node) {
			side->n = r->parts(bdev, side->parts,
					   ARRAY_SIZE(side->parts));
			if (side->n >= 0)
				break;
		}
		spin_unlock(&cdm_remappers_lock);
	}
	return side->n < 0 ? 1 : side->n;
}

static struct block_device *cdm_side_bdev(struct cdm_side *side,
					  struct block_device *bdev, int i)
{
	return side->n < 0 ? bdev : side->parts[i].bdev;
}

static void cdm_side_put(struct cdm_side *side)
{
	int i;

	for (i = 0; i < side->n; i++)
		cdm_piece_put(&side->parts[i], 0);
}

/*
 * The capability of a copy from @src to @dst, one of them (or both) a dm
 * device of ours, is that of the devices below: offload is claimed when a
 * copy from a device below the source to a device below the destination can
 * be offloaded (for a copy within one dm device, a part to itself or to
 * another part).  Lower copies are started with the caller's flags, so a
 * copy that must not be emulated fails where a part of it would be.  The
 * detail (asked for with COPYOFF_QUERY_DETAIL, never passed below) lists
 * each source part's device and the provider that offloads from it ("-"
 * for emulation).
 */
static int cdm_query(struct copyoff_provider *prov, struct block_device *src,
		     struct block_device *dst, struct copyoff_limits *lim)
{
	struct cdm_side *s, *d;
	unsigned int below = lim->flags & ~COPYOFF_QUERY_DETAIL;
	bool detail = lim->flags & COPYOFF_QUERY_DETAIL;
	int ns, nd, i, j, can = 0;
	size_t len = 0;

	s = kmalloc_array(2, sizeof(*s), GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	d = s + 1;
	ns = cdm_side_get(s, src);
	nd = cdm_side_get(d, dst);
	if (s->n < 0 && d->n < 0)
		goto out;
	lim->detail[0] = '\0';
	for (i = 0; i < ns; i++) {
		struct block_device *sb = cdm_side_bdev(s, src, i);
		char name[16] = "-";
		struct copyoff_limits l;

		/* within one dm device, a part to its own device first */
		for (j = src == dst ? -1 : 0; j < nd; j++) {
			struct block_device *db = j < 0 ? sb :
						  cdm_side_bdev(d, dst, j);

			if (j >= 0 && src == dst && db == sb)
				continue;
			if (!copyoff_query(sb, db, &l, below,
					   detail ? name : NULL, sizeof(name))) {
				can++;
				break;
			}
		}
		if (detail && len < sizeof(lim->detail))
			len += scnprintf(lim->detail + len, sizeof(lim->detail) - len,
					 "%s%s:%s", i ? " " : "",
					 sb->bd_disk->disk_name, name);
	}
out:
	cdm_side_put(s);
	cdm_side_put(d);
	kfree(s);
	if (!can)
		return -EOPNOTSUPP;
	lim->max_bytes = 16ULL << 20;
	lim->max_seg_bytes = 16ULL << 20;
	lim->max_segs = 64;
	lim->align = max(bdev_logical_block_size(src),
			 bdev_logical_block_size(dst));
	return 0;
}

/*
 * One chunk: its pieces are copied below in batches.  A batch is up to
 * CDM_BATCH pieces that follow each other in the chunk (a striped volume's
 * chunks, the lines of a table); its pieces with the same pair of devices
 * below are one copy of several ranges, and the batch's copies run side by
 * side.  The chunk's progress is the run of leading pieces copied whole:
 * a piece after a failed one may have been copied too, which only rewrites
 * bytes the core then copies again, from the same source.
 */
#define CDM_BATCH	32

struct cdm_chunk {
	struct copyoff_chunk *chunk;
	unsigned int seg;		/* next segment */
	u64 seg_off;			/* next byte in it */
	u64 dst_off;			/* its destination on chunk->dst */
	u64 done;			/* bytes of the chunk copied so far */
	bool cannot;			/* the batch stopped at a part not remapped */
	unsigned int n;			/* pieces in the batch */
	struct copyoff_dm_piece sp[CDM_BATCH], dp[CDM_BATCH];	/* held */
	u8 ridx[CDM_BATCH];		/* each piece's range in @ranges */
	struct copyoff_range piece[CDM_BATCH];	/* in chunk order */
	struct copyoff_range ranges[CDM_BATCH];	/* grouped by device pair */
	atomic_t copies;		/* the batch's copies not yet ended, + 1 */
	int error;			/* the first copy's error (cmpxchg) */
	atomic64_t emulated;		/* bytes the copies below emulated */
	struct work_struct work;
};

static void cdm_next(struct cdm_chunk *c);

static void cdm_end(struct cdm_chunk *c, int status)
{
	copyoff_chunk_end(c->chunk, status, c->done);
	kfree(c);
}

/* Every copy of the batch has ended: put its pieces, account, go on. */
static void cdm_batch_end(struct cdm_chunk *c)
{
	struct copyoff_chunk *chunk = c->chunk;
	bool whole = true;
	unsigned int i;
	int error;

	chunk->emulated += atomic64_read(&c->emulated);
	for (i = 0; i < c->n; i++) {
		struct copyoff_range *r = &c->ranges[c->ridx[i]];

		cdm_piece_put(&c->sp[i], r->comp_len);
		cdm_piece_put(&c->dp[i], 0);
		if (whole && r->comp_len == r->len) {
			c->done += r->len;
			c->seg_off += r->len;
			c->dst_off += r->len;
			if (c->seg_off == chunk->segs[c->seg].len) {
				c->seg++;
				c->seg_off = 0;
			}
		} else if (whole) {
			c->done += r->comp_len;
			whole = false;
		}
	}
	error = READ_ONCE(c->error);
	if (!whole || error) {
		/*
		 * A refusal below (overlap after remapping...): emulate here,
		 * unless the caller forbade it (then -EOPNOTSUPP fails it).
		 */
		if (!error || error == -EINVAL)
			error = -EOPNOTSUPP;
		cdm_end(c, error);
		return;
	}
	if (c->cannot) {
		cdm_end(c, -EOPNOTSUPP);
		return;
	}
	/* the next batch is started from process context */
	queue_work(system_unbound_wq, &c->work);
}

static void cdm_copy_end(void *priv, int error, u64 copied, u64 offloaded)
{
	struct cdm_chunk *c = priv;

	atomic64_add(copied - min(offloaded, copied), &c->emulated);
	if (error)
		cmpxchg(&c->error, 0, error);
	if (atomic_dec_and_test(&c->copies))
		cdm_batch_end(c);
}

static void cdm_work(struct work_struct *work)
{
	cdm_next(container_of(work, struct cdm_chunk, work));
}

/*
 * Remap the pieces of the next batch, held, from the chunk's current
 * position: until CDM_BATCH pieces, the chunk's end, or a part that cannot
 * be remapped (c->cannot).
 */
static void cdm_batch_fill(struct cdm_chunk *c, struct copyoff_range *piece)
{
	struct copyoff_chunk *chunk = c->chunk;
	unsigned int seg = c->seg;
	u64 seg_off = c->seg_off, dst_off = c->dst_off, len;

	c->n = 0;
	c->cannot = false;
	while (c->n < CDM_BATCH && seg < chunk->nr_segs) {
		struct copyoff_dm_piece *sp = &c->sp[c->n], *dp = &c->dp[c->n];

		if (!cdm_remap(chunk->src, chunk->segs[seg].src_off + seg_off, sp)) {
			c->cannot = true;
			break;
		}
		if (!cdm_remap(chunk->dst, dst_off, dp)) {
			cdm_piece_put(sp, 0);
			c->cannot = true;
			break;
		}
		len = min3(chunk->segs[seg].len - seg_off, sp->avail, dp->avail);
		piece[c->n].src_off = sp->off;
		piece[c->n].dst_off = dp->off;
		piece[c->n].len = len;
		piece[c->n].comp_len = 0;
		c->n++;
		dst_off += len;
		seg_off += len;
		if (seg_off == chunk->segs[seg].len) {
			seg++;
			seg_off = 0;
		}
	}
}

static void cdm_next(struct cdm_chunk *c)
{
	struct copyoff_chunk *chunk = c->chunk;
	unsigned int i, j, g, ng, nr, first[CDM_BATCH], by[CDM_BATCH];
	bool grouped[CDM_BATCH] = { };
	int ret;

	if (c->seg == chunk->nr_segs) {
		cdm_end(c, 0);
		return;
	}
	cdm_batch_fill(c, c->piece);
	if (!c->n) {
		cdm_end(c, -EOPNOTSUPP);
		return;
	}
	/*
	 * Group the pieces by their pair of devices below: group g is
	 * ranges[first[g]] up to the next group's first, its devices those of
	 * piece by[g].
	 */
	for (i = 0, ng = 0, nr = 0; i < c->n; i++) {
		if (grouped[i])
			continue;
		first[ng] = nr;
		by[ng++] = i;
		for (j = i; j < c->n; j++) {
			if (grouped[j] || c->sp[j].bdev != c->sp[i].bdev ||
			    c->dp[j].bdev != c->dp[i].bdev)
				continue;
			grouped[j] = true;
			c->ridx[j] = nr;
			c->ranges[nr++] = c->piece[j];
		}
	}
	c->error = 0;
	atomic64_set(&c->emulated, 0);
	atomic_set(&c->copies, ng + 1);
	for (g = 0; g < ng; g++) {
		unsigned int cnt = (g + 1 < ng ? first[g + 1] : nr) - first[g];

		ret = copyoff_copy_async(c->sp[by[g]].bdev, c->dp[by[g]].bdev,
					 &c->ranges[first[g]], cnt, chunk->flags,
					 cdm_copy_end, c);
		if (ret)
			cdm_copy_end(c, ret, 0, 0);
	}
	if (atomic_dec_and_test(&c->copies))
		cdm_batch_end(c);
}

static void cdm_submit(struct copyoff_provider *prov,
		       struct copyoff_chunk *chunk)
{
	struct cdm_chunk *c = kzalloc(sizeof(*c), GFP_NOIO);

	if (!c) {
		copyoff_chunk_end(chunk, -ENOMEM, 0);
		return;
	}
	c->chunk = chunk;
	c->dst_off = chunk->dst_off;
	INIT_WORK(&c->work, cdm_work);
	cdm_next(c);
}

static const struct copyoff_provider_ops cdm_ops = {
	.query	= cdm_query,
	.submit	= cdm_submit,
};

static struct copyoff_provider cdm_provider = {
	.name	= "dm",
	.owner	= THIS_MODULE,
	.ops	= &cdm_ops,
};

static int __init cdm_init(void)
{
	int ret = dm_register_target(&cdm_target_type);

	if (ret)
		return ret;
	ret = copyoff_register_provider(&cdm_provider);
	if (ret)
		dm_unregister_target(&cdm_target_type);
	return ret;
}

static void __exit cdm_exit(void)
{
	copyoff_unregister_provider(&cdm_provider);
	dm_unregister_target(&cdm_target_type);
}

module_init(cdm_init);
module_exit(cdm_exit);

MODULE_DESCRIPTION("copyoff: device-mapper target passing copies down");
MODULE_AUTHOR("copyoff developers");
MODULE_LICENSE("GPL");
MODULE_VERSION(COPYOFF_VERSION);
