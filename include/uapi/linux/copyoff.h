/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * copyoff: block-device copy offload, userspace ABI for /dev/copyoff.
 *
 * (The ioctls land with copyoff_core's copy engine.)
 */
#ifndef _UAPI_LINUX_COPYOFF_H
#define _UAPI_LINUX_COPYOFF_H

#include <linux/types.h>
#include <linux/ioctl.h>

#endif /* _UAPI_LINUX_COPYOFF_H */
