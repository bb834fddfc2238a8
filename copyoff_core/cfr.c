// SPDX-License-Identifier: GPL-2.0
/*
 * copyoff_cfr: copy_file_range(2) between block devices, through copyoff.
 *
 * Stock kernels refuse copy_file_range() unless both files are regular
 * (EINVAL).  With this module loaded (the opt-in), vfs_copy_file_range()
 * calls whose two files are both block devices are redirected, through
 * copyoff's hook layer (include/copyoff/hook.h), to copyoff_core's
 * copyoff_copy_file_range(): offloaded where a provider can, emulated in the
 * kernel otherwise, page cache coherent, with the syscall's checks.  Every
 * other call (regular files, pipes, one block device and one file: stock
 * gives those its own answer) runs the stock function untouched.  The
 * syscall itself moves the offsets by the count returned, as for any file.
 * Callers inside the kernel (nfsd, ksmbd, overlayfs) pass regular files and
 * are never redirected.
 *
 * The module also carries the loop provider (loop.c): copies on loop
 * devices become copies of their backing files.
 *
 * Prefixes: cfr_ (module copyoff_cfr's own); copyoff_cfr_ (its init and exit).
 */
#define pr_fmt(fmt) "copyoff_cfr: " fmt

#include <linux/fs.h>
#include <linux/module.h>
#include <copyoff/copyoff.h>
#include <copyoff/hook.h>
#include "cfr.h"

static ssize_t cfr_copy(struct file *in, loff_t pos_in, struct file *out,
			loff_t pos_out, size_t len, unsigned int flags);

static bool notrace cfr_want(struct pt_regs *regs)
{
	struct file *in = (struct file *)copyoff_hook_arg(regs, 0);
	struct file *out = (struct file *)copyoff_hook_arg(regs, 2);

	return S_ISBLK(file_inode(in)->i_mode) &&
	       S_ISBLK(file_inode(out)->i_mode);
}

static struct copyoff_hook cfr_hook = {
	.func = "vfs_copy_file_range",
	.redirect = cfr_copy,
	.want = cfr_want,
};

/* vfs_copy_file_range()'s prototype, for two block devices. */
static ssize_t cfr_copy(struct file *in, loff_t pos_in, struct file *out,
			loff_t pos_out, size_t len, unsigned int flags)
{
	ssize_t ret = copyoff_copy_file_range(in, pos_in, out, pos_out, len,
					      flags);

	copyoff_hook_leave(&cfr_hook);
	return ret;
}

static int __init copyoff_cfr_init(void)
{
	int ret;

	ret = copyoff_loop_init();
	if (ret)
		return ret;
	ret = copyoff_hooks_attach(&cfr_hook, 1, THIS_MODULE, "copyoff_cfr");
	if (ret) {
		copyoff_loop_exit();
		return ret;
	}
	pr_info("copy_file_range() between block devices goes through copyoff %s\n",
		copyoff_version());
	return 0;
}

static void __exit copyoff_cfr_exit(void)
{
	/* Waits for every call inside cfr_copy(), copies included. */
	copyoff_hooks_detach(&cfr_hook, 1);
	copyoff_loop_exit();
	pr_info("copy_file_range() between block devices is stock again\n");
}

module_init(copyoff_cfr_init);
module_exit(copyoff_cfr_exit);

MODULE_DESCRIPTION("copyoff: copy_file_range(2) between block devices through copyoff");
MODULE_AUTHOR("copyoff developers");
MODULE_LICENSE("GPL");
MODULE_VERSION(COPYOFF_VERSION);
