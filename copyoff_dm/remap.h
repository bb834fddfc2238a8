/* SPDX-License-Identifier: GPL-2.0 */
/*
 * copyoff_dm's remappers: who knows where a byte of a dm device lands below.
 *
 * copyoff_dm's provider "dm" offloads a copy on a dm device by remapping each
 * piece of it to the devices below and copying there (copyoff_dm/main.c).
 * Its own target "copyoff" is one remapper; another module (copyoff_dmstock:
 * stock dm-linear and dm-striped tables) registers more with
 * copyoff_dm_register_remapper().  Each piece copied below is held, from the
 * remap to the put, so that the table that routed it cannot be suspended
 * (and so replaced) while the piece is copied: the remapper's holds are what
 * its suspend path waits for.
 */
#ifndef COPYOFF_DM_REMAP_H
#define COPYOFF_DM_REMAP_H

#include <linux/blkdev.h>
#include <linux/list.h>
#include <linux/module.h>

struct copyoff_dm_remapper;

/* Where a byte of a dm device lands: a piece held until cdm_piece_put(). */
struct copyoff_dm_piece {
	struct block_device *bdev;	/* the device below */
	u64 off;			/* bytes, on @bdev */
	u64 avail;			/* bytes mapped contiguously from @off */
	/* the holder (NULL: nothing held) */
	const struct copyoff_dm_remapper *r;
	void *hold;			/* the remapper's */
};

struct copyoff_dm_remapper {
	/*
	 * Byte @off of @bdev: 1 with @p filled and held, 0 when @bdev (or that
	 * part of it) is not this remapper's to map, -EAGAIN when it is but
	 * cannot be remapped now (suspending, another target type).  Process
	 * context; must not sleep.
	 */
	int (*remap)(struct block_device *bdev, u64 off,
		     struct copyoff_dm_piece *p);
	/*
	 * The devices below @bdev, for a capability answer: up to @max pieces
	 * held (their offsets and lengths unused), the number filled, or -1
	 * when @bdev is not this remapper's.  Must not sleep.
	 */
	int (*parts)(struct block_device *bdev, struct copyoff_dm_piece *parts,
		     int max);
	/* Release a held piece; @copied: bytes copied below through it. */
	void (*put)(struct copyoff_dm_piece *p, u64 copied);

	struct list_head node;		/* private to copyoff_dm */
};

int copyoff_dm_register_remapper(struct copyoff_dm_remapper *r);
void copyoff_dm_unregister_remapper(struct copyoff_dm_remapper *r);

#endif /* COPYOFF_DM_REMAP_H */
