/*
 * HAVE_CLASS_INTERFACE_NO_INTF_ARG
 *
 * Linux 6.4 ("driver core: class: remove struct class_interface * from
 * callbacks", Greg Kroah-Hartman) changed class_interface add_dev/remove_dev
 * from (struct device *, struct class_interface *) to (struct device *).
 */
#include <linux/device.h>

static int probe_add(struct device *dev)
{
	return 0;
}

static struct class_interface probe_intf = {
	.add_dev = probe_add,
};

struct class_interface *probe(void);
struct class_interface *probe(void)
{
	return &probe_intf;
}
