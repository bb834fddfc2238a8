// SPDX-License-Identifier: GPL-2.0
/*
 * The hook layer: copyoff's attachments to stock kernel functions, through
 * ftrace (the mechanism livepatch uses).  The contract is in
 * include/copyoff/hook.h; this file keeps it.
 *
 * Every hook is one ftrace_ops with a filter on one function.  A redirect
 * asks for FTRACE_OPS_FL_IPMODIFY, which ftrace grants to one ops per
 * function: a second one (a livepatch, another tracer that moves the
 * instruction pointer) makes register_ftrace_function() fail with -EBUSY,
 * and the layer says so instead of attaching.  Between copyoff modules the
 * layer keeps its own list of redirected functions, so that the message
 * names the module that holds one.
 *
 * The handlers use full pt_regs (FTRACE_OPS_FL_SAVE_REGS) and the stable
 * pt_regs accessors, not the ftrace_regs helpers, whose names changed
 * between 6.1 and 6.12 (ftrace_instruction_pointer_set() became
 * ftrace_regs_set_instruction_pointer()).
 *
 * Prefixes: copyoff_hook_ (exported, include/copyoff/hook.h); hook_ (this
 * file's).
 */
#define pr_fmt(fmt) "copyoff_core: " fmt

#include <linux/ftrace.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/trace_recursion.h>
#include <linux/wait.h>
#include <copyoff/hook.h>

/* Redirected functions (struct copyoff_hook.node), by every copyoff module. */
static LIST_HEAD(hook_claims);
static DEFINE_MUTEX(hook_lock);
/* Woken when a redirect's count of calls in it drops to zero. */
static DECLARE_WAIT_QUEUE_HEAD(hook_wait);

static void notrace hook_handler(unsigned long ip, unsigned long parent_ip,
				 struct ftrace_ops *op,
				 struct ftrace_regs *fregs)
{
	struct copyoff_hook *h = container_of(op, struct copyoff_hook, ops);
	struct pt_regs *regs = ftrace_get_regs(fregs);
	int bit;

	bit = ftrace_test_recursion_trylock(ip, parent_ip);
	if (bit < 0)
		return;
	if (!regs)
		goto out;
	if (h->watch) {
		h->watch(regs);
		goto out;
	}
	/* The owner's redirect calling the stock function: stock it is. */
	if (within_module(parent_ip, h->owner))
		goto out;
	if (h->want && !h->want(regs))
		goto out;
	atomic_inc(&h->active);
	instruction_pointer_set(regs, (unsigned long)h->redirect);
out:
	ftrace_test_recursion_unlock(bit);
}

void copyoff_hook_leave(struct copyoff_hook *hook)
{
	if (atomic_dec_and_test(&hook->active))
		wake_up_all(&hook_wait);
}
EXPORT_SYMBOL_GPL(copyoff_hook_leave);

static struct copyoff_hook *hook_claimed(const char *func)
{
	struct copyoff_hook *h;

	lockdep_assert_held(&hook_lock);
	list_for_each_entry(h, &hook_claims, node)
		if (!strcmp(h->func, func))
			return h;
	return NULL;
}

static int hook_attach_one(struct copyoff_hook *h, struct module *owner,
			   const char *who)
{
	struct copyoff_hook *other;
	char name[128];
	int ret;

	lockdep_assert_held(&hook_lock);
	if (WARN_ON_ONCE(!h->watch == !h->redirect || (h->want && !h->redirect)))
		return -EINVAL;
	if (h->redirect) {
		other = hook_claimed(h->func);
		if (other) {
			pr_err("%s: cannot redirect %s: %s already does\n",
			       who, h->func, module_name(other->owner));
			return -EBUSY;
		}
	}
	memset(&h->ops, 0, sizeof(h->ops));
	h->ops.func = hook_handler;
	h->ops.flags = FTRACE_OPS_FL_SAVE_REGS;
	if (h->redirect)
		h->ops.flags |= FTRACE_OPS_FL_IPMODIFY;
	h->owner = owner;
	atomic_set(&h->active, 0);

	/* ftrace_set_filter() takes a writable buffer. */
	strscpy(name, h->func, sizeof(name));
	ret = ftrace_set_filter(&h->ops, name, strlen(name), 0);
	if (ret) {
		pr_err("%s: cannot attach to %s (%d): not a traceable function of this kernel, or its module is not loaded\n",
		       who, h->func, ret);
		return ret;
	}
	ret = register_ftrace_function(&h->ops);
	if (ret) {
		if (ret == -EBUSY)
			pr_err("%s: cannot attach to %s: somebody else already modifies it (a livepatch?)\n",
			       who, h->func);
		else
			pr_err("%s: cannot attach to %s (%d)\n", who, h->func,
			       ret);
		ftrace_free_filter(&h->ops);
		return ret;
	}
	if (h->redirect)
		list_add_tail(&h->node, &hook_claims);
	h->attached = true;
	return 0;
}

/* Stop new calls into @h; its filter is freed by hook_free(). */
static void hook_detach_one(struct copyoff_hook *h)
{
	lockdep_assert_held(&hook_lock);
	unregister_ftrace_function(&h->ops);
	if (h->redirect)
		list_del(&h->node);
}

static void hook_free(struct copyoff_hook *h)
{
	ftrace_free_filter(&h->ops);
	h->attached = false;
}

int copyoff_hooks_attach(struct copyoff_hook *hooks, unsigned int n,
			 struct module *owner, const char *who)
{
	unsigned int i;
	int ret = 0;

	if (!IS_ENABLED(CONFIG_DYNAMIC_FTRACE_WITH_REGS)) {
		pr_err("%s: cannot attach to %s: this kernel has no ftrace with registers (CONFIG_DYNAMIC_FTRACE_WITH_REGS)\n",
		       who, n ? hooks[0].func : "stock functions");
		return -EOPNOTSUPP;
	}
	mutex_lock(&hook_lock);
	for (i = 0; i < n; i++) {
		ret = hook_attach_one(&hooks[i], owner, who);
		if (ret)
			break;
	}
	mutex_unlock(&hook_lock);
	if (ret && i)
		copyoff_hooks_detach(hooks, i);
	return ret;
}
EXPORT_SYMBOL_GPL(copyoff_hooks_attach);

void copyoff_hooks_detach(struct copyoff_hook *hooks, unsigned int n)
{
	unsigned int i;

	mutex_lock(&hook_lock);
	for (i = n; i--;)
		if (hooks[i].attached)
			hook_detach_one(&hooks[i]);
	mutex_unlock(&hook_lock);
	/*
	 * No handler starts any more.  One that already sent a call to a
	 * redirect counted it first; the handler and the redirect's first
	 * instructions, before anything that can sleep, are left once every
	 * task has passed a voluntary schedule.
	 */
	synchronize_rcu_tasks();
	for (i = n; i--;)
		if (hooks[i].attached && hooks[i].redirect)
			wait_event(hook_wait, !atomic_read(&hooks[i].active));
	/* Whoever called copyoff_hook_leave() last has returned from it. */
	synchronize_rcu_tasks();
	for (i = n; i--;)
		if (hooks[i].attached)
			hook_free(&hooks[i]);
}
EXPORT_SYMBOL_GPL(copyoff_hooks_detach);
