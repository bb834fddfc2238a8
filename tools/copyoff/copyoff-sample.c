// SPDX-License-Identifier: GPL-2.0
/*
 * copyoff-sample: the smallest use of the raw ioctl, as the upstream series
 * showed one.  Copies LEN bytes from SRC_OFF to DST_OFF within one block
 * device.
 *
 *   copyoff-sample DEV SRC_OFF DST_OFF LEN
 *
 * It stands alone (shipped as an example, built against the installed
 * <linux/copyoff.h>): it does not use the tools' lib.c.
 */
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/copyoff.h>

int main(int argc, char **argv)
{
	struct copyoff_range range;
	struct copyoff_copy copy;
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	int ctl, dev, c;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'h') {
			printf("usage: %s DEV SRC_OFF DST_OFF LEN\n", argv[0]);
			return 0;
		}
		return 2;
	}
	if (argc - optind != 4) {
		fprintf(stderr, "usage: %s DEV SRC_OFF DST_OFF LEN\n", argv[0]);
		return 2;
	}
	argv += optind - 1;
	ctl = open("/dev/copyoff", O_RDWR);
	dev = open(argv[1], O_RDWR);
	if (ctl < 0 || dev < 0) {
		perror("open");
		return 1;
	}

	memset(&range, 0, sizeof(range));
	range.src_off = strtoull(argv[2], NULL, 0);
	range.dst_off = strtoull(argv[3], NULL, 0);
	range.len = strtoull(argv[4], NULL, 0);

	memset(&copy, 0, sizeof(copy));		/* reserved fields must be zero */
	copy.src_fd = dev;
	copy.dst_fd = dev;
	copy.nr_ranges = 1;
	copy.ranges = (__u64)(unsigned long)&range;

	if (ioctl(ctl, COPYOFF_IOC_COPY, &copy) < 0) {
		perror("COPYOFF_IOC_COPY");
		fprintf(stderr, "%llu bytes copied\n", (unsigned long long)range.comp_len);
		return 1;
	}
	printf("copied %llu bytes, %llu by the device\n",
	       (unsigned long long)copy.copied, (unsigned long long)copy.offloaded);
	return 0;
}
