// SPDX-License-Identifier: GPL-2.0
/*
 * copyoff_nvmet: NVMe Copy on the stock NVMe target.
 *
 * With this module loaded, the stock nvmet of the running kernel accepts the
 * Copy command (I/O opcode 0x19, source range descriptor format 0) on bdev-
 * and file-backed namespaces and advertises it, so that a host's copy over a
 * fabric is carried out on the target and its data never crosses the network.
 * Unloading the module restores the stock behaviour.
 *
 * Design.  nvmet has no extension point for new commands, and copyoff may not
 * patch the kernel, so the module attaches to eight functions of the loaded
 * nvmet through copyoff's hook layer (include/copyoff/hook.h: ftrace, the
 * mechanism livepatch is built on, available on every Debian kernel):
 *
 *  - nvmet_bdev_parse_io_cmd() and nvmet_file_parse_io_cmd(), which nvmet
 *    calls for every I/O command of a bdev or file namespace once it has found
 *    the namespace and checked access.  For a Copy command only, the hook
 *    redirects the call to tgt_parse(), which accepts the command and points
 *    the request's ->execute at tgt_execute(); any other command runs the
 *    stock parser untouched.  Nothing calls the original from here.  A Copy
 *    on a zoned
 *    (ZNS) namespace, whose parser falls through to the bdev one, is left to
 *    the stock parser too, which answers Invalid Opcode.
 *  - nvmet_copy_to_sgl(), through which the Identify handlers (inlined into
 *    one function on 6.1) and the log page handlers hand their data to the
 *    transport: an Identify Controller gets ONCS bit 8 (Copy) and OCFS bits
 *    0 to 3 (formats 0 to 3), an Identify Namespace of a namespace we serve gets MSSRL,
 *    MCL and MSRC, the Commands Supported and Effects log of the NVM command
 *    set gets Copy's entry (CSUPP, LBCC), on the way out.  Discovery and
 *    passthrough controllers are left alone: the first serves no I/O, on the
 *    second the device answers.
 *  - nvmet_execute_get_features() and nvmet_execute_set_features(), for
 *    Host Behavior Support (FID 16h) only, on the same controllers: answered
 *    by hbs.c, which keeps the feature per controller (CDFE enables formats
 *    2 and 3); nvmet_ctrl_free(), watched, drops a controller's copy of it.
 *  - __nvmet_req_complete() and nvmet_req_uninit(), the two ways a request
 *    leaves nvmet: a request that tgt_parse() accepted is counted until it
 *    leaves, whether or not it was executed (a host can drop the connection
 *    before sending the descriptors), so no request can call into a module
 *    that is gone.  Until it is executed it holds a module reference: a
 *    host that never sends the descriptors makes an unload fail at once as
 *    "in use", not hang.  Module unload waits for the executed ones, whose
 *    copies end by themselves.
 *
 * tgt_copy_execute() (copy.c) validates the command completely, as a remote
 * host's input, and answers every violation with the status the NVM Command
 * Set names; then it queues the copy to a workqueue, so the target's I/O thread
 * never waits for it.  A bdev namespace's copy goes through copyoff_core
 * (offloaded when the backing device can, emulated otherwise); a file
 * namespace's through vfs_copy_file_range() (reflink, server-side copy or
 * splice, as the filesystem can).  A format 2 range names its source
 * namespace, looked up in the request's own subsystem (copy.c).
 *
 * The private structure layouts used (struct nvmet_req, nvmet_ns, nvmet_sq,
 * nvmet_ctrl, nvmet_subsys) are read at build time from the BTF of the
 * target kernel's nvmet.ko (see nvmet_priv.h); the build leaves this module
 * out, with a message, on a kernel where they cannot be derived.  At load,
 * the nvmet loaded must be the build they were read from (its BTF is the one
 * recorded, copyoff_btf_verify()): on any other build the module attaches
 * nothing and its load fails with ENOEXEC, saying why; the rest of copyoff
 * does not need it.
 *
 * Limits (module parameters, writable at run time; a host sees new values on
 * its next Identify, and commands are checked against the current ones):
 *   max_ranges      source ranges per Copy, 1..256 (MSRC + 1), default 256
 *   max_range_kib   KiB per source range, 4..262140 (MSSRL, at most 65535
 *                   blocks), default 32768
 *   max_copy_mib    MiB per Copy command, 1..65536 (MCL), default 256
 *
 * Prefixes: tgt_, TGT_ (this module's own, every file: "the target side";
 * not nvmet_, which names the stock driver's functions and structures).
 */
