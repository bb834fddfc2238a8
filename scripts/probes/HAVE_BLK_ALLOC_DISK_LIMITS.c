/*
 * HAVE_BLK_ALLOC_DISK_LIMITS
 *
 * Linux 6.9 ("block: pass a queue_limits argument to blk_alloc_disk",
 * Christoph Hellwig) added the queue_limits argument: blk_alloc_disk(lim,
 * node) returns an ERR_PTR; before it was blk_alloc_disk(node) returning NULL
 * on failure.
 */
#include <linux/blkdev.h>

struct gendisk *probe(void);
struct gendisk *probe(void)
{
	return blk_alloc_disk(NULL, NUMA_NO_NODE);
}
