/*
 * HAVE_LINUX_UNALIGNED_H
 *
 * Linux 6.12 ("move asm/unaligned.h to linux/unaligned.h", Al Viro) moved the
 * get_unaligned_le*()/put_unaligned_le*() helpers from <asm/unaligned.h> to
 * <linux/unaligned.h>.
 */
#include <linux/unaligned.h>

unsigned int probe(const void *p);
unsigned int probe(const void *p)
{
	return get_unaligned_le32(p);
}
