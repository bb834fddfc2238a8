// SPDX-License-Identifier: GPL-2.0
/*
 * copyoff_nvme: the NVMe provider for copyoff_core.
 *
 * For a copy within one NVMe namespace (or between partitions of one), the
 * core's chunks become NVMe Copy commands (opcode 0x19, source range
 * descriptors of format 0) sent through the stock driver's passthrough path
 * (copy.c).  Between two namespaces of one controller, where the controller
 * has descriptor format 2 (TP 4130: OCFS bit 2), the commands go to the
 * destination namespace with format 2 descriptors naming the source
 * (query_xns()); discovery enables the format in CDFE of Host Behavior
 * Support (enable_format2()).  Other copies between devices are emulated by
 * the core.
 *
 * Discovery.  Whether a namespace supports Copy, and its limits, come from
 * Identify Controller (ONCS bit 8, OCFS) and Identify Namespace (MSSRL, MCL,
 * MSRC).  Nothing nvme-core exports sends an Identify on a namespace's
 * controller by itself, so the provider sends it with nvme-core's exported
 * nvme_submit_sync_cmd() on the controller's admin queue, found through the
 * driver's layouts read from BTF at build time (path.c), with a kernel
 * buffer, from any context: at load (in modprobe) for every namespace
 * present, and later for a namespace first met by a copy or an info request
 * (a hot-plugged controller, an "nvme connect"), a kernel thread's included.
 * Reading a sysfs attribute never starts discovery: it is answered from the
 * cache.  A build without those layouts, or a load on an nvme_core that is
 * not the build they were read from (copyoff_btf_verify(): its BTF differs
 * from the recorded one; parameter private_layouts says N), uses the
 * driver's admin passthrough ioctl with a buffer mapped for the moment in the
 * calling process, and only from a privileged process.  The answers,
 * failures included, are cached per namespace, keyed on what they depend
 * on: the disk (dev_t, disk sequence number), its logical block size,
 * capacity and integrity size, so that a Format NVM is seen.
 *
 * Namespaces formatted with metadata or end-to-end protection are not
 * offloaded: a Copy would need PRINFO and reference tags for the
 * destination, and the emulation's reads and writes get the driver's
 * protection handling as any I/O does.
 *
 * Multipath: a fabrics (or shared) namespace shows as a head disk
 * nvme<S>n<H> whose queue is bio-based; commands go to a live, ANA-optimized
 * path (path.c).  Between two heads of one subsystem, format 2 Copy goes to
 * a path of the destination on a controller with a usable path of the
 * source (path.c), with the layouts only.  CDFE is enabled only on the
 * controller of the destination head's best path at discovery: a Copy sent
 * through another controller (the only one with a usable path of both) is
 * refused with Invalid Field and emulated, and the rediscovery that follows
 * enables CDFE on the best path's controller again, not on that one.
 *
 * Prefix: copyoff_nvme_ (the module's, nvme_copy.h); this file's own are
 * named after what they act on: ns_, admin_cmd, nvme_.
 */
#define pr_fmt(fmt) "copyoff_nvme: " fmt

#include <linux/debugfs.h>
#include <linux/init.h>
#include <linux/module.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/xarray.h>
#include <linux/blk-integrity.h>
#include <linux/nvme_ioctl.h>
#include <copyoff_btf.h>
#include "nvme_copy.h"

/*
 * For tests only, in debugfs (copyoff_nvme/mssrl_override): an MSSRL in
 * blocks to assume instead of the namespace's, so that the device refuses
 * ranges that are too long; 0, the default, is the namespace's own.
 */
static u32 debug_mssrl;
static struct dentry *copyoff_nvme_debugfs;

static DEFINE_XARRAY(copyoff_nvme_nss);
/* part of every cache key: copyoff_nvme_forget() moves it */
static atomic_t copyoff_nvme_gen = ATOMIC_INIT(0);
static DEFINE_MUTEX(copyoff_nvme_discover_lock);

