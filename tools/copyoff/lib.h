/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the copyoff tools share: error names, option parsing, numbers and
 * sizes, paths with an open mode, range lists, NVMe Copy descriptors and the data pattern.
 */
#ifndef COPYOFF_TOOLS_LIB_H
#define COPYOFF_TOOLS_LIB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/copyoff.h>

/* "EINVAL" for EINVAL, "0" for 0, "OTHER" for a number the C library lacks. */
const char *errno_name(int e);

/*
 * A size: a number (C notation: decimal, 0x hex, 0 octal) with an optional
 * K, M, G or T suffix (powers of 1024) or s (512-byte sectors).  False for
 * anything else, a sign, or an overflow.
 */
bool parse_size(const char *s, uint64_t *out);

/* A size, or exit 2 with "PROG: bad WHAT: S". */
uint64_t size_arg(const char *prog, const char *what, const char *s);

struct option;

/*
 * getopt_long with getopt's own messages off: for an unknown option or a
 * missing argument, prints "PROG: unknown option X" or "PROG: missing
 * argument to X" and returns '?'; otherwise what getopt_long returns.
 */
int next_opt_of(const char *prog, int argc, char **argv, const char *shortopts,
		const struct option *longopts);

/*
 * A signed number in C notation (decimal, 0x hex, 0 octal), the whole of S:
 * false for anything else or an overflow.
 */
bool parse_num(const char *s, long long *out);

/*
 * PATH[@r|@w|@rw|@wa]: the path into PATH (SIZE bytes) and the open flags of
 * its mode suffix (O_RDONLY, O_WRONLY, O_RDWR, O_WRONLY | O_APPEND), DEF
 * without one; any other "@..." is part of the path.
 */
int path_mode(const char *spec, int def, char *path, size_t size);

/* A growing array of ranges. */
struct range_list {
	struct copyoff_range *v;
	size_t n, cap;
};

/* SRC_OFF:DST_OFF:LEN (blanks may stand for the colons), sizes as above. */
bool parse_range(const char *s, struct copyoff_range *r);
void range_list_add(struct range_list *l, const struct copyoff_range *r);
/*
 * Ranges from FILE, one a line, "SRC_OFF DST_OFF LEN" or
 * "SRC_OFF:DST_OFF:LEN"; '#' starts a comment, "-" is standard input.  Exits
 * 2 with "PROG: FILE:LINE: ..." on a line that is not a range.
 */
void range_list_read(struct range_list *l, const char *prog, const char *path);

/*
 * An NVMe Copy source range descriptor of format 0 into D (32 bytes,
 * little-endian): SLBA, NLB zero-based as on the wire, the rest zero.
 */
void nvme_desc0(unsigned char *d, uint64_t slba, uint16_t nlb0);

/* The SplitMix64 step: a well-mixed 64-bit function of x. */
uint64_t splitmix64(uint64_t x);

/*
 * The data pattern: each 8-byte word is a function of the seed and of its
 * offset from the start of the region that was filled, so that a copied
 * region still holds "the pattern" at its new place.  len: a multiple of 8.
 */
void pattern_fill(unsigned char *buf, uint64_t off, size_t len, uint64_t seed);

#endif
