/*
 * HAVE_MAX_PAGE_ORDER
 *
 * Linux 6.8 ("mm, treewide: rename MAX_ORDER to MAX_PAGE_ORDER", Kirill A.
 * Shutemov) renamed the page allocator's order limit, and the change before
 * it ("mm, treewide: introduce NR_PAGE_ORDERS") made it inclusive: orders
 * 0..MAX_PAGE_ORDER, where MAX_ORDER was the first order not allowed.
 */
#include <linux/mmzone.h>

int probe(void);
int probe(void)
{
	return MAX_PAGE_ORDER;
}
