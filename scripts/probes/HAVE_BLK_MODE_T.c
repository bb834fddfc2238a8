/*
 * HAVE_BLK_MODE_T
 *
 * Linux 6.5 ("block: add a new blk_mode_t type", Christoph Hellwig) replaced
 * fmode_t by blk_mode_t (BLK_OPEN_READ, BLK_OPEN_WRITE) in the block layer,
 * including the mode argument of block_device_operations->ioctl.
 */
#include <linux/blkdev.h>

blk_mode_t probe(void);
blk_mode_t probe(void)
{
	return BLK_OPEN_READ | BLK_OPEN_WRITE;
}
