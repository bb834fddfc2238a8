// SPDX-License-Identifier: GPL-2.0
/*
 * copyoff_core: the provider registry.
 *
 * Providers (copyoff_nvme, copyoff_dm, ...) register here on load.  For each
 * copy the engine asks the providers, in registration order, whether one can
 * offload between the two devices; the first that can is used, with a
 * reference on its module for the length of the copy.  With none, the copy is
 * emulated.
 *
 * Locking: the list of entries changes under providers_lock (a mutex,
 * writers only) and is walked under providers_srcu.  ->query() is called
 * inside that SRCU read section, which may sleep and nest: a stacking
 * provider (copyoff_dm) asks the registry again for the devices below it.
 * Unregistering waits with synchronize_srcu() for every walk that may
 * still see the entry before it frees it.
 *
 * Prefixes: copyoff_ (exported: providers register here); reg_ (this
 * file's).
 */
#define pr_fmt(fmt) "copyoff: " fmt

#include <linux/mutex.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <linux/srcu.h>
#include "copyoff_core.h"

/* One registered provider; the provider's own struct stays untouched. */
struct reg_entry {
	struct list_head node;		/* providers: providers_lock, SRCU */
	struct copyoff_provider *prov;	/* constant */
};

static LIST_HEAD(providers);
static DEFINE_MUTEX(providers_lock);
DEFINE_STATIC_SRCU(providers_srcu);

static struct reg_entry *reg_find(const struct copyoff_provider *prov,
				  const char *name)
{
	struct reg_entry *e;

	lockdep_assert_held(&providers_lock);
	list_for_each_entry(e, &providers, node)
		if (e->prov == prov || (name && !strcmp(e->prov->name, name)))
			return e;
	return NULL;
}

int copyoff_register_provider(struct copyoff_provider *prov)
{
	struct reg_entry *e;

	if (!prov || !prov->name || !prov->owner || !prov->ops ||
	    !prov->ops->query || !prov->ops->submit)
		return -EINVAL;
	e = kzalloc(sizeof(*e), GFP_KERNEL);
	if (!e)
		return -ENOMEM;
	e->prov = prov;

	mutex_lock(&providers_lock);
	if (reg_find(prov, prov->name)) {
		mutex_unlock(&providers_lock);
		kfree(e);
		return -EEXIST;
	}
	list_add_tail_rcu(&e->node, &providers);
	mutex_unlock(&providers_lock);
	pr_info("provider %s registered\n", prov->name);
	return 0;
}
EXPORT_SYMBOL_GPL(copyoff_register_provider);

/*
 * A provider unregisters from its module's exit, so no copy holds a
 * reference on it any more: every job takes one on prov->owner.
 */
void copyoff_unregister_provider(struct copyoff_provider *prov)
{
	struct reg_entry *e;

	mutex_lock(&providers_lock);
	e = reg_find(prov, NULL);
	if (e)
		list_del_rcu(&e->node);
	mutex_unlock(&providers_lock);
	if (WARN_ON_ONCE(!e))
		return;
	synchronize_srcu(&providers_srcu);
	kfree(e);
	pr_info("provider %s unregistered\n", prov->name);
}
EXPORT_SYMBOL_GPL(copyoff_unregister_provider);

/*
 * Find a provider that can offload from @src to @dst and fill @lim; @qflags
 * (COPYOFF_QUERY_*) go to its ->query() in lim->flags.  A provider that
 * answers with a limit of 0 cannot (a device may report 0).  Returns it
 * with a reference on its module, or NULL.
 */
struct copyoff_provider *copyoff_find_provider(struct block_device *src,
					       struct block_device *dst,
					       struct copyoff_limits *lim,
					       unsigned int qflags)
{
	struct copyoff_provider *found = NULL;
	struct reg_entry *e;
	int idx;

	idx = srcu_read_lock(&providers_srcu);
	list_for_each_entry_srcu(e, &providers, node,
				 srcu_read_lock_held(&providers_srcu)) {
		struct copyoff_provider *p = e->prov;

		if (!try_module_get(p->owner))
			continue;
		memset(lim, 0, sizeof(*lim));
		lim->flags = qflags;
		if (p->ops->query(p, src, dst, lim) == 0 && lim->max_bytes &&
		    lim->max_seg_bytes && lim->max_segs && lim->align) {
			found = p;
			break;
		}
		module_put(p->owner);
	}
	srcu_read_unlock(&providers_srcu, idx);
	return found;
}

void copyoff_put_provider(struct copyoff_provider *prov)
{
	if (prov)
		module_put(prov->owner);
}
