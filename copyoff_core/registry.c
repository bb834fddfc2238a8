// SPDX-License-Identifier: GPL-2.0
/*
 * copyoff_core: the provider registry.
 *
 * Providers (copyoff_nvme, copyoff_dm, ...) register here on load.  For each
 * copy the engine asks the providers, in registration order, whether one can
 * offload between the two devices; the first that can is used, with a
 * reference on its module for the length of the copy.  With none, the copy is
 * emulated.
 */
#define pr_fmt(fmt) "copyoff: " fmt

#include <linux/rwsem.h>
#include "copyoff_core.h"

static LIST_HEAD(copyoff_providers);
static DECLARE_RWSEM(copyoff_providers_sem);

int copyoff_register_provider(struct copyoff_provider *prov)
{
	struct copyoff_provider *p;
	int ret = 0;

	if (!prov || !prov->name || !prov->owner || !prov->ops ||
	    !prov->ops->query || !prov->ops->submit)
		return -EINVAL;

	down_write(&copyoff_providers_sem);
	list_for_each_entry(p, &copyoff_providers, node) {
		if (p == prov || !strcmp(p->name, prov->name)) {
			ret = -EEXIST;
			goto out;
		}
	}
	list_add_tail(&prov->node, &copyoff_providers);
	pr_info("provider %s registered\n", prov->name);
out:
	up_write(&copyoff_providers_sem);
	return ret;
}
EXPORT_SYMBOL_GPL(copyoff_register_provider);

/*
 * A provider unregisters from its module's exit, so no copy holds a
 * reference on it any more: every job takes one on prov->owner.
 */
void copyoff_unregister_provider(struct copyoff_provider *prov)
{
	down_write(&copyoff_providers_sem);
	list_del_init(&prov->node);
	up_write(&copyoff_providers_sem);
	pr_info("provider %s unregistered\n", prov->name);
}
EXPORT_SYMBOL_GPL(copyoff_unregister_provider);

/*
 * Find a provider that can offload from @src to @dst and fill @lim; @qflags
 * (COPYOFF_QUERY_*) go to its ->query() in lim->flags.
 * Returns it with a reference on its module, or NULL.
 *
 * ->query() is called without the lock: a stacking provider (copyoff_dm)
 * asks the registry again for the devices below it, and a read lock taken
 * twice deadlocks against a writer queued in between.  The reference on its
 * module keeps a provider registered, and so in the list, until it is put,
 * which happens under the lock again before the walk goes on.
 */
struct copyoff_provider *copyoff_find_provider(struct block_device *src,
					       struct block_device *dst,
					       struct copyoff_limits *lim,
					       unsigned int qflags)
{
	struct copyoff_provider *p;
	bool ok;

	down_read(&copyoff_providers_sem);
	list_for_each_entry(p, &copyoff_providers, node) {
		if (!try_module_get(p->owner))
			continue;
		up_read(&copyoff_providers_sem);
		memset(lim, 0, sizeof(*lim));
		lim->flags = qflags;
		ok = p->ops->query(p, src, dst, lim) == 0 && lim->max_bytes &&
		     lim->max_seg_bytes && lim->max_segs && lim->align;
		if (ok)
			return p;
		down_read(&copyoff_providers_sem);
		module_put(p->owner);
		/* Unregistered meanwhile (not from its exit): stop here. */
		if (list_empty(&p->node))
			break;
	}
	up_read(&copyoff_providers_sem);
	return NULL;
}

void copyoff_put_provider(struct copyoff_provider *prov)
{
	if (prov)
		module_put(prov->owner);
}