static bool is_nvme_disk(struct gendisk *disk)
{
	const struct block_device_operations *fops = disk->fops;

	return fops && fops->owner && !strcmp(module_name(fops->owner), "nvme_core");
}

/*
 * Whether the private layouts of nvme_core that the build read are those of
 * the nvme_core loaded: what copyoff_btf_verify() found at load.  Users may
 * read it, not set it (at load neither).
 */
bool copyoff_nvme_layouts;

static int layouts_set(const char *val, const struct kernel_param *kp)
{
	return -EPERM;
}

static const struct kernel_param_ops layouts_ops = {
	.set = layouts_set,
	.get = param_get_bool,
};

module_param_cb(private_layouts, &layouts_ops, &copyoff_nvme_layouts, 0444);
MODULE_PARM_DESC(private_layouts,
		 "Read-only: Y when the private layouts of nvme_core read at build time are used, the loaded nvme_core being the build they came from");

#ifdef HAVE_BTF_NVME_PATH
/*
 * One admin command on the controller's admin queue (path.c: of a live path
 * for a multipath head), its data (@len bytes, the direction the opcode
 * gives) in @data, a kernel buffer: any context that may sleep.
 */
static int admin_cmd_q(struct block_device *bdev, struct nvme_command *c,
		       void *data, unsigned int len)
{
	struct request_queue *q;
	struct device *dev;
	int ret;

	q = copyoff_nvme_admin_queue(bdev->bd_disk, &dev);
	if (!q) {
		ret = -ENODEV;	/* no live path now: ask again later */
		goto out;
	}
	ret = nvme_submit_sync_cmd(q, c, data, len);
	if (ret > 0)
		ret = -EIO;	/* an NVMe status: no usable answer */
out:
	if (dev)
		put_device(dev);
	return ret;
}
#endif

/*
 * Without the controller's layout: one admin command through the driver's
 * passthrough ioctl, the data landing in (or sent from) a buffer mapped for
 * the moment in the calling process.  Another thread of that process could
 * rewrite the answer before it is read back, so only a privileged process
 * (modprobe, an administrator's copy or info request) discovers this way.
 */
static int admin_cmd_ioctl(struct block_device *bdev, struct nvme_command *c,
			   void *data, unsigned int len)
{
	struct nvme_admin_cmd cmd = {
		.opcode = c->common.opcode,
		.nsid = le32_to_cpu(c->common.nsid),
		.data_len = len,
		.cdw10 = le32_to_cpu(c->common.cdw10),
		.cdw11 = le32_to_cpu(c->common.cdw11),
	};
	bool write = c->common.opcode & 1;	/* host to controller */
	unsigned long uaddr;
	int ret;

	if (len > PAGE_SIZE)
		return -EINVAL;
	if (!current->mm || (current->flags & PF_KTHREAD) ||
	    !capable(CAP_SYS_ADMIN))
		return -EAGAIN;
	uaddr = vm_mmap(NULL, 0, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, 0);
	if (IS_ERR_VALUE(uaddr))
		return (int)uaddr;
	cmd.addr = uaddr + PAGE_SIZE;
	ret = -EFAULT;
	if (copy_to_user((void __user *)uaddr, &cmd, sizeof(cmd)) ||
	    (write && copy_to_user((void __user *)(uaddr + PAGE_SIZE), data, len)))
		goto out;
	ret = compat_bdev_driver_ioctl(bdev, NVME_IOCTL_ADMIN_CMD, uaddr);
	if (ret > 0)
		ret = -EIO;	/* an NVMe status: no usable answer */
	if (!ret && !write &&
	    copy_from_user(data, (void __user *)(uaddr + PAGE_SIZE), len))
		ret = -EFAULT;
out:
	vm_munmap(uaddr, 2 * PAGE_SIZE);
	return ret;
}

