// SPDX-License-Identifier: GPL-2.0
/*
 * copyoff: command-line tool for /dev/copyoff.
 */
#include <stdio.h>
#include <string.h>
#include <linux/copyoff.h>

static int usage(FILE *f)
{
	fprintf(f, "usage: copyoff version\n");
	return f == stderr ? 2 : 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage(stderr);
	if (!strcmp(argv[1], "version")) {
		printf("copyoff %s\n", COPYOFF_VERSION);
		return 0;
	}
	if (!strcmp(argv[1], "help") || !strcmp(argv[1], "--help"))
		return usage(stdout);
	fprintf(stderr, "copyoff: unknown command '%s'\n", argv[1]);
	return usage(stderr);
}
