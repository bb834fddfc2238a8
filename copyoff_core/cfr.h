/* SPDX-License-Identifier: GPL-2.0 */
/* copyoff_cfr's parts: the loop provider (loop.c), built where loop.ko's
 * layout was read (scripts/btf-layout.sh). */
#ifndef COPYOFF_CFR_H
#define COPYOFF_CFR_H

#include <copyoff_btf.h>

#ifdef HAVE_BTF_LOOP
int copyoff_loop_init(void);
void copyoff_loop_exit(void);
#else
static inline int copyoff_loop_init(void) { return 0; }
static inline void copyoff_loop_exit(void) { }
#endif

#endif /* COPYOFF_CFR_H */
