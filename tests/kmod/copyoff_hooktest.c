// SPDX-License-Identifier: GPL-2.0
/*
 * copyoff_hooktest: claims a stock function the way another party would,
 * for the hook layer's refusals (tests/module/006).
 *
 *   mode=foreign   a plain ftrace_ops with FTRACE_OPS_FL_IPMODIFY on @func,
 *                  as a livepatch holds one; its handler changes nothing
 *   mode=copyoff   a redirect of @func through copyoff's hook layer, which
 *                  never redirects a call (its want() says no)
 *
 * Prefix: ht_ (copyoff_hooktest).
 */
#define pr_fmt(fmt) "copyoff_hooktest: " fmt

#include <linux/ftrace.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/string.h>
#include <copyoff/hook.h>

static char mode[16] = "foreign";
module_param_string(mode, mode, sizeof(mode), 0444);
MODULE_PARM_DESC(mode, "foreign (plain IPMODIFY ftrace_ops) or copyoff (hook layer)");
static char func[64];
module_param_string(func, func, sizeof(func), 0444);
MODULE_PARM_DESC(func, "the stock function to claim");

static void notrace ht_foreign(unsigned long ip, unsigned long parent_ip,
			       struct ftrace_ops *op, struct ftrace_regs *fregs)
{
}

static struct ftrace_ops ht_ops = {
	.func = ht_foreign,
	.flags = FTRACE_OPS_FL_SAVE_REGS | FTRACE_OPS_FL_IPMODIFY,
};

static bool notrace ht_want(struct pt_regs *regs)
{
	return false;
}

/* Never reached: ht_want() sends no call here. */
static void ht_redirect(void)
{
}

static struct copyoff_hook ht_hook = {
	.redirect = ht_redirect, .want = ht_want,
};

static bool ht_copyoff;

static int __init ht_init(void)
{
	int ret;

	if (!func[0])
		return -EINVAL;
	if (!strcmp(mode, "copyoff")) {
		ht_hook.func = func;
		ret = copyoff_hooks_attach(&ht_hook, 1, THIS_MODULE,
					   "copyoff_hooktest");
		ht_copyoff = !ret;
		return ret;
	}
	if (strcmp(mode, "foreign"))
		return -EINVAL;
	ret = ftrace_set_filter(&ht_ops, func, strlen(func), 0);
	if (ret)
		return ret;
	ret = register_ftrace_function(&ht_ops);
	if (ret) {
		ftrace_free_filter(&ht_ops);
		return ret;
	}
	pr_info("%s claimed with IPMODIFY\n", func);
	return 0;
}

static void __exit ht_exit(void)
{
	if (ht_copyoff) {
		copyoff_hooks_detach(&ht_hook, 1);
		return;
	}
	unregister_ftrace_function(&ht_ops);
	ftrace_free_filter(&ht_ops);
	synchronize_rcu_tasks();
}

module_init(ht_init);
module_exit(ht_exit);
MODULE_DESCRIPTION("copyoff test: claims a stock function for the hook layer's refusals");
MODULE_LICENSE("GPL");
