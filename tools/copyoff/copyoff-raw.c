// SPDX-License-Identifier: GPL-2.0
/*
 * copyoff-raw: send one raw /dev/copyoff ioctl with exactly the arguments
 * given, including wrong ones, and print what came back.  For tests.
 *
 *   copyoff-raw features [--reserved I=V]
 *   copyoff-raw info FD-SPEC [--reserved I=V]
 *   copyoff-raw copy SRC-SPEC DST-SPEC [options] [SRC:DST:LEN ...]
 *
 * FD-SPEC: PATH[@r|@w|@rw|@wa] (a block device or any file, opened that way;
 *          default @r for the source and for info, @rw for the destination),
 *          "pipe", "closed" (an fd number that is not open), "same" (DST
 *          only: the source's fd), or "fd=N".
 * options: --flags N  --nr N (overrides the count)  --reserved I=V
 *          --ranges null|unmapped|readonly|partial (where the array lives)
 *
 *          --setro (make the destination device read-only after opening it)
 *          -f FILE (ranges from FILE, "SRC DST LEN" a line)
 *
 * Output, one line: "rc=R errno=NAME copied=C offloaded=O comp=A,B,..."
 * (errno=0 on success).  Exit status 0 unless the arguments are wrong (2).
 *
 * Data helpers (exit 1 on a mismatch):
 *   copyoff-raw fill DEV OFF LEN SEED [--buffered]   write a pattern
 *   copyoff-raw verify SRC DST [-f FILE] [S:D:L ...]  each range's bytes equal
 *   copyoff-raw guard DEV OFF LEN SEED [-f FILE] [S:D:L ...]
 *        every byte of [OFF, OFF+LEN) outside the destination ranges still
 *        holds the pattern SEED written there by "fill DEV OFF LEN SEED"
 *   copyoff-raw expect DEV OFF LEN SEED [--buffered]  the region holds SEED
 *   copyoff-raw either DEV OFF LEN SEED_A SEED_B BS [--buffered]
 *        every BS-byte block holds pattern SEED_A or SEED_B whole
 *   copyoff-raw nvme-desc OUT SLBA:NLB0 ...   NVMe Copy descriptors (format 0)
 *   copyoff-raw mbr DEV START SECTORS [START SECTORS ...]
 *        write an MBR partition table (512-byte sectors) and re-read it
 *   copyoff-raw gen N LEN SRC_BASE DST_BASE GAP [SHUFFLE_SEED]
 *        print N ranges of LEN bytes, sources GAP apart from SRC_BASE,
 *        destinations GAP apart from DST_BASE, optionally shuffled
 *   copyoff-raw ioctl NR [SIZE]
 *        /dev/copyoff ioctl _IOWR(0xCB, NR, SIZE bytes) (SIZE default 64)
 *        on a zeroed buffer; prints "rc=R errno=NAME"
 *   copyoff-raw blkop zeroout|discard|flush DEV OFF LEN
 *        BLKZEROOUT or BLKDISCARD of LEN bytes at OFF, or fsync (OFF and
 *        LEN ignored); prints "rc=R errno=NAME", exit 1 if it failed
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/fs.h>
#include <getopt.h>
#include <linux/copyoff.h>
#include "lib.h"

#define IOBUF (1 << 20)

static void *iobuf(void)
{
	void *p;

	if (posix_memalign(&p, 4096, IOBUF))
		exit(2);
	return p;
}

/* O_DIRECT unless buffered; regular files on tmpfs get buffered I/O. */
static int open_data(const char *path, int flags, int buffered)
{
	int creat = flags != O_RDONLY ? O_CREAT : 0;
	int fd = open(path, flags | creat | (buffered ? 0 : O_DIRECT), 0644);

	if (fd < 0 && errno == EINVAL && !buffered)
		fd = open(path, flags | creat, 0644);

	if (fd < 0) {
		fprintf(stderr, "copyoff-raw: %s: %s\n", path, strerror(errno));
		exit(2);
	}
	return fd;
}

static void xpread(int fd, void *buf, size_t n, unsigned long long off)
{
	if (pread(fd, buf, n, off) != (ssize_t)n) {
		fprintf(stderr, "copyoff-raw: read at %llu: %s\n", off, strerror(errno));
		exit(2);
	}
}