#define pr_fmt(fmt) "copyoff_nvmet: " fmt

#include <linux/debugfs.h>
#include <linux/init.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/atomic.h>
#include <linux/wait.h>
#include <copyoff/compat.h>
#include <copyoff/hook.h>
#include "nvmet_priv.h"

static unsigned int max_ranges = 256;
static unsigned int max_range_kib = 32768;
static unsigned int max_copy_mib = 256;

static int set_max_ranges(const char *val, const struct kernel_param *kp)
{
	return param_set_uint_minmax(val, kp, 1, 256);
}

static int set_max_range_kib(const char *val, const struct kernel_param *kp)
{
	return param_set_uint_minmax(val, kp, 4, 65535 * 4);
}

static int set_max_copy_mib(const char *val, const struct kernel_param *kp)
{
	return param_set_uint_minmax(val, kp, 1, 65536);
}

static const struct kernel_param_ops max_ranges_ops = {
	.set = set_max_ranges, .get = param_get_uint,
};
static const struct kernel_param_ops max_range_kib_ops = {
	.set = set_max_range_kib, .get = param_get_uint,
};
static const struct kernel_param_ops max_copy_mib_ops = {
	.set = set_max_copy_mib, .get = param_get_uint,
};

module_param_cb(max_ranges, &max_ranges_ops, &max_ranges, 0644);
MODULE_PARM_DESC(max_ranges,
		 "Source ranges per Copy command advertised (MSRC + 1), 1..256 (default 256)");
module_param_cb(max_range_kib, &max_range_kib_ops, &max_range_kib, 0644);
MODULE_PARM_DESC(max_range_kib,
		 "KiB per source range advertised (MSSRL, capped at 65535 blocks), 4..262140 (default 32768)");
module_param_cb(max_copy_mib, &max_copy_mib_ops, &max_copy_mib, 0644);
MODULE_PARM_DESC(max_copy_mib,
		 "MiB per Copy command advertised (MCL), 1..65536 (default 256)");

/*
 * A request tgt_parse() accepted is, until it leaves nvmet, either
 *  - waiting: ->execute is tgt_execute; over a fabric the host sends the
 *    descriptors when the target asks for them, and may never do.  Each
 *    waiting request holds a reference on this module, so an unload is
 *    refused at once (the module is in use) rather than left waiting for a
 *    host; or
 *  - running: tgt_execute() was entered, ->execute is tgt_running_mark.  An
 *    unload waits for these: each ends with its copy below.
 */
static atomic_t tgt_waiting = ATOMIC_INIT(0);
static atomic_t tgt_running = ATOMIC_INIT(0);
static DECLARE_WAIT_QUEUE_HEAD(tgt_wait);

/* debugfs copyoff_nvmet/: the files for tests of hbs.c and copy.c */
static struct dentry *tgt_debugfs;

bool tgt_ns_usable(struct nvmet_ns *ns)
{
	return (tgt_ns_bdev(ns) || tgt_ns_file(ns)) &&
	       tgt_ns_csi(ns) == NVME_CSI_NVM;
}

void tgt_ns_limits(struct nvmet_ns *ns, struct tgt_limits *lim)
{
	u32 shift = tgt_ns_blksize_shift(ns);
	u64 range = ((u64)READ_ONCE(max_range_kib) << 10) >> shift;
	u64 copy = ((u64)READ_ONCE(max_copy_mib) << 20) >> shift;

	/* MCL is at least MSSRL: a lower max_copy_mib lowers both. */
	lim->mcl = clamp_t(u64, copy, 1, U32_MAX);
	lim->mssrl = clamp_t(u64, range, 1, min_t(u64, 65535, lim->mcl));
	lim->nr_ranges = READ_ONCE(max_ranges);
}

/* A waiting request leaves that state (executed, or gone without). */
static void tgt_waiting_put(void)
{
	if (atomic_dec_and_test(&tgt_waiting))
		wake_up(&tgt_wait);
	module_put(THIS_MODULE);
}

/* ->execute of a running request: a marker, never called by nvmet. */
static void tgt_running_mark(struct nvmet_req *req)
{
}

