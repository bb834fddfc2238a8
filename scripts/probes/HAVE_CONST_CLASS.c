/*
 * HAVE_CONST_CLASS
 *
 * Linux 6.4 ("driver core: make struct class.* const", Greg Kroah-Hartman)
 * made struct device's class pointer, and class_interface's, const struct
 * class *.
 */
#include <linux/device.h>

const struct class **probe(struct device *dev);
const struct class **probe(struct device *dev)
{
	return &dev->class;	/* a pointer-type error before 6.4 */
}
