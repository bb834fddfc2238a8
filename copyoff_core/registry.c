// SPDX-License-Identifier: GPL-2.0
/*
 * copyoff_core: the provider registry.
 *
 * Providers (copyoff_nvme, copyoff_dm) register here on load.  The copy engine
 * asks the registry which provider, if any, can offload a copy between two
 * block devices; with none, it emulates.
 */
#define pr_fmt(fmt) "copyoff: " fmt

#include <linux/mutex.h>
#include "copyoff_core.h"

static LIST_HEAD(copyoff_providers);
static DEFINE_MUTEX(copyoff_providers_lock);

int copyoff_register_provider(struct copyoff_provider *prov)
{
	struct copyoff_provider *p;
	int ret = 0;

	if (!prov || !prov->name || !prov->owner)
		return -EINVAL;

	mutex_lock(&copyoff_providers_lock);
	list_for_each_entry(p, &copyoff_providers, node) {
		if (p == prov || !strcmp(p->name, prov->name)) {
			ret = -EEXIST;
			goto out;
		}
	}
	list_add_tail(&prov->node, &copyoff_providers);
	pr_info("provider %s registered\n", prov->name);
out:
	mutex_unlock(&copyoff_providers_lock);
	return ret;
}
EXPORT_SYMBOL_GPL(copyoff_register_provider);

void copyoff_unregister_provider(struct copyoff_provider *prov)
{
	mutex_lock(&copyoff_providers_lock);
	list_del_init(&prov->node);
	mutex_unlock(&copyoff_providers_lock);
	pr_info("provider %s unregistered\n", prov->name);
}
EXPORT_SYMBOL_GPL(copyoff_unregister_provider);

unsigned int copyoff_nr_providers(void)
{
	struct copyoff_provider *p;
	unsigned int n = 0;

	mutex_lock(&copyoff_providers_lock);
	list_for_each_entry(p, &copyoff_providers, node)
		n++;
	mutex_unlock(&copyoff_providers_lock);
	return n;
}