static int admin_cmd(struct block_device *bdev, struct nvme_command *c,
		     void *data, unsigned int len)
{
#ifdef HAVE_BTF_NVME_PATH
	if (copyoff_nvme_layouts)
		return admin_cmd_q(bdev, c, data, len);
#endif
	return admin_cmd_ioctl(bdev, c, data, len);
}

static int nvme_identify(struct block_device *bdev, u32 nsid, u32 cns,
			 void *data)
{
	struct nvme_command c = { };

	c.identify.opcode = nvme_admin_identify;
	c.identify.nsid = cpu_to_le32(nsid);
	c.identify.cns = cns;
	return admin_cmd(bdev, &c, data, NVME_IDENTIFY_DATA_SIZE);
}

/* Get or Set Features, Host Behavior Support (current value), in @hbs. */
static int host_behavior(struct block_device *bdev, u8 opcode, void *hbs)
{
	struct nvme_command c = { };

	c.features.opcode = opcode;
	c.features.fid = cpu_to_le32(COPYOFF_NVME_FEAT_HOST_BEHAVIOR);
	return admin_cmd(bdev, &c, hbs, COPYOFF_NVME_HBS_SIZE);
}

/*
 * Descriptor format 2 on the controller of @bdev: enable it in CDFE of
 * Host Behavior Support unless it is already, keeping every other field as
 * the controller reports it (the driver's ACRE, what a user set with nvme
 * set-feature), and read it back.  Sets ns->cdfe and ns->xns.  @data is a
 * scratch buffer of at least COPYOFF_NVME_HBS_SIZE bytes.
 */
static void enable_format2(struct block_device *bdev, struct copyoff_nvme_ns *ns,
			   u8 *data)
{
	u16 cdfe;
	int ret;

	ret = host_behavior(bdev, nvme_admin_get_features, data);
	if (ret)
		goto fail;
	cdfe = get_unaligned_le16(data + COPYOFF_NVME_HBS_CDFE);
	if (!(cdfe & COPYOFF_NVME_OCFS_FMT2)) {
		put_unaligned_le16(cdfe | COPYOFF_NVME_OCFS_FMT2,
				   data + COPYOFF_NVME_HBS_CDFE);
		ret = host_behavior(bdev, nvme_admin_set_features, data);
		if (ret)
			goto fail;
		ret = host_behavior(bdev, nvme_admin_get_features, data);
		if (ret)
			goto fail;
		pr_info("%s: Host Behavior Support CDFE 0x%x -> 0x%x: Copy descriptor format 2 enabled\n",
			bdev->bd_disk->disk_name, cdfe,
			get_unaligned_le16(data + COPYOFF_NVME_HBS_CDFE));
		cdfe = get_unaligned_le16(data + COPYOFF_NVME_HBS_CDFE);
	}
	ns->cdfe = cdfe;
	ns->xns = cdfe & COPYOFF_NVME_OCFS_FMT2;
	return;
fail:
	pr_info("%s: Host Behavior Support not usable (%d): Copy descriptor format 2 not enabled\n",
		bdev->bd_disk->disk_name, ret);
}