/* nvmet calls ->execute once the command's data is in. */
static void tgt_execute(struct nvmet_req *req)
{
	/* Counted running before the reference goes: an unload waits. */
	atomic_inc(&tgt_running);
	*tgt_req_execute(req) = tgt_running_mark;
	tgt_waiting_put();
	tgt_copy_execute(req);
}

/*
 * Entered instead of nvmet_{bdev,file}_parse_io_cmd() for a Copy command:
 * the namespace is found and writable access checked by nvmet already.
 */
static u16 tgt_parse(struct nvmet_req *req)
{
	/* Only while the module is going away: the stock answer. */
	if (!try_module_get(THIS_MODULE)) {
		tgt_req_set_error_loc(req, offsetof(struct nvme_common_command,
						    opcode));
		return COPYOFF_NVME_STATUS(COPYOFF_NVME_SCT_GENERIC,
					   COPYOFF_NVME_SC_INVALID_OPCODE) |
		       COPYOFF_NVME_DNR;
	}
	atomic_inc(&tgt_waiting);
	*tgt_req_execute(req) = tgt_execute;
	return 0;
}

/* The hooked functions but nvmet_ctrl_free() take the request first. */
static inline struct nvmet_req *tgt_hook_req(struct pt_regs *regs)
{
	return (struct nvmet_req *)copyoff_hook_arg(regs, 0);
}

/*
 * Which parser calls are redirected: Copy commands only.  nvmet found the
 * namespace before parsing.  A zoned one (ZNS: its parser hands every
 * command it does not know to the bdev parser) keeps the stock answer,
 * Invalid Opcode: sequential zones take no copy written out of order.
 */
static bool notrace tgt_parse_want(struct pt_regs *regs)
{
	struct nvmet_req *req = tgt_hook_req(regs);

	return tgt_req_cmd(req)->common.opcode == COPYOFF_NVME_CMD_COPY &&
	       tgt_ns_usable(tgt_req_ns(req));
}

/* A request leaves nvmet (completed, or uninitialised without running). */
static void notrace tgt_done_watch(struct pt_regs *regs)
{
	struct nvmet_req *req = tgt_hook_req(regs);
	tgt_execute_fn fn;

	fn = *tgt_req_execute(req);
	if (fn != tgt_execute && fn != tgt_running_mark)
		return;
	/* Leaving nvmet: the request struct may carry a new command next. */
	*tgt_req_execute(req) = NULL;
	if (fn == tgt_execute)
		tgt_waiting_put();
	else if (atomic_dec_and_test(&tgt_running))
		wake_up(&tgt_wait);
}

static void tgt_amend_ctrl(u8 *id)
{
	__le16 *oncs = (__le16 *)(id + COPYOFF_NVME_IDC_ONCS);
	__le16 *ocfs = (__le16 *)(id + COPYOFF_NVME_IDC_OCFS);

	*oncs |= cpu_to_le16(COPYOFF_NVME_ONCS_COPY);
	*ocfs |= cpu_to_le16(TGT_OCFS);
}

static void tgt_amend_ns(struct nvmet_ns *ns, u8 *id)
{
	struct tgt_limits lim;

	tgt_ns_limits(ns, &lim);
	put_unaligned_le16(lim.mssrl, id + COPYOFF_NVME_IDNS_MSSRL);
	put_unaligned_le32(lim.mcl, id + COPYOFF_NVME_IDNS_MCL);
	id[COPYOFF_NVME_IDNS_MSRC] = lim.nr_ranges - 1;
}

/* Commands Supported and Effects, NVM command set: Copy changes blocks. */
static void tgt_amend_effects(struct nvme_effects_log *log)
{
	log->iocs[COPYOFF_NVME_CMD_COPY] |=
		cpu_to_le32(NVME_CMD_EFFECTS_CSUPP | NVME_CMD_EFFECTS_LBCC);
}

/*
 * nvmet_copy_to_sgl(req, off, buf, len): amend admin data on its way out.
 * Identify Controller and Namespace and the Commands Supported and Effects
 * log are 4096 bytes each, and nvmet hands each one over in a single call
 * at offset 0, after checking the host's buffer length.  Only I/O
 * controllers of NVM subsystems are amended: a discovery controller has no
 * I/O queues, and a passthrough controller's device answers for itself.
 */