static void bad(const char *what)
{
	fprintf(stderr, "copyoff-raw: %s\n", what);
	exit(2);
}

static const char *cur_usage;

/* Exit 2 with the usage of the command being parsed. */
static void usage(void)
{
	fprintf(stderr, "usage: copyoff-raw %s\n", cur_usage);
	exit(2);
}

/*
 * getopt_long for a command (argv[0] its name) that has the usage USE:
 * --help prints it; non-option arguments come back in order as option 1.
 */
static int next_opt(int argc, char **argv, const char *shortopts,
		    const struct option *longopts, const char *use)
{
	int c;

	cur_usage = use;
	c = next_opt_of("copyoff-raw", argc, argv, shortopts, longopts);
	if (c == 'h') {
		printf("usage: copyoff-raw %s\n", use);
		exit(0);
	}
	if (c == '?')
		usage();
	return c;
}

static const struct option help_only[] = {
	{ "help", no_argument, NULL, 'h' },
	{ 0 }
};

/*
 * The positional arguments of a command without options but --help (and
 * those in LONGOPTS, whose values land in *flag): at least MIN, at most MAX.
 */
static int positionals(int argc, char **argv, const struct option *longopts,
		       const char *use, char **pos, int min, int max)
{
	int c, n = 0;

	while ((c = next_opt(argc, argv, "-h", longopts ? longopts : help_only, use)) != -1) {
		if (c != 1)
			continue;
		if (n == max)
			usage();
		pos[n++] = optarg;
	}
	if (n < min)
		usage();
	return n;
}

static uint64_t num(const char *s)
{
	return size_arg("copyoff-raw", "number", s);
}

/* A range as given, comp_len a sentinel to see what the kernel wrote. */
static void add_range(struct range_list *l, const char *s)
{
	struct copyoff_range r;

	if (!parse_range(s, &r))
		bad(s);
	r.comp_len = 0xdeadbeef;
	range_list_add(l, &r);
}

static void add_file(struct range_list *l, const char *path)
{
	size_t i = l->n;

	range_list_read(l, "copyoff-raw", path);
	for (; i < l->n; i++)
		l->v[i].comp_len = 0xdeadbeef;
}

static const struct option range_opts[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "file", required_argument, NULL, 'f' },
	{ 0 }
};

/*
 * NPOS positionals, then ranges and -f FILEs in their order into L (a
 * command's usage USE).
 */
static void pos_and_ranges(int argc, char **argv, const char *use, char **pos,
			   int npos, struct range_list *l)
{
	int c, n = 0;

	while ((c = next_opt(argc, argv, "-f:h", range_opts, use)) != -1) {
		if (c == 'f')
			add_file(l, optarg);
		else if (c == 1 && n < npos)
			pos[n++] = optarg;
		else if (c == 1)
			add_range(l, optarg);
	}
	if (n < npos)
		usage();
}

static int open_spec(const char *spec, int def_flags, int same_fd)
{
	char path[4096];
	int flags, fds[2], fd;

	if (!strcmp(spec, "pipe")) {
		if (pipe(fds))
			bad("pipe");
		return fds[0];
	}
	if (!strcmp(spec, "closed")) {
		/* a descriptor number nothing has open */
		fd = 900;
		while (fcntl(fd, F_GETFD) != -1)
			fd++;
		return fd;
	}
	if (!strcmp(spec, "same"))
		return same_fd;
	if (!strncmp(spec, "fd=", 3))
		return atoi(spec + 3);
	flags = path_mode(spec, def_flags, path, sizeof(path));
	fd = open(path, flags);
	if (fd < 0) {
		fprintf(stderr, "copyoff-raw: %s: %s\n", path, strerror(errno));
		exit(2);
	}
	return fd;
}

static void set_reserved(__u64 *res, unsigned int n, const char *arg)
{
	const char *eq = strchr(arg, '=');
	char *end;
	unsigned long i;
	unsigned long long v;

	if (!eq)
		bad("--reserved I=V");
	i = strtoul(arg, &end, 10);
	if (end != eq || end == arg || i >= n)
		bad("--reserved I=V");
	errno = 0;
	v = strtoull(eq + 1, &end, 0);
	if (errno || end == eq + 1 || *end)
		bad("--reserved I=V");
	res[i] = v;
}

