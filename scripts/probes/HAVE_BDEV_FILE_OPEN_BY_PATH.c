/*
 * HAVE_BDEV_FILE_OPEN_BY_PATH
 *
 * Linux 6.9 ("bdev: open block device as files" series, Christian Brauner)
 * made block devices opened by kernel code into struct file:
 * bdev_file_open_by_path(path, blk_mode_t, holder, holder_ops) returns a
 * struct file *, file_bdev() gives the block device and fput() releases it.
 * It replaced bdev_open_by_path() (6.7) and blkdev_get_by_path() (<= 6.8).
 */
#include <linux/blkdev.h>
#include <linux/fs.h>

struct file *probe(void);
struct file *probe(void)
{
	struct file *f = bdev_file_open_by_path("/dev/null", BLK_OPEN_READ,
						NULL, NULL);
	struct block_device *bdev = file_bdev(f);

	(void)bdev;
	return f;
}
