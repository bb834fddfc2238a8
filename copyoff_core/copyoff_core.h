/* SPDX-License-Identifier: GPL-2.0 */
/* copyoff_core: declarations shared between the core's own files. */
#ifndef COPYOFF_CORE_PRIV_H
#define COPYOFF_CORE_PRIV_H

#include <copyoff/compat.h>
#include <copyoff/copyoff.h>

/* registry.c */
unsigned int copyoff_nr_providers(void);

/* bdev.c */
int copyoff_bdev_selftest(const char *path);

#endif
