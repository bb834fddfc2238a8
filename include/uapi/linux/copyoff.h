/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * copyoff: block-device copy offload, the userspace ABI of /dev/copyoff.
 *
 * Three ioctls on /dev/copyoff (mode 0600 by default; scripts/udev/60-copyoff.rules
 * widens it to group "disk"):
 *
 *   COPYOFF_IOC_GET_FEATURES  what this copyoff_core supports (call first)
 *   COPYOFF_IOC_INFO          copy capability and limits of one block device
 *   COPYOFF_IOC_COPY          copy ranges between two block devices, or
 *                             within one, offloaded where a provider can and
 *                             emulated in the kernel otherwise
 *
 * Rules that never change once released:
 *   - every structure has fixed-width fields and a fixed size; new fields
 *     come out of reserved space, which callers must zero (non-zero: EINVAL);
 *   - new behaviour is announced by a COPYOFF_FEAT_* bit and, where callers
 *     must ask for it, a new COPYOFF_F_* flag; unknown flags fail with EINVAL.
 *
 * COPYOFF_IOC_COPY errors (nothing is written when validation fails):
 *   EFAULT   the structure or the range array is not readable/writable
 *   EINVAL   reserved field set, unknown flag, both EMULATE and NO_EMULATION,
 *            nr_ranges 0 or above COPYOFF_MAX_RANGES, len 0, an offset or
 *            length not a multiple of both devices' logical block sizes, a
 *            range outside either device or overflowing 64 bits, source and
 *            destination overlapping on the same device, destination ranges
 *            overlapping each other
 *   EBADF    src_fd not open for reading, dst_fd not open for writing, or
 *            not an open file at all
 *   ENOTBLK  src_fd or dst_fd is not a block device
 *   EROFS    the destination device is read-only
 *   EOPNOTSUPP  COPYOFF_F_NO_EMULATION and (part of) the copy cannot be
 *            offloaded; or, whatever the flags, the destination is a zoned
 *            block device (not supported yet)
 *   EBUSY    cached pages of the destination could not be dropped (a
 *            process kept dirtying them): before the copy, nothing is
 *            written; after it, the data is copied (see comp_len) but
 *            buffered readers may see old data
 *   EINTR    a fatal signal stopped the copy
 *   EIO (or the device's error)  an I/O error; see comp_len
 * With COPYOFF_F_VALIDATE_ONLY the call makes every check above (including
 * EOPNOTSUPP for NO_EMULATION) and returns 0 without copying or writing
 * anything back.
 * After a copy was started, comp_len of every range, copied and offloaded are
 * written back even when the call fails: comp_len is the exact number of
 * leading bytes of that range known to be copied.
 */
#ifndef _UAPI_LINUX_COPYOFF_H
#define _UAPI_LINUX_COPYOFF_H

#include <linux/types.h>
#include <linux/ioctl.h>

#define COPYOFF_ABI_VERSION	1

/* Ranges one COPYOFF_IOC_COPY accepts at most. */
#define COPYOFF_MAX_RANGES	16384

/* COPYOFF_IOC_GET_FEATURES: features bits. */
#define COPYOFF_FEAT_COPY		(1ULL << 0)	/* COPYOFF_IOC_COPY */
#define COPYOFF_FEAT_INFO		(1ULL << 1)	/* COPYOFF_IOC_INFO */
#define COPYOFF_FEAT_NO_EMULATION	(1ULL << 2)	/* COPYOFF_F_NO_EMULATION */
#define COPYOFF_FEAT_EMULATE		(1ULL << 3)	/* COPYOFF_F_EMULATE */
#define COPYOFF_FEAT_TWO_DEVICES	(1ULL << 4)	/* src_fd != dst_fd device */
#define COPYOFF_FEAT_CACHE_COHERENT	(1ULL << 5)	/* page cache kept coherent */
#define COPYOFF_FEAT_VALIDATE_ONLY	(1ULL << 6)	/* COPYOFF_F_VALIDATE_ONLY */

/* COPYOFF_IOC_COPY flags. */
#define COPYOFF_F_NO_EMULATION	(1U << 0)	/* fail with EOPNOTSUPP, never emulate */
#define COPYOFF_F_EMULATE	(1U << 1)	/* always emulate (for comparison) */
#define COPYOFF_F_VALIDATE_ONLY	(1U << 2)	/* check everything, copy nothing */
#define COPYOFF_F_ALL		(COPYOFF_F_NO_EMULATION | COPYOFF_F_EMULATE | \
				 COPYOFF_F_VALIDATE_ONLY)

/* COPYOFF_IOC_INFO flags (output). */
#define COPYOFF_INFO_OFFLOAD	(1U << 0)	/* a provider can offload copies within this device */
#define COPYOFF_INFO_ENABLED	(1U << 1)	/* the copy_offload attribute allows offload */

struct copyoff_features {
	__u32 abi_version;	/* out: COPYOFF_ABI_VERSION */
	__u32 max_ranges;	/* out: COPYOFF_MAX_RANGES */
	__u64 features;		/* out: COPYOFF_FEAT_* */
	__u64 copy_flags;	/* out: COPYOFF_F_* this module accepts */
	char version[16];	/* out: copyoff_core version, NUL-terminated */
	__u64 reserved[4];	/* in: zero */
};

struct copyoff_info {
	__s32 fd;			/* in: an open block device */
	__u32 flags;			/* out: COPYOFF_INFO_* */
	__u32 logical_block_size;	/* out: bytes */
	__u32 max_ranges_hw;		/* out: source ranges per offloaded command */
	__u64 capacity;			/* out: bytes */
	__u64 copy_max_bytes;		/* out: current offload chunk limit, bytes */
	__u64 copy_max_bytes_hw;	/* out: hardware limit per command, 0 if none */
	__u64 copy_max_range_bytes_hw;	/* out: hardware limit per source range */
	char provider[16];		/* out: provider name, "" if none */
	char detail[64];		/* out: provider-specific limits, text */
	__u64 reserved[4];		/* in: zero */
};

struct copyoff_range {
	__u64 src_off;		/* in: source byte offset */
	__u64 dst_off;		/* in: destination byte offset */
	__u64 len;		/* in: bytes */
	__u64 comp_len;		/* out: leading bytes of this range copied */
};

struct copyoff_copy {
	__s32 src_fd;		/* in: block device open for reading */
	__s32 dst_fd;		/* in: block device open for writing */
	__u32 flags;		/* in: COPYOFF_F_* */
	__u32 nr_ranges;	/* in: 1..COPYOFF_MAX_RANGES */
	__u64 ranges;		/* in: pointer to struct copyoff_range[nr_ranges] */
	__u64 copied;		/* out: bytes copied, the sum of comp_len */
	__u64 offloaded;	/* out: of those, bytes the device copied itself */
	__u64 reserved[4];	/* in: zero */
};

#define COPYOFF_IOC_MAGIC	0xCB

#define COPYOFF_IOC_GET_FEATURES _IOWR(COPYOFF_IOC_MAGIC, 0x00, struct copyoff_features)
#define COPYOFF_IOC_INFO	_IOWR(COPYOFF_IOC_MAGIC, 0x01, struct copyoff_info)
#define COPYOFF_IOC_COPY	_IOWR(COPYOFF_IOC_MAGIC, 0x02, struct copyoff_copy)

#endif /* _UAPI_LINUX_COPYOFF_H */
