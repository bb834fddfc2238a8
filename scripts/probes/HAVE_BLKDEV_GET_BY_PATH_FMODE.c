/*
 * HAVE_BLKDEV_GET_BY_PATH_FMODE
 *
 * The pre-6.5 form: blkdev_get_by_path(path, fmode_t, holder) returning a
 * struct block_device *, released with blkdev_put(bdev, fmode_t).  Linux 6.5
 * ("block: add a holder_ops argument", "block: pass a gendisk to
 * blkdev_put"/blk_mode_t, Christoph Hellwig) changed both signatures; 6.9
 * removed the function (see HAVE_BDEV_FILE_OPEN_BY_PATH).  Debian 12's 6.1
 * has this form.
 */
#include <linux/blkdev.h>
#include <linux/fs.h>

struct block_device *probe(void);
struct block_device *probe(void)
{
	struct block_device *bdev = blkdev_get_by_path("/dev/null", FMODE_READ,
						       NULL);

	blkdev_put(bdev, FMODE_READ);
	return bdev;
}
