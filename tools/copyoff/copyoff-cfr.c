// SPDX-License-Identifier: GPL-2.0
/*
 * copyoff-cfr: one copy_file_range(2) call, for tests.
 *
 *   copyoff-cfr [options] IN OUT LEN
 *
 * IN and OUT are paths, each with an optional open mode suffix: @r
 * (O_RDONLY), @w (O_WRONLY), @rw (O_RDWR), @wa (O_WRONLY|O_APPEND); IN
 * defaults to @r, OUT to @w; or fd=N, a descriptor inherited open.  Prints
 * one line:
 *   ret=N errno=NAME off_in=X off_out=Y fpos_in=A fpos_out=B
 * (off_*: the offsets passed by pointer after the call, "-" when none was;
 * fpos_*: each file's position after the call).  Exit status 0 when the
 * call returned >= 0.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "lib.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: copyoff-cfr [--off-in N] [--off-out N] [--pos-in N] [--pos-out N]\n"
		"                   [--flags N] IN[@r|@w|@rw|@wa] OUT[@r|@w|@rw|@wa] LEN\n"
		"  IN, OUT: a path with an open mode, or fd=N (inherited)\n"
		"  --off-in/--off-out N   pass that offset by pointer (default: none,\n"
		"                         the file position is used and moved)\n"
		"  --pos-in/--pos-out N   lseek the file there first\n"
		"  --flags N              the flags argument (default 0)\n");
}

static long long num(const char *s)
{
	long long v;

	if (!parse_num(s, &v)) {
		fprintf(stderr, "copyoff-cfr: bad number '%s'\n", s);
		exit(2);
	}
	return v;
}

static int open_spec(const char *spec, int def)
{
	char path[4096];
	int flags, fd;

	if (!strncmp(spec, "fd=", 3))
		return (int)num(spec + 3);
	flags = path_mode(spec, def, path, sizeof(path));
	fd = open(path, flags);
	if (fd < 0) {
		fprintf(stderr, "copyoff-cfr: open %s: %s\n", path,
			strerror(errno));
		exit(2);
	}
	return fd;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "off-in", required_argument, NULL, 'i' },
		{ "off-out", required_argument, NULL, 'o' },
		{ "pos-in", required_argument, NULL, 'I' },
		{ "pos-out", required_argument, NULL, 'O' },
		{ "flags", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	long long off_in = 0, off_out = 0, pos_in = -1, pos_out = -1;
	int use_in = 0, use_out = 0, c, fd_in, fd_out, err;
	unsigned int flags = 0;
	long long ret;
	size_t len;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'i': off_in = num(optarg); use_in = 1; break;
		case 'o': off_out = num(optarg); use_out = 1; break;
		case 'I': pos_in = num(optarg); break;
		case 'O': pos_out = num(optarg); break;
		case 'f': flags = (unsigned int)num(optarg); break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (argc - optind != 3) {
		usage(stderr);
		return 2;
	}
	fd_in = open_spec(argv[optind], O_RDONLY);
	fd_out = open_spec(argv[optind + 1], O_WRONLY);
	len = (size_t)num(argv[optind + 2]);
	if ((pos_in >= 0 && lseek(fd_in, pos_in, SEEK_SET) < 0) ||
	    (pos_out >= 0 && lseek(fd_out, pos_out, SEEK_SET) < 0)) {
		fprintf(stderr, "copyoff-cfr: lseek: %s\n", strerror(errno));
		return 2;
	}
	ret = syscall(SYS_copy_file_range, fd_in, use_in ? &off_in : NULL,
		      fd_out, use_out ? &off_out : NULL, len, flags);
	err = ret < 0 ? errno : 0;
	printf("ret=%lld errno=%s", ret, errno_name(err));
	if (use_in)
		printf(" off_in=%lld", off_in);
	else
		printf(" off_in=-");
	if (use_out)
		printf(" off_out=%lld", off_out);
	else
		printf(" off_out=-");
	printf(" fpos_in=%lld fpos_out=%lld\n",
	       (long long)lseek(fd_in, 0, SEEK_CUR),
	       (long long)lseek(fd_out, 0, SEEK_CUR));
	return ret < 0;
}
