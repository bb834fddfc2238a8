// SPDX-License-Identifier: GPL-2.0
/* What the copyoff tools share (lib.h). */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lib.h"

const char *errno_name(int e)
{
	const char *n;

	if (!e)
		return "0";
	n = strerrorname_np(e);
	return n ? n : "OTHER";
}

bool parse_size(const char *s, uint64_t *out)
{
	unsigned long long v;
	uint64_t mul = 1;
	char *end;

	if (!*s || *s == '-' || *s == '+' || isspace((unsigned char)*s))
		return false;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s)
		return false;
	switch (*end) {
	case '\0':
		break;
	case 's':
		mul = 512;
		end++;
		break;
	case 'k': case 'K':
		mul = 1ULL << 10;
		end++;
		break;
	case 'm': case 'M':
		mul = 1ULL << 20;
		end++;
		break;
	case 'g': case 'G':
		mul = 1ULL << 30;
		end++;
		break;
	case 't': case 'T':
		mul = 1ULL << 40;
		end++;
		break;
	default:
		return false;
	}
	if (*end || (v && mul > UINT64_MAX / v))
		return false;
	*out = v * mul;
	return true;
}

uint64_t size_arg(const char *prog, const char *what, const char *s)
{
	uint64_t v;

	if (!parse_size(s, &v)) {
		fprintf(stderr, "%s: bad %s: %s\n", prog, what, s);
		exit(2);
	}
	return v;
}

int next_opt_of(const char *prog, int argc, char **argv, const char *shortopts,
		const struct option *longopts)
{
	int c;

	opterr = 0;
	c = getopt_long(argc, argv, shortopts, longopts, NULL);
	if (c == '?' || c == ':') {
		fprintf(stderr, "%s: %s %s\n", prog,
			c == ':' ? "missing argument to" : "unknown option",
			argv[optind - 1]);
		return '?';
	}
	return c;
}

bool parse_num(const char *s, long long *out)
{
	char *end;

	errno = 0;
	*out = strtoll(s, &end, 0);
	return !errno && end != s && !*end;
}

int path_mode(const char *spec, int def, char *path, size_t size)
{
	static const struct {
		const char *suffix;
		int flags;
	} modes[] = {
		{ "@r", O_RDONLY },
		{ "@w", O_WRONLY },
		{ "@rw", O_RDWR },
		{ "@wa", O_WRONLY | O_APPEND },
	};
	const char *at = strrchr(spec, '@');
	size_t i;

	for (i = 0; at && i < sizeof(modes) / sizeof(modes[0]); i++) {
		if (!strcmp(at, modes[i].suffix)) {
			snprintf(path, size, "%.*s", (int)(at - spec), spec);
			return modes[i].flags;
		}
	}
	snprintf(path, size, "%s", spec);
	return def;
}

bool parse_range(const char *s, struct copyoff_range *r)
{
	char buf[256], *f[3], *p;
	int i;

	if (strlen(s) >= sizeof(buf))
		return false;
	strcpy(buf, s);
	for (p = buf; *p; p++)
		if (isspace((unsigned char)*p))
			*p = ':';
	p = buf;
	for (i = 0; i < 3; i++) {
		f[i] = p;
		p = strchr(p, ':');
		if (i < 2) {
			if (!p)
				return false;
			*p++ = '\0';
		}
	}
	memset(r, 0, sizeof(*r));
	return parse_size(f[0], (uint64_t *)&r->src_off) &&
	       parse_size(f[1], (uint64_t *)&r->dst_off) &&
	       parse_size(f[2], (uint64_t *)&r->len);
}

void range_list_add(struct range_list *l, const struct copyoff_range *r)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->v = realloc(l->v, l->cap * sizeof(*l->v));
		if (!l->v) {
			fputs("out of memory\n", stderr);
			exit(2);
		}
	}
	l->v[l->n++] = *r;
}

void range_list_read(struct range_list *l, const char *prog, const char *path)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	unsigned int lineno = 0;
	char line[512];

	if (!f) {
		fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
		exit(2);
	}
	while (fgets(line, sizeof(line), f)) {
		struct copyoff_range r;
		char *p = line, *e, *w;

		lineno++;
		e = strchr(p, '#');
		if (e)
			*e = '\0';
		while (isspace((unsigned char)*p))
			p++;
		e = p + strlen(p);
		while (e > p && isspace((unsigned char)e[-1]))
			*--e = '\0';
		if (!*p)
			continue;
		/* runs of blanks become one separator */
		for (e = w = p; *e; e++) {
			if (!isspace((unsigned char)*e))
				*w++ = *e;
			else if (w[-1] != ':')
				*w++ = ':';
		}
		*w = '\0';
		if (!parse_range(p, &r)) {
			fprintf(stderr, "%s: %s:%u: not a range (SRC_OFF DST_OFF LEN): %s\n",
				prog, path, lineno, p);
			exit(2);
		}
		range_list_add(l, &r);
	}
	if (f != stdin)
		fclose(f);
}

void nvme_desc0(unsigned char *d, uint64_t slba, uint16_t nlb0)
{
	unsigned int i;

	memset(d, 0, 32);
	for (i = 0; i < 8; i++)
		d[8 + i] = slba >> (8 * i);
	d[16] = nlb0;
	d[17] = nlb0 >> 8;
}

uint64_t splitmix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

void pattern_fill(unsigned char *buf, uint64_t off, size_t len, uint64_t seed)
{
	size_t i;

	for (i = 0; i < len; i += 8) {
		uint64_t v = splitmix64(seed * 0x100000001b3ULL ^ ((off + i) / 8));

		memcpy(buf + i, &v, 8);
	}
}
