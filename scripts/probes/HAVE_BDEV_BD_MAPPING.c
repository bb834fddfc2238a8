/*
 * HAVE_BDEV_BD_MAPPING
 *
 * Linux 6.10 ("block: remove bdev->bd_inode", Al Viro / Yu Kuai series) gave
 * struct block_device a bd_mapping pointer to its page cache and later removed
 * bd_inode; before, the page cache was bdev->bd_inode->i_mapping.
 */
#include <linux/blkdev.h>
#include <linux/fs.h>

struct address_space *probe(struct block_device *bdev);
struct address_space *probe(struct block_device *bdev)
{
	return bdev->bd_mapping;
}