static int nvme_discover(struct block_device *bdev, struct copyoff_nvme_ns *ns)
{
	const char *why;
	u32 lbaf, lbads;
	u8 *data;
	int nsid, ret;

	nsid = compat_bdev_driver_ioctl(bdev, NVME_IOCTL_ID, 0);
	if (nsid <= 0)
		return nsid < 0 ? nsid : -ENODEV;
	data = kmalloc(NVME_IDENTIFY_DATA_SIZE, GFP_KERNEL);
	if (!data)
		return -ENOMEM;
	ret = nvme_identify(bdev, 0, NVME_ID_CNS_CTRL, data);
	if (ret)
		goto out;
	ns->oncs = get_unaligned_le16(data + COPYOFF_NVME_IDC_ONCS);
	ns->ocfs = get_unaligned_le16(data + COPYOFF_NVME_IDC_OCFS);
	ret = nvme_identify(bdev, nsid, NVME_ID_CNS_NS, data);
	if (ret)
		goto out;
	ns->mssrl = get_unaligned_le16(data + COPYOFF_NVME_IDNS_MSSRL);
	ns->mcl = get_unaligned_le32(data + COPYOFF_NVME_IDNS_MCL);
	ns->msrc = data[COPYOFF_NVME_IDNS_MSRC];
	lbaf = get_unaligned_le32(data + COPYOFF_NVME_IDNS_LBAF + 4 *
				  COPYOFF_NVME_FLBAS_INDEX(data[COPYOFF_NVME_IDNS_FLBAS]));
	ns->ms = COPYOFF_NVME_LBAF_MS(lbaf);
	ns->dps = data[COPYOFF_NVME_IDNS_DPS];
	lbads = COPYOFF_NVME_LBAF_LBADS(lbaf);
	ns->lbads = lbads;
	ns->nsid = nsid;
	/* Format 0 is the one every Copy-capable device has (OCFS may be 0). */
	ns->copy = (ns->oncs & COPYOFF_NVME_ONCS_COPY) &&
		   (!ns->ocfs || (ns->ocfs & COPYOFF_NVME_OCFS_FMT0)) &&
		   ns->mssrl && ns->mcl;
	if (!ns->copy)
		why = "not supported";
	else if (ns->ms || COPYOFF_NVME_DPS_PIT(ns->dps))
		why = "not offloaded: metadata or protection information";
	else if (lbads < 9 || lbads > 31 || (1U << lbads) != ns->lbs)
		why = "not offloaded: the device's block size is not the driver's";
	else
		why = "offloaded";
	ns->copy = !strcmp(why, "offloaded");
	/* as a destination of copies from the controller's other namespaces */
	if (ns->copy && (ns->ocfs & COPYOFF_NVME_OCFS_FMT2))
		enable_format2(bdev, ns, data);
	pr_info("%s: nsid %u oncs 0x%x ocfs 0x%x mssrl %u mcl %u msrc %u lbads %u ms %u dps 0x%x: Copy %s\n",
		bdev->bd_disk->disk_name, nsid, ns->oncs, ns->ocfs, ns->mssrl,
		ns->mcl, ns->msrc, lbads, ns->ms, ns->dps, why);
out:
	kfree(data);
	return ret;
}

/*
 * The namespace behind @bdev, discovering it now if it is new and we are in
 * a process.  Fills @out; returns -EOPNOTSUPP when unknown or not NVMe.
 */
/* The cache key of @disk as it is now (see struct copyoff_nvme_ns). */
static void ns_key(struct gendisk *disk, struct copyoff_nvme_ns *ns)
{
	struct block_device *whole = disk->part0;
	struct blk_integrity *bi = bdev_get_integrity(whole);

	ns->devt = disk_devt(disk);
	ns->diskseq = disk->diskseq;
	ns->lbs = bdev_logical_block_size(whole);
	ns->capacity = get_capacity(disk);
	ns->tuple = bi ? bi->tuple_size : 0;
	ns->gen = atomic_read(&copyoff_nvme_gen);
}

static bool ns_key_equal(const struct copyoff_nvme_ns *a,
			 const struct copyoff_nvme_ns *b)
{
	return a->devt == b->devt && a->diskseq == b->diskseq &&
	       a->lbs == b->lbs && a->capacity == b->capacity &&
	       a->tuple == b->tuple && a->gen == b->gen;
}