static void notrace tgt_admin_data_watch(struct pt_regs *regs)
{
	struct nvmet_req *req = tgt_hook_req(regs);
	u8 *buf = (u8 *)copyoff_hook_arg(regs, 2);
	struct nvme_command *cmd;
	struct nvmet_ns *ns;

	if (copyoff_hook_arg(regs, 1) != 0 ||
	    copyoff_hook_arg(regs, 3) != COPYOFF_NVME_IDENTIFY_SIZE)
		return;
	BUILD_BUG_ON(sizeof(struct nvme_effects_log) !=
		     COPYOFF_NVME_IDENTIFY_SIZE);
	cmd = tgt_req_cmd(req);
	if (!tgt_req_sq(req) || tgt_sq_qid(tgt_req_sq(req)) != 0 ||
	    !tgt_req_io_ctrl(req))
		return;

	switch (cmd->common.opcode) {
	case nvme_admin_identify:
		switch (cmd->identify.cns) {
		case NVME_ID_CNS_CTRL:
			tgt_amend_ctrl(buf);
			break;
		case NVME_ID_CNS_NS:
			ns = tgt_req_ns(req);
			if (ns && tgt_ns_usable(ns))
				tgt_amend_ns(ns, buf);
			break;
		}
		break;
	case nvme_admin_get_log_page:
		/* Copy is not served on zoned namespaces: CSI 0 only. */
		if (cmd->get_log_page.lid == NVME_LOG_CMD_EFFECTS &&
		    cmd->get_log_page.csi == NVME_CSI_NVM)
			tgt_amend_effects((struct nvme_effects_log *)buf);
		break;
	}
}

/* nvmet_ctrl_free(struct kref *): a controller's Host Behavior Support goes */
static void notrace tgt_ctrl_free_watch(struct pt_regs *regs)
{
	tgt_hbs_ctrl_free((void *)copyoff_hook_arg(regs, 0));
}

/*
 * nvmet_execute_{get,set}_features(req): Host Behavior Support (FID 16h)
 * on an I/O controller of an NVM subsystem (the controllers whose OCFS is
 * amended) is answered by hbs.c; every other feature, and every other
 * controller, keeps the stock handler.
 */
static bool notrace tgt_features_want(struct pt_regs *regs)
{
	struct nvmet_req *req = tgt_hook_req(regs);

	return (le32_to_cpu(tgt_req_cmd(req)->common.cdw10) & 0xff) ==
		       COPYOFF_NVME_FEAT_HOST_BEHAVIOR &&
	       tgt_req_sq(req) && tgt_req_io_ctrl(req);
}

static u16 tgt_parse_bdev(struct nvmet_req *req);
static u16 tgt_parse_file(struct nvmet_req *req);
static void tgt_get_features(struct nvmet_req *req);
static void tgt_set_features(struct nvmet_req *req);

/*
 * In the order they are attached: completion tracking first, so that every
 * request tgt_parse() accepts is seen leaving, and the end of a controller,
 * so that no Host Behavior Support outlives it; detached in the reverse
 * order, the parsers, features and the admin data first (TGT_HOOKS_ENTRY of
 * them).
 */
enum {
	TGT_HOOK_PARSE_BDEV = 3, TGT_HOOK_PARSE_FILE, TGT_HOOK_GET_FEAT,
	TGT_HOOK_SET_FEAT,
};
static struct copyoff_hook tgt_hooks[] = {
	{ .func = "__nvmet_req_complete", .watch = tgt_done_watch },
	{ .func = "nvmet_req_uninit", .watch = tgt_done_watch },
	{ .func = "nvmet_ctrl_free", .watch = tgt_ctrl_free_watch },
	[TGT_HOOK_PARSE_BDEV] = { .func = "nvmet_bdev_parse_io_cmd",
		.redirect = tgt_parse_bdev, .want = tgt_parse_want },
	[TGT_HOOK_PARSE_FILE] = { .func = "nvmet_file_parse_io_cmd",
		.redirect = tgt_parse_file, .want = tgt_parse_want },
	[TGT_HOOK_GET_FEAT] = { .func = "nvmet_execute_get_features",
		.redirect = tgt_get_features, .want = tgt_features_want },
	[TGT_HOOK_SET_FEAT] = { .func = "nvmet_execute_set_features",
		.redirect = tgt_set_features, .want = tgt_features_want },
	{ .func = "nvmet_copy_to_sgl", .watch = tgt_admin_data_watch },
};
#define TGT_HOOKS_DONE	3
#define TGT_HOOKS_ENTRY	(ARRAY_SIZE(tgt_hooks) - TGT_HOOKS_DONE)