static int cmd_fill(int argc, char **argv, int expect)
{
	static int buffered;
	static const struct option opts[] = {
		{ "buffered", no_argument, &buffered, 1 },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	unsigned long long off, len, seed, done;
	unsigned char *buf, *want;
	char *pos[4];
	int fd;

	positionals(argc, argv, opts, expect ? "expect DEV OFF LEN SEED [--buffered]" :
		    "fill DEV OFF LEN SEED [--buffered]", pos, 4, 4);
	off = num(pos[1]);
	len = num(pos[2]);
	seed = num(pos[3]);
	buf = iobuf();
	want = expect ? iobuf() : NULL;
	fd = open_data(pos[0], expect ? O_RDONLY : O_WRONLY, buffered);
	for (done = 0; done < len; done += IOBUF) {
		size_t n = len - done < IOBUF ? len - done : IOBUF;

		if (expect) {
			pattern_fill(want, done, n, seed);
			xpread(fd, buf, n, off + done);
			if (memcmp(buf, want, n)) {
				size_t i = 0;

				while (buf[i] == want[i])
					i++;
				printf("expect FAIL at byte %llu\n", off + done + i);
				return 1;
			}
		} else {
			pattern_fill(buf, done, n, seed);
			if (pwrite(fd, buf, n, off + done) != (ssize_t)n) {
				fprintf(stderr, "copyoff-raw: write: %s\n", strerror(errno));
				return 2;
			}
		}
	}
	if (expect)
		printf("expect ok %llu bytes\n", len);
	close(fd);
	return 0;
}

static int cmd_verify(int argc, char **argv)
{
	struct range_list l = { 0 };
	unsigned char *a, *b;
	unsigned long long bytes = 0;
	char *pos[2];
	size_t i;
	int sfd, dfd;

	pos_and_ranges(argc, argv, "verify SRC DST [-f FILE] [S:D:L ...]", pos, 2, &l);
	a = iobuf();
	b = iobuf();
	sfd = open_data(pos[0], O_RDONLY, 0);
	dfd = open_data(pos[1], O_RDONLY, 0);
	for (i = 0; i < l.n; i++) {
		unsigned long long done;

		for (done = 0; done < l.v[i].len; done += IOBUF) {
			size_t n = l.v[i].len - done < IOBUF ? l.v[i].len - done : IOBUF;

			xpread(sfd, a, n, l.v[i].src_off + done);
			xpread(dfd, b, n, l.v[i].dst_off + done);
			if (memcmp(a, b, n)) {
				size_t k = 0;

				while (a[k] == b[k])
					k++;
				printf("verify FAIL range %zu at byte %llu of %llu\n", i,
				       done + k, (unsigned long long)l.v[i].len);
				return 1;
			}
		}
		bytes += l.v[i].len;
	}
	printf("verify ok %zu ranges %llu bytes\n", l.n, bytes);
	return 0;
}

static int cmp_dst(const void *x, const void *y)
{
	const struct copyoff_range *a = x, *b = y;

	return a->dst_off < b->dst_off ? -1 : a->dst_off > b->dst_off;
}

static int cmd_guard(int argc, char **argv)
{
	unsigned long long off, len, seed, pos, end;
	struct range_list l = { 0 };
	unsigned char *buf, *want;
	char *p[4];
	size_t i = 0;
	int fd;

	pos_and_ranges(argc, argv, "guard DEV OFF LEN SEED [-f FILE] [S:D:L ...]", p, 4, &l);
	off = num(p[1]);
	len = num(p[2]);
	seed = num(p[3]);
	buf = iobuf();
	want = iobuf();
	fd = open_data(p[0], O_RDONLY, 0);
	if (l.n)
		qsort(l.v, l.n, sizeof(*l.v), cmp_dst);
	pos = off;
	end = off + len;
	while (pos < end) {
		unsigned long long stop = end;
		size_t n;

		/* skip destination ranges */
		while (i < l.n && l.v[i].dst_off + l.v[i].len <= pos)
			i++;
		if (i < l.n && l.v[i].dst_off <= pos) {
			pos = l.v[i].dst_off + l.v[i].len;
			continue;
		}
		if (i < l.n && l.v[i].dst_off < stop)
			stop = l.v[i].dst_off;
		n = stop - pos < IOBUF ? stop - pos : IOBUF;
		xpread(fd, buf, n, pos);
		pattern_fill(want, pos - off, n, seed);
		if (memcmp(buf, want, n)) {
			size_t k = 0;

			while (buf[k] == want[k])
				k++;
			printf("guard FAIL: byte %llu outside the destinations changed\n",
			       pos + k);
			return 1;
		}
		pos += n;
	}
	printf("guard ok\n");
	return 0;
}

static int cmd_gen(int argc, char **argv)
{
	unsigned long long n, len, sb, db, gap, i, *idx;
	char *pos[6];
	int npos;

	npos = positionals(argc, argv, NULL,
			   "gen N LEN SRC_BASE DST_BASE GAP [SHUFFLE_SEED]", pos, 5, 6);
	n = num(pos[0]);
	len = num(pos[1]);
	sb = num(pos[2]);
	db = num(pos[3]);
	gap = num(pos[4]);
	idx = calloc(n ? n : 1, sizeof(*idx));
	if (!idx)
		bad("out of memory");
	for (i = 0; i < n; i++)
		idx[i] = i;
	if (npos > 5) {
		unsigned long long seed = num(pos[5]);

		for (i = n; i > 1; i--) {
			unsigned long long j = splitmix64(seed + i) % i, t = idx[i - 1];

			idx[i - 1] = idx[j];
			idx[j] = t;
		}
	}
	/* source i goes to destination slot idx[i] */
	for (i = 0; i < n; i++)
		printf("%llu %llu %llu\n", sb + i * gap, db + idx[i] * gap, len);
	return 0;
}

/*
 * nvme-desc OUT SLBA:NLB ...: NVMe Copy source range entries, descriptor
 * format 0 (32 bytes each, little-endian), NLB zero-based as on the wire,
 * for "nvme io-passthru --opcode=0x19 --input-file=OUT".
 */
static int cmd_nvme_desc(int argc, char **argv)
{
	const char *use = "nvme-desc OUT SLBA:NLB0 ...";
	unsigned char d[32];
	FILE *f = NULL;
	int c;

	while ((c = next_opt(argc, argv, "-h", help_only, use)) != -1) {
		char buf[64], *colon;
		uint64_t slba, nlb;

		if (c != 1)
			continue;
		if (!f) {
			f = fopen(optarg, "w");
			if (!f) {
				fprintf(stderr, "copyoff-raw: %s: %s\n", optarg, strerror(errno));
				return 2;
			}
			continue;
		}
		snprintf(buf, sizeof(buf), "%s", optarg);
		colon = strchr(buf, ':');
		if (!colon)
			bad(optarg);
		*colon = '\0';
		if (!parse_size(buf, &slba) || !parse_size(colon + 1, &nlb) || nlb > 0xffff)
			bad(optarg);
		nvme_desc0(d, slba, nlb);
		fwrite(d, sizeof(d), 1, f);
	}
	if (!f)
		usage();
	return fclose(f) ? 2 : 0;
}

/*
 * either DEV OFF LEN SEED_A SEED_B BS [--buffered]: every BS-byte block of
 * [OFF, OFF+LEN) holds, whole, the pattern SEED_A or the pattern SEED_B
 * (patterns relative to OFF): no block mixes both, none holds anything else.
 */
static int cmd_either(int argc, char **argv)
{
	static int buffered;
	static const struct option opts[] = {
		{ "buffered", no_argument, &buffered, 1 },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	unsigned long long off, len, sa, sb, bs, pos, na = 0, nb = 0;
	unsigned char *buf, *pa, *pb;
	char *p[6];
	int fd;

	positionals(argc, argv, opts, "either DEV OFF LEN SEED_A SEED_B BS [--buffered]",
		    p, 6, 6);
	off = num(p[1]);
	len = num(p[2]);
	sa = num(p[3]);
	sb = num(p[4]);
	bs = num(p[5]);
	if (!bs || bs > IOBUF || IOBUF % bs || len % bs)
		bad("either: BS must divide 1 MiB and LEN");
	buf = iobuf();
	pa = iobuf();
	pb = iobuf();
	fd = open_data(p[0], O_RDONLY, buffered);
	for (pos = 0; pos < len; pos += bs) {
		xpread(fd, buf, bs, off + pos);
		pattern_fill(pa, pos, bs, sa);
		pattern_fill(pb, pos, bs, sb);
		if (!memcmp(buf, pa, bs)) {
			na++;
		} else if (!memcmp(buf, pb, bs)) {
			nb++;
		} else {
			printf("either FAIL: block at byte %llu is neither pattern\n", off + pos);
			return 1;
		}
	}
	printf("either ok %llu blocks A %llu blocks B\n", na, nb);
	close(fd);
	return 0;
}

static int cmd_mbr(int argc, char **argv)
{
	unsigned char mbr[512];
	char *p[9];
	int fd, i, n;

	n = positionals(argc, argv, NULL,
			"mbr DEV START SECTORS [START SECTORS ...] (up to 4)", p, 3, 9);
	if ((n - 1) % 2)
		usage();
	memset(mbr, 0, sizeof(mbr));
	for (i = 0; 1 + 2 * i < n; i++) {
		unsigned char *e = mbr + 446 + 16 * i;
		unsigned int start = num(p[1 + 2 * i]);
		unsigned int len = num(p[2 + 2 * i]);
		int b;

		e[4] = 0x83;
		for (b = 0; b < 4; b++) {
			e[8 + b] = start >> (8 * b);
			e[12 + b] = len >> (8 * b);
		}
	}
	mbr[510] = 0x55;
	mbr[511] = 0xaa;
	fd = open(p[0], O_RDWR);
	if (fd < 0 || pwrite(fd, mbr, 512, 0) != 512 || fsync(fd))
		bad("mbr: write");
	if (ioctl(fd, BLKRRPART, 0))
		bad("mbr: BLKRRPART");
	close(fd);
	return 0;
}

/*
 * blkop zeroout|discard|flush DEV OFF LEN: BLKZEROOUT or BLKDISCARD of
 * LEN bytes at OFF, or an fsync (a flush); prints the errno.
 */
static int cmd_blkop(int argc, char **argv)
{
	uint64_t r[2];
	char *p[4];
	int fd, ret;

	positionals(argc, argv, NULL, "blkop zeroout|discard|flush DEV OFF LEN", p, 4, 4);
	r[0] = num(p[2]);
	r[1] = num(p[3]);
	fd = open(p[1], O_RDWR);
	if (fd < 0)
		bad("blkop: open");
	if (!strcmp(p[0], "zeroout"))
		ret = ioctl(fd, BLKZEROOUT, r);
	else if (!strcmp(p[0], "discard"))
		ret = ioctl(fd, BLKDISCARD, r);
	else if (!strcmp(p[0], "flush"))
		ret = fsync(fd);
	else
		bad("blkop: zeroout, discard or flush");
	printf("rc=%d errno=%s\n", ret, errno_name(ret ? errno : 0));
	close(fd);
	return ret ? 1 : 0;
}

/* ioctl NR [SIZE]: a /dev/copyoff ioctl number the module may not know. */
static int cmd_ioctl(int argc, char **argv)
{
	static unsigned char buf[4096];
	unsigned long nr, size = 64;
	char *p[2];
	int ctl, ret;

	if (positionals(argc, argv, NULL, "ioctl NR [SIZE]", p, 1, 2) == 2)
		size = num(p[1]);
	nr = num(p[0]);
	if (nr > 0xff || size > sizeof(buf) || size >= (1UL << _IOC_SIZEBITS))
		bad("ioctl: NR 0..255, SIZE up to 4096");
	ctl = open("/dev/copyoff", O_RDWR);
	if (ctl < 0)
		bad("ioctl: open /dev/copyoff");
	ret = ioctl(ctl, _IOC(_IOC_READ | _IOC_WRITE, COPYOFF_IOC_MAGIC, nr, size), buf);
	printf("rc=%d errno=%s\n", ret, errno_name(ret ? errno : 0));
	close(ctl);
	return 0;
}

static int open_ctl(void)
{
	int ctl = open("/dev/copyoff", O_RDWR);

	if (ctl < 0) {
		printf("rc=-1 errno=%s (open /dev/copyoff)\n", errno_name(errno));
		exit(0);
	}
	return ctl;
}

static const struct option reserved_opts[] = {
	{ "reserved", required_argument, NULL, 'r' },
	{ "help", no_argument, NULL, 'h' },
	{ 0 }
};

static int cmd_features(int argc, char **argv)
{
	const char *use = "features [--reserved I=V]";
	struct copyoff_features f;
	int c, ctl, ret, e;

	memset(&f, 0, sizeof(f));
	while ((c = next_opt(argc, argv, "-h", reserved_opts, use)) != -1) {
		if (c == 'r')
			set_reserved(f.reserved, 4, optarg);
		else if (c == 1)
			usage();
	}
	ctl = open_ctl();
	ret = ioctl(ctl, COPYOFF_IOC_GET_FEATURES, &f);
	e = ret ? errno : 0;
	printf("rc=%d errno=%s abi=%u max_ranges=%u features=0x%llx flags=0x%llx version=%s\n",
	       ret, errno_name(e), f.abi_version, f.max_ranges,
	       (unsigned long long)f.features,
	       (unsigned long long)f.copy_flags, f.version);
	return 0;
}

static int cmd_info(int argc, char **argv)
{
	const char *use = "info FD-SPEC [--reserved I=V]", *spec = NULL;
	struct copyoff_info info;
	int c, ctl, ret, e;

	memset(&info, 0, sizeof(info));
	while ((c = next_opt(argc, argv, "-h", reserved_opts, use)) != -1) {
		if (c == 'r')
			set_reserved(info.reserved, 4, optarg);
		else if (c == 1 && !spec)
			spec = optarg;
		else if (c == 1)
			usage();
	}
	if (!spec)
		usage();
	ctl = open_ctl();
	info.fd = open_spec(spec, O_RDONLY, -1);
	ret = ioctl(ctl, COPYOFF_IOC_INFO, &info);
	e = ret ? errno : 0;
	printf("rc=%d errno=%s lbs=%u capacity=%llu offload=%d enabled=%d max_bytes=%llu max_bytes_hw=%llu max_range_bytes_hw=%llu max_ranges_hw=%u provider=%s detail=\"%s\"\n",
	       ret, errno_name(e), info.logical_block_size,
	       (unsigned long long)info.capacity,
	       !!(info.flags & COPYOFF_INFO_OFFLOAD),
	       !!(info.flags & COPYOFF_INFO_ENABLED),
	       (unsigned long long)info.copy_max_bytes,
	       (unsigned long long)info.copy_max_bytes_hw,
	       (unsigned long long)info.copy_max_range_bytes_hw,
	       info.max_ranges_hw, info.provider[0] ? info.provider : "-",
	       info.detail);
	return 0;
}

static int cmd_copy(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "flags", required_argument, NULL, 'F' },
		{ "nr", required_argument, NULL, 'n' },
		{ "reserved", required_argument, NULL, 'r' },
		{ "ranges", required_argument, NULL, 'R' },
		{ "setro", no_argument, NULL, 's' },
		{ "file", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	const char *use = "copy SRC-SPEC DST-SPEC [--flags N] [--nr N] [--reserved I=V]\n"
		"       [--ranges null|unmapped|readonly|partial] [--setro] [-f FILE] [SRC:DST:LEN ...]";
	const char *src = NULL, *dst = NULL, *where = NULL;
	struct range_list rl = { 0 };
	struct copyoff_range *r;
	struct copyoff_copy c;
	long nr_override = -1;
	int setro = 0, o, ctl, ret, e;
	void *mem = NULL;
	size_t memlen, n, i;

	memset(&c, 0, sizeof(c));
	while ((o = next_opt(argc, argv, "-f:h", opts, use)) != -1) {
		switch (o) {
		case 'F':
			c.flags = strtoul(optarg, NULL, 0);
			break;
		case 'n':
			nr_override = strtol(optarg, NULL, 0);
			break;
		case 'r':
			set_reserved(c.reserved, 4, optarg);
			break;
		case 'R':
			where = optarg;
			break;
		case 's':
			setro = 1;
			break;
		case 'f':
			add_file(&rl, optarg);
			break;
		case 1:
			if (!src)
				src = optarg;
			else if (!dst)
				dst = optarg;
			else
				add_range(&rl, optarg);
			break;
		}
	}
	if (!dst)
		usage();
	ctl = open_ctl();
	c.src_fd = open_spec(src, O_RDONLY, -1);
	c.dst_fd = open_spec(dst, O_RDWR, c.src_fd);
	r = rl.v;
	n = rl.n;
	if (setro) {
		int one = 1;

		if (ioctl(c.dst_fd, BLKROSET, &one))
			bad("BLKROSET");
	}
	c.nr_ranges = nr_override >= 0 ? (unsigned int)nr_override : n;
	c.ranges = (uintptr_t)r;
	memlen = ((n * sizeof(*r)) + 4095) / 4096 * 4096 + 4096;
	if (where && !strcmp(where, "null")) {
		c.ranges = 0;
	} else if (where) {
		mem = mmap(NULL, memlen, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (mem == MAP_FAILED)
			bad("mmap");
		if (!strcmp(where, "partial")) {
			/* the array straddles into an unmapped page */
			char *end = (char *)mem + memlen - 4096;
			char *p = end - (n * sizeof(*r)) / 2;

			memcpy(p, r, n * sizeof(*r) / 2);
			munmap(end, 4096);
			c.ranges = (uintptr_t)p;
		} else {
			memcpy(mem, r, n * sizeof(*r));
			c.ranges = (uintptr_t)mem;
			if (!strcmp(where, "unmapped"))
				munmap(mem, memlen);
			else if (!strcmp(where, "readonly"))
				mprotect(mem, memlen, PROT_READ);
			else
				bad("--ranges null|unmapped|readonly|partial");
			if (!strcmp(where, "readonly"))
				r = mem;
		}
	}
	ret = ioctl(ctl, COPYOFF_IOC_COPY, &c);
	e = ret ? errno : 0;
	printf("rc=%d errno=%s copied=%llu offloaded=%llu comp=", ret,
	       errno_name(e), (unsigned long long)c.copied,
	       (unsigned long long)c.offloaded);
	for (i = 0; i < n && (!where || !strcmp(where, "readonly")); i++)
		printf("%s%llu", i ? "," : "", r[i].comp_len == 0xdeadbeef ?
		       0xdeadbeefULL : (unsigned long long)r[i].comp_len);
	printf("\n");
	return 0;
}

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
} cmds[] = {
	{ "features", cmd_features }, { "info", cmd_info }, { "copy", cmd_copy },
	{ "verify", cmd_verify }, { "guard", cmd_guard }, { "either", cmd_either },
	{ "gen", cmd_gen }, { "nvme-desc", cmd_nvme_desc }, { "mbr", cmd_mbr },
	{ "blkop", cmd_blkop }, { "ioctl", cmd_ioctl },
};

int main(int argc, char **argv)
{
	size_t i;

	if (argc >= 2 && !strcmp(argv[1], "fill"))
		return cmd_fill(argc - 1, argv + 1, 0);
	if (argc >= 2 && !strcmp(argv[1], "expect"))
		return cmd_fill(argc - 1, argv + 1, 1);
	for (i = 0; argc >= 2 && i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(argv[1], cmds[i].name))
			return cmds[i].fn(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "--help")) {
		printf("usage: copyoff-raw features|info|copy|fill|expect|verify|guard|either|gen|nvme-desc|mbr|blkop|ioctl ...\n"
		       "(copyoff-raw COMMAND --help for each)\n");
		return 0;
	}
	bad("usage: copyoff-raw features|info|copy|fill|expect|verify|guard|either|gen|nvme-desc|mbr|blkop|ioctl ... (COMMAND --help)");
	return 2;
}