static int nvme_ns_lookup(struct block_device *bdev, struct copyoff_nvme_ns *out,
			  bool discover)
{
	struct gendisk *disk = bdev->bd_disk;
	struct copyoff_nvme_ns key, *ns, *old;
	int ret;

	if (!is_nvme_disk(disk))
		return -EOPNOTSUPP;

	ns_key(disk, &key);
	xa_lock(&copyoff_nvme_nss);
	ns = xa_load(&copyoff_nvme_nss, key.devt);
	if (ns && ns_key_equal(ns, &key)) {
		*out = *ns;
		xa_unlock(&copyoff_nvme_nss);
		return out->error ? -EOPNOTSUPP : 0;
	}
	xa_unlock(&copyoff_nvme_nss);
	if (!discover)
		return -EOPNOTSUPP;

	ns = kzalloc(sizeof(*ns), GFP_KERNEL);
	if (!ns)
		return -ENOMEM;
	*ns = key;
	mutex_lock(&copyoff_nvme_discover_lock);
	ret = nvme_discover(bdev_whole(bdev), ns);
	mutex_unlock(&copyoff_nvme_discover_lock);
	if (ret == -EAGAIN || ret == -ENOMEM || ret == -EINTR ||
	    ret == -ENODEV) {
		/* not the namespace's answer: a later caller may get one */
		kfree(ns);
		return -EOPNOTSUPP;
	}
	if (ret) {
		pr_info("%s: discovery failed (%d): Copy not offloaded\n",
			disk->disk_name, ret);
		ns->error = ret;
		ns->copy = false;
	}
	*out = *ns;
	old = xa_store(&copyoff_nvme_nss, key.devt, ns, GFP_KERNEL);
	if (xa_is_err(old)) {
		kfree(ns);
		return out->error ? -EOPNOTSUPP : 0;
	}
	kfree(old);
	return out->error ? -EOPNOTSUPP : 0;
}

/*
 * Make every cached answer stale: the next query of each namespace discovers
 * it again.  Any context (a command's completion included): only a counter
 * that is part of the cache key moves.
 */
void copyoff_nvme_forget(void)
{
	atomic_inc(&copyoff_nvme_gen);
}

/* Copy limits of @ns into @lim (MSSRL capped to a 16-bit NLB). */
static void ns_limits(const struct copyoff_nvme_ns *ns, struct copyoff_limits *lim)
{
	u64 nlb_max = min_t(u64, READ_ONCE(debug_mssrl) ?: ns->mssrl, 65536);

	lim->align = ns->lbs;
	lim->max_seg_bytes = nlb_max * ns->lbs;
	lim->max_bytes = (u64)ns->mcl * ns->lbs;
	/* the descriptors of one command fit in two pages */
	lim->max_segs = min_t(u32, ns->msrc + 1,
			      2 * PAGE_SIZE / sizeof(struct copyoff_nvme_range_fmt2));
}

/*
 * Can a Copy to @dst go with sources on @src, another namespace: both NVMe
 * disks added under one device, and either both a namespace's own disk (a
 * blk-mq queue) under one controller, or both multipath heads (bio-based)
 * under one subsystem (nvme-core adds a head's disk under its subsystem's
 * device) with a live controller that has a usable path of each now
 * (path.c; at submission the path is chosen again, and with none the chunk
 * is emulated).  A head and a namespace's own disk are never under one
 * device.
 */
static bool same_controller(struct gendisk *src, struct gendisk *dst)
{
	struct device *parent = disk_to_dev(dst)->parent;

	if (!is_nvme_disk(src) || !is_nvme_disk(dst) || !parent ||
	    parent != disk_to_dev(src)->parent)
		return false;
	if (queue_is_mq(src->queue) && queue_is_mq(dst->queue))
		return true;
	return copyoff_nvme_heads_shared(dst, src);
}

/*
 * From namespace @src to namespace @dst of the same controller: Copy
 * commands on @dst with descriptors of format 2 naming @src, where @dst's
 * controller has format 2 enabled (ns.xns) and both namespaces have the
 * same LBA format (data and metadata size; only metadata-free, unprotected
 * namespaces are offloaded at all), within the limits of both namespaces
 * (the destination's MSRC and MCL bind the command, and a device may check
 * ranges against the source's MSSRL, as QEMU does).
 */
static int query_xns(struct block_device *src, struct block_device *dst,
		     struct copyoff_limits *lim)
{
	bool discover = !(lim->flags & COPYOFF_QUERY_CACHED);
	struct copyoff_nvme_ns s, d;
	struct copyoff_limits sl;