static void tgt_get_features(struct nvmet_req *req)
{
	tgt_hbs_get(req);
	copyoff_hook_leave(&tgt_hooks[TGT_HOOK_GET_FEAT]);
}

static void tgt_set_features(struct nvmet_req *req)
{
	tgt_hbs_set(req);
	copyoff_hook_leave(&tgt_hooks[TGT_HOOK_SET_FEAT]);
}

/* The redirects, one per parser: each leaves its own hook. */
static u16 tgt_parse_bdev(struct nvmet_req *req)
{
	u16 status = tgt_parse(req);

	copyoff_hook_leave(&tgt_hooks[TGT_HOOK_PARSE_BDEV]);
	return status;
}

static u16 tgt_parse_file(struct nvmet_req *req)
{
	u16 status = tgt_parse(req);

	copyoff_hook_leave(&tgt_hooks[TGT_HOOK_PARSE_FILE]);
	return status;
}

static int __init copyoff_nvmet_init(void)
{
	int ret;

	/* nvmet stays loaded while this module is (nvmet_req_complete) */
	if (copyoff_btf_verify("copyoff_nvmet", "nvmet", COPYOFF_BTF_NVMET_CRC,
			       COPYOFF_BTF_NVMET_LEN,
			       "its private layouts are not used: not attaching, NVMe Copy stays off on the target"))
		return -ENOEXEC;
	tgt_debugfs = debugfs_create_dir("copyoff_nvmet", NULL);
	ret = tgt_copy_init(tgt_debugfs);
	if (ret)
		goto fail_debugfs;
	tgt_hbs_init(tgt_debugfs);
	ret = copyoff_hooks_attach(tgt_hooks, ARRAY_SIZE(tgt_hooks),
				   THIS_MODULE, "copyoff_nvmet");
	if (ret)
		goto fail;
	pr_info("NVMe Copy enabled on the stock target (copyoff %s; ranges %u, %u KiB per range, %u MiB per command)\n",
		copyoff_version(), max_ranges, max_range_kib, max_copy_mib);
	return 0;

fail:
	debugfs_remove_recursive(tgt_debugfs);
	tgt_hbs_exit();
	tgt_copy_exit();
	return ret;
fail_debugfs:
	debugfs_remove_recursive(tgt_debugfs);
	return ret;
}

/*
 * Reached with no request waiting for its data (each holds a module
 * reference) unless the unload is forced: then those are waited for too,
 * as nothing else keeps them from calling tgt_execute() later.
 */
static void __exit copyoff_nvmet_exit(void)
{
	unsigned int n;

	n = atomic_read(&tgt_running);
	if (n)
		pr_info("unloading: waiting for %u Copy command(s) in flight\n",
			n);
	n = atomic_read(&tgt_waiting);
	if (n)
		pr_warn("forced unload: waiting for %u Copy command(s) whose data a host has not sent\n",
			n);
	/*
	 * No new Copy accepted, no admin data amended from here on; the
	 * layer waits until nobody is inside tgt_parse() any more.
	 */
	copyoff_hooks_detach(&tgt_hooks[TGT_HOOKS_DONE], TGT_HOOKS_ENTRY);
	wait_event(tgt_wait, !atomic_read(&tgt_running) &&
		   !atomic_read(&tgt_waiting));
	/* ... and until whoever completed the last request has left. */
	copyoff_hooks_detach(tgt_hooks, TGT_HOOKS_DONE);
	debugfs_remove_recursive(tgt_debugfs);
	tgt_hbs_exit();
	tgt_copy_exit();
	pr_info("NVMe Copy disabled: the target is stock again\n");
}

module_init(copyoff_nvmet_init);
module_exit(copyoff_nvmet_exit);

MODULE_DESCRIPTION("copyoff: NVMe Copy on the stock NVMe target");
MODULE_AUTHOR("copyoff developers");
MODULE_LICENSE("GPL");
MODULE_VERSION(COPYOFF_VERSION);
MODULE_SOFTDEP("pre: nvmet");
