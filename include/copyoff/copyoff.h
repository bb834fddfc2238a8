/* SPDX-License-Identifier: GPL-2.0 */
/*
 * copyoff in-kernel API, exported by copyoff_core.
 *
 * Companion modules (copyoff_nvme, copyoff_dm, copyoff_nvmet) and any other
 * in-kernel user include this header.  The ABI for userspace lives in
 * include/uapi/linux/copyoff.h.
 */
#ifndef COPYOFF_COPYOFF_H
#define COPYOFF_COPYOFF_H

#include <linux/list.h>
#include <linux/module.h>

/* The package version, as built into copyoff_core ("x.y.z"). */
const char *copyoff_version(void);

/*
 * A provider: a module that can offload copies for some block devices.
 * Providers register on load and unregister on unload; the core holds a
 * reference on @owner while it uses the provider.
 */
struct copyoff_provider {
	const char *name;		/* short, shown by "copyoff info" */
	struct module *owner;		/* THIS_MODULE */

	/* private to copyoff_core */
	struct list_head node;
};

int copyoff_register_provider(struct copyoff_provider *prov);
void copyoff_unregister_provider(struct copyoff_provider *prov);

#endif /* COPYOFF_COPYOFF_H */
