/* SPDX-License-Identifier: GPL-2.0 */
/*
 * copyoff's one hook layer: every attachment of a copyoff module to a stock
 * kernel function goes through here (copyoff_core/hook.c).
 *
 * A hook names a stock function and does one of two things:
 *
 *  - watch: @watch is called with the function's registers on every entry
 *    and changes nothing (it may read the arguments, and amend memory the
 *    caller owns, never the registers);
 *  - redirect: calls of the function go to @redirect instead, a function of
 *    the module with exactly the stock prototype (every argument, those on
 *    the stack too, is where the stock function would find it).  With @want
 *    set, only the calls for which it returns true are redirected; the others
 *    run the stock function untouched.
 *
 * The contract:
 *  - attach is the opt-in: until copyoff_hooks_attach() returns 0 nothing is
 *    changed, and on an error nothing stays attached.  It refuses, saying why
 *    in the kernel log, where the architecture has no ftrace with registers,
 *    where the function cannot be traced (not there: a stock module not
 *    loaded, another build), where another copyoff module already redirects
 *    it, and where somebody else already modifies it (a livepatch, another
 *    ftrace user with FTRACE_OPS_FL_IPMODIFY);
 *  - calls made from the owner module's own code (its redirect calling the
 *    stock function) are never redirected: the layer tells them by the
 *    caller's address.  The owner's sources are therefore built with
 *    -fno-optimize-sibling-calls (Kbuild), so that a call of the stock
 *    function from a redirect is never turned into a jump that would leave
 *    the original caller's address behind; call it through
 *    COPYOFF_HOOK_CALL_STOCK() to keep that true in any build;
 *  - the handlers are protected against recursion (a traced function
 *    called by @want or @watch is not hooked again on the same CPU);
 *  - @want and @watch run with preemption disabled, in any context the
 *    stock function is called from: they must not sleep;
 *  - a redirect is counted from the moment the layer sends a call to it
 *    until it calls copyoff_hook_leave(): copyoff_hooks_detach() waits for
 *    every counted call, then for every task to have left the ftrace
 *    handlers and the module's return paths (synchronize_rcu_tasks()).
 *    Work a redirect starts that outlives it (a queued job) is the owner's
 *    to count and wait for.
 */
#ifndef COPYOFF_HOOK_H
#define COPYOFF_HOOK_H

#include <linux/atomic.h>
#include <linux/ftrace.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/ptrace.h>

struct copyoff_hook {
	const char *func;		/* the stock function, by name */
	void (*watch)(struct pt_regs *regs);
	void *redirect;			/* same prototype as @func */
	bool (*want)(struct pt_regs *regs); /* NULL: redirect every call */

	/* private to the hook layer */
	struct ftrace_ops ops;
	struct module *owner;
	struct list_head node;		/* claimed functions, hook_lock */
	atomic_t active;		/* calls inside @redirect */
	bool attached;
};

/*
 * Attach @n hooks, in array order, for module @owner.  0, or a negative
 * errno with nothing attached and the reason in the kernel log, each line
 * prefixed with @who.
 */
int copyoff_hooks_attach(struct copyoff_hook *hooks, unsigned int n,
			 struct module *owner, const char *who);

/*
 * Detach @n hooks (in reverse array order) and wait as the contract says.
 * May be called on a subset first (to stop new calls before waiting for
 * the owner's work), then on the rest.
 */
void copyoff_hooks_detach(struct copyoff_hook *hooks, unsigned int n);

/* A redirect's last call before it returns (see the contract). */
void copyoff_hook_leave(struct copyoff_hook *hook);

/* The @i-th argument (0-based) of the hooked call, as an unsigned long. */
static inline unsigned long copyoff_hook_arg(struct pt_regs *regs,
					     unsigned int i)
{
	return regs_get_kernel_argument(regs, i);
}

/*
 * Call the stock function from a redirect: the empty asm after the call
 * keeps the compiler from turning it into a tail jump (see the contract).
 */
#define COPYOFF_HOOK_CALL_STOCK(call)					\
	({								\
		typeof(call) __copyoff_ret = (call);			\
		asm volatile("" : : : "memory");			\
		__copyoff_ret;						\
	})
#define COPYOFF_HOOK_CALL_STOCK_VOID(call)				\
	do {								\
		call;							\
		asm volatile("" : : : "memory");			\
	} while (0)

#endif /* COPYOFF_HOOK_H */