	if (!same_controller(src->bd_disk, dst->bd_disk))
		return -EOPNOTSUPP;
	if (nvme_ns_lookup(dst, &d, discover) || !d.copy || !d.xns ||
	    nvme_ns_lookup(src, &s, discover) || !s.copy || s.nsid == d.nsid)
		return -EOPNOTSUPP;
	if ((s.lbads != d.lbads || s.lbs != d.lbs || s.ms != d.ms) &&
	    !READ_ONCE(copyoff_nvme_xns_any_format))
		return -EOPNOTSUPP;
	ns_limits(&d, lim);
	ns_limits(&s, &sl);
	lim->align = max(lim->align, sl.align);
	lim->max_seg_bytes = min(lim->max_seg_bytes, sl.max_seg_bytes);
	lim->max_bytes = min(lim->max_bytes, sl.max_bytes);
	lim->max_segs = min(lim->max_segs, sl.max_segs);
	if (lim->flags & COPYOFF_QUERY_DETAIL)
		snprintf(lim->detail, sizeof(lim->detail),
			 "format 2 nsid=%u<-%u ocfs=0x%x cdfe=0x%x", d.nsid,
			 s.nsid, d.ocfs, d.cdfe);
	return 0;
}

static int copyoff_nvme_query(struct copyoff_provider *prov,
			      struct block_device *src, struct block_device *dst,
			      struct copyoff_limits *lim)
{
	struct copyoff_nvme_ns ns;

	if (src->bd_disk != dst->bd_disk)
		return query_xns(src, dst, lim);
	if (nvme_ns_lookup(src, &ns, !(lim->flags & COPYOFF_QUERY_CACHED)) ||
	    !ns.copy)
		return -EOPNOTSUPP;
	ns_limits(&ns, lim);
	if (lim->flags & COPYOFF_QUERY_DETAIL)
		snprintf(lim->detail, sizeof(lim->detail),
			 "nsid=%u oncs=0x%x ocfs=0x%x mssrl=%u mcl=%u msrc=%u",
			 ns.nsid, ns.oncs, ns.ocfs, ns.mssrl, ns.mcl, ns.msrc);
	return 0;
}

/*
 * Read-only parameter "namespaces": one line per namespace discovered, with
 * the Copy descriptor formats its controller supports (OCFS) and enables
 * (CDFE, as last read), and whether copies from the controller's other
 * namespaces to it are offloaded (xns).  man/copyoff.4 documents it.
 */
static int namespaces_get(char *buf, const struct kernel_param *kp)
{
	struct copyoff_nvme_ns *ns;
	unsigned long idx;
	int len = 0;

	xa_lock(&copyoff_nvme_nss);
	xa_for_each(&copyoff_nvme_nss, idx, ns) {
		if (ns->error)
			continue;
		len += scnprintf(buf + len, PAGE_SIZE - len,
				 "%u:%u nsid=%u copy=%d ocfs=0x%x cdfe=0x%x xns=%d\n",
				 MAJOR(ns->devt), MINOR(ns->devt), ns->nsid,
				 ns->copy, ns->ocfs, ns->cdfe, ns->xns);
	}
	xa_unlock(&copyoff_nvme_nss);
	return len;
}

static const struct kernel_param_ops namespaces_ops = {
	.set = layouts_set,
	.get = namespaces_get,
};

module_param_cb(namespaces, &namespaces_ops, NULL, 0444);
MODULE_PARM_DESC(namespaces,
		 "Read-only: the namespaces discovered (MAJ:MIN), their Copy descriptor formats supported (ocfs) and enabled (cdfe), and whether copies from other namespaces of their controller are offloaded (xns)");

static const struct copyoff_provider_ops copyoff_nvme_ops = {
	.query	= copyoff_nvme_query,
	.submit	= copyoff_nvme_submit,
};

static struct copyoff_provider copyoff_nvme_provider = {
	.name	= "nvme",
	.owner	= THIS_MODULE,
	.ops	= &copyoff_nvme_ops,
};

/* The whole NVMe disks of the block class, collected by scan_collect(). */
struct scan_list {
	dev_t *devt;
	unsigned int nr, size;
};

static int scan_collect(struct device *dev, void *data)
{
	struct scan_list *l = data;
	struct gendisk *disk = dev_to_disk(dev);

	if (dev_to_bdev(dev) != disk->part0 || (disk->flags & GENHD_FL_HIDDEN) ||
	    !is_nvme_disk(disk))
		return 0;
	if (l->nr == l->size) {
		unsigned int size = l->size ? 2 * l->size : 16;
		dev_t *n = krealloc_array(l->devt, size, sizeof(*n), GFP_KERNEL);

		if (!n)
			return -ENOMEM;
		l->devt = n;
		l->size = size;
	}
	l->devt[l->nr++] = dev->devt;
	return 0;
}

/*
 * Discover the namespaces present now, from modprobe's process: every NVMe
 * disk of the block class (namespace disks and multipath heads; path disks
 * have no node and are skipped by the open).  Opened after the walk, which
 * must not open devices.
 */
static void copyoff_nvme_scan(void)
{
	struct scan_list l = { };
	unsigned int i;

	copyoff_for_each_block_dev(scan_collect, &l);
	for (i = 0; i < l.nr; i++) {
		struct copyoff_nvme_ns ns;
		struct compat_bdev_handle h;

		if (compat_bdev_open_by_devt(l.devt[i], &h))
			continue;
		nvme_ns_lookup(h.bdev, &ns, true);
		compat_bdev_close(&h);
	}
	kfree(l.devt);
}

/*
 * Use the private layouts of nvme_core only if the loaded nvme_core is the
 * build they were read from: a module reference (nvme_submit_sync_cmd)
 * keeps that one loaded while this module is.
 */
static void copyoff_nvme_check_layouts(void)
{
#if defined(HAVE_BTF_NVME_REQUEST) || defined(HAVE_BTF_NVME_PATH)
	copyoff_nvme_layouts =
		!copyoff_btf_verify("copyoff_nvme", "nvme_core",
				    COPYOFF_BTF_NVME_CORE_CRC,
				    COPYOFF_BTF_NVME_CORE_LEN,
				    "private layouts not used");
#endif
}

static int __init copyoff_nvme_init(void)
{
	int ret;

	copyoff_nvme_check_layouts();
	ret = copyoff_nvme_copy_init();
	if (ret)
		return ret;
	copyoff_nvme_scan();
	ret = copyoff_register_provider(&copyoff_nvme_provider);
	if (ret) {
		copyoff_nvme_copy_exit();
		return ret;
	}
	copyoff_nvme_debugfs = debugfs_create_dir("copyoff_nvme", NULL);
	debugfs_create_u32("mssrl_override", 0600, copyoff_nvme_debugfs,
			   &debug_mssrl);
	debugfs_create_bool("xns_any_format", 0600, copyoff_nvme_debugfs,
			    &copyoff_nvme_xns_any_format);
	return 0;
}

static void __exit copyoff_nvme_exit(void)
{
	struct copyoff_nvme_ns *ns;
	unsigned long idx;

	debugfs_remove_recursive(copyoff_nvme_debugfs);
	copyoff_unregister_provider(&copyoff_nvme_provider);
	copyoff_nvme_copy_exit();
	xa_for_each(&copyoff_nvme_nss, idx, ns)
		kfree(ns);
	xa_destroy(&copyoff_nvme_nss);
}

module_init(copyoff_nvme_init);
module_exit(copyoff_nvme_exit);

MODULE_DESCRIPTION("copyoff: NVMe Copy offload provider");
MODULE_AUTHOR("copyoff developers");
MODULE_LICENSE("GPL");
MODULE_VERSION(COPYOFF_VERSION);
