// SPDX-License-Identifier: GPL-2.0
/*
 * copyoff-raw: send one raw /dev/copyoff ioctl with exactly the arguments
 * given, including wrong ones, and print what came back.  For tests.
 *
 *   copyoff-raw features [--reserved I=V]
 *   copyoff-raw info FD-SPEC [--reserved I=V]
 *   copyoff-raw copy SRC-SPEC DST-SPEC [options] [SRC:DST:LEN ...]
 *
 * FD-SPEC: PATH[@r|@w|@rw] (a block device or any file, opened that way;
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
#include <linux/copyoff.h>

#define IOBUF (1 << 20)

static unsigned long long splitmix(unsigned long long x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/*
 * The pattern: each 8-byte word is a function of the seed and of its offset
 * from the start of the region that was filled, so that a copied region
 * still holds "the pattern" at its new place.
 */
static void pattern(unsigned char *buf, unsigned long long off, size_t len,
		    unsigned long long seed)
{
	size_t i;

	for (i = 0; i < len; i += 8) {
		unsigned long long v = splitmix(seed * 0x100000001b3ULL ^ ((off + i) / 8));

		memcpy(buf + i, &v, 8);
	}
}

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

static const char *errname(int e)
{
	switch (e) {
	case 0: return "0";
	case EINVAL: return "EINVAL";
	case EBADF: return "EBADF";
	case ENOTBLK: return "ENOTBLK";
	case EROFS: return "EROFS";
	case EFAULT: return "EFAULT";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case ENOTTY: return "ENOTTY";
	case EIO: return "EIO";
	case ENOMEM: return "ENOMEM";
	case EINTR: return "EINTR";
	case ENOSPC: return "ENOSPC";
	case EPERM: return "EPERM";
	case EACCES: return "EACCES";
	case ENOLINK: return "ENOLINK";
	case ETIMEDOUT: return "ETIMEDOUT";
	case ENODEV: return "ENODEV";
	case ENXIO: return "ENXIO";
	default: return "OTHER";
	}
}

static void bad(const char *what)
{
	fprintf(stderr, "copyoff-raw: %s\n", what);
	exit(2);
}

static int open_spec(const char *spec, int def_flags, int same_fd)
{
	char path[4096];
	const char *at;
	int flags = def_flags, fds[2], fd;

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
	at = strrchr(spec, '@');
	if (at && (!strcmp(at, "@r") || !strcmp(at, "@w") || !strcmp(at, "@rw"))) {
		flags = !strcmp(at, "@r") ? O_RDONLY : !strcmp(at, "@w") ? O_WRONLY : O_RDWR;
		snprintf(path, sizeof(path), "%.*s", (int)(at - spec), spec);
	} else {
		snprintf(path, sizeof(path), "%s", spec);
	}
	fd = open(path, flags);
	if (fd < 0) {
		fprintf(stderr, "copyoff-raw: %s: %s\n", path, strerror(errno));
		exit(2);
	}
	return fd;
}

static void set_reserved(__u64 *res, unsigned int n, const char *arg)
{
	unsigned int i;
	unsigned long long v;

	if (sscanf(arg, "%u=%lli", &i, (long long *)&v) != 2 || i >= n)
		bad("--reserved I=V");
	res[i] = v;
}

struct rlist {
	struct copyoff_range *r;
	unsigned int n;
};

static void radd(struct rlist *l, unsigned long long s, unsigned long long d,
		 unsigned long long len)
{
	l->r = realloc(l->r, (l->n + 1) * sizeof(*l->r));
	if (!l->r)
		bad("out of memory");
	memset(&l->r[l->n], 0, sizeof(*l->r));
	l->r[l->n].src_off = s;
	l->r[l->n].dst_off = d;
	l->r[l->n].len = len;
	l->r[l->n].comp_len = 0xdeadbeef;
	l->n++;
}

static void rfile(struct rlist *l, const char *path)
{
	unsigned long long s, d, len;
	FILE *f = fopen(path, "r");

	if (!f)
		bad(path);
	while (fscanf(f, "%lli %lli %lli", (long long *)&s, (long long *)&d,
		      (long long *)&len) == 3)
		radd(l, s, d, len);
	fclose(f);
}

/* Parse "[-f FILE] [S:D:L ...]" from argv[a..]. */
static void rargs(struct rlist *l, int argc, char **argv, int a)
{
	unsigned long long s, d, len;

	for (; a < argc; a++) {
		if (!strcmp(argv[a], "-f") && a + 1 < argc)
			rfile(l, argv[++a]);
		else if (sscanf(argv[a], "%lli:%lli:%lli", (long long *)&s,
				(long long *)&d, (long long *)&len) == 3)
			radd(l, s, d, len);
		else
			bad(argv[a]);
	}
}

static int cmd_fill(int argc, char **argv, int expect)
{
	unsigned long long off, len, seed, done;
	int buffered = argc > 6 && !strcmp(argv[6], "--buffered");
	unsigned char *buf = iobuf(), *want = expect ? iobuf() : NULL;
	int fd;

	if (argc < 6)
		bad("usage: fill|expect DEV OFF LEN SEED [--buffered]");
	off = strtoull(argv[3], NULL, 0);
	len = strtoull(argv[4], NULL, 0);
	seed = strtoull(argv[5], NULL, 0);
	fd = open_data(argv[2], expect ? O_RDONLY : O_WRONLY, buffered);
	for (done = 0; done < len; done += IOBUF) {
		size_t n = len - done < IOBUF ? len - done : IOBUF;

		if (expect) {
			pattern(want, done, n, seed);
			xpread(fd, buf, n, off + done);
			if (memcmp(buf, want, n)) {
				size_t i = 0;

				while (buf[i] == want[i])
					i++;
				printf("expect FAIL at byte %llu\n", off + done + i);
				return 1;
			}
		} else {
			pattern(buf, done, n, seed);
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
	struct rlist l = { 0 };
	unsigned char *a = iobuf(), *b = iobuf();
	unsigned long long bytes = 0;
	unsigned int i;
	int sfd, dfd;

	if (argc < 4)
		bad("usage: verify SRC DST [-f FILE] [S:D:L ...]");
	sfd = open_data(argv[2], O_RDONLY, 0);
	dfd = open_data(argv[3], O_RDONLY, 0);
	rargs(&l, argc, argv, 4);
	for (i = 0; i < l.n; i++) {
		unsigned long long done;

		for (done = 0; done < l.r[i].len; done += IOBUF) {
			size_t n = l.r[i].len - done < IOBUF ? l.r[i].len - done : IOBUF;

			xpread(sfd, a, n, l.r[i].src_off + done);
			xpread(dfd, b, n, l.r[i].dst_off + done);
			if (memcmp(a, b, n)) {
				size_t k = 0;

				while (a[k] == b[k])
					k++;
				printf("verify FAIL range %u at byte %llu of %llu\n", i,
				       done + k, (unsigned long long)l.r[i].len);
				return 1;
			}
		}
		bytes += l.r[i].len;
	}
	printf("verify ok %u ranges %llu bytes\n", l.n, bytes);
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
	struct rlist l = { 0 };
	unsigned char *buf = iobuf(), *want = iobuf();
	unsigned int i = 0;
	int fd;

	if (argc < 6)
		bad("usage: guard DEV OFF LEN SEED [-f FILE] [S:D:L ...]");
	off = strtoull(argv[3], NULL, 0);
	len = strtoull(argv[4], NULL, 0);
	seed = strtoull(argv[5], NULL, 0);
	fd = open_data(argv[2], O_RDONLY, 0);
	rargs(&l, argc, argv, 6);
	qsort(l.r, l.n, sizeof(*l.r), cmp_dst);
	pos = off;
	end = off + len;
	while (pos < end) {
		unsigned long long stop = end;
		size_t n;

		/* skip destination ranges */
		while (i < l.n && l.r[i].dst_off + l.r[i].len <= pos)
			i++;
		if (i < l.n && l.r[i].dst_off <= pos) {
			pos = l.r[i].dst_off + l.r[i].len;
			continue;
		}
		if (i < l.n && l.r[i].dst_off < stop)
			stop = l.r[i].dst_off;
		n = stop - pos < IOBUF ? stop - pos : IOBUF;
		xpread(fd, buf, n, pos);
		pattern(want, pos - off, n, seed);
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

	if (argc < 7)
		bad("usage: gen N LEN SRC_BASE DST_BASE GAP [SHUFFLE_SEED]");
	n = strtoull(argv[2], NULL, 0);
	len = strtoull(argv[3], NULL, 0);
	sb = strtoull(argv[4], NULL, 0);
	db = strtoull(argv[5], NULL, 0);
	gap = strtoull(argv[6], NULL, 0);
	idx = calloc(n ? n : 1, sizeof(*idx));
	for (i = 0; i < n; i++)
		idx[i] = i;
	if (argc > 7) {
		unsigned long long seed = strtoull(argv[7], NULL, 0);

		for (i = n; i > 1; i--) {
			unsigned long long j = splitmix(seed + i) % i, t = idx[i - 1];

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
static void put_le(unsigned char *p, unsigned long long v, int bytes)
{
	int i;

	for (i = 0; i < bytes; i++)
		p[i] = v >> (8 * i);
}

static int cmd_nvme_desc(int argc, char **argv)
{
	unsigned char d[32];
	FILE *f;
	int a;

	if (argc < 4)
		bad("usage: nvme-desc OUT SLBA:NLB0 ...");
	f = fopen(argv[2], "w");
	if (!f) {
		fprintf(stderr, "copyoff-raw: %s: %s\n", argv[2], strerror(errno));
		return 2;
	}
	for (a = 3; a < argc; a++) {
		unsigned long long slba, nlb;

		if (sscanf(argv[a], "%lli:%lli", (long long *)&slba, (long long *)&nlb) != 2 ||
		    nlb > 0xffff)
			bad(argv[a]);
		memset(d, 0, sizeof(d));
		put_le(d + 8, slba, 8);
		put_le(d + 16, nlb, 2);
		fwrite(d, sizeof(d), 1, f);
	}
	return fclose(f) ? 2 : 0;
}

/*
 * either DEV OFF LEN SEED_A SEED_B BS [--buffered]: every BS-byte block of
 * [OFF, OFF+LEN) holds, whole, the pattern SEED_A or the pattern SEED_B
 * (patterns relative to OFF): no block mixes both, none holds anything else.
 */
static int cmd_either(int argc, char **argv)
{
	unsigned long long off, len, sa, sb, bs, pos, na = 0, nb = 0;
	unsigned char *buf, *pa, *pb;
	int fd;

	if (argc < 8)
		bad("usage: either DEV OFF LEN SEED_A SEED_B BS [--buffered]");
	off = strtoull(argv[3], NULL, 0);
	len = strtoull(argv[4], NULL, 0);
	sa = strtoull(argv[5], NULL, 0);
	sb = strtoull(argv[6], NULL, 0);
	bs = strtoull(argv[7], NULL, 0);
	if (!bs || bs > IOBUF || IOBUF % bs || len % bs)
		bad("either: BS must divide 1 MiB and LEN");
	buf = iobuf();
	pa = iobuf();
	pb = iobuf();
	fd = open_data(argv[2], O_RDONLY, argc > 8 && !strcmp(argv[8], "--buffered"));
	for (pos = 0; pos < len; pos += bs) {
		xpread(fd, buf, bs, off + pos);
		pattern(pa, pos, bs, sa);
		pattern(pb, pos, bs, sb);
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
	int fd, i;

	if (argc < 5 || (argc - 3) % 2 || argc > 11)
		bad("usage: mbr DEV START SECTORS [START SECTORS ...] (up to 4)");
	memset(mbr, 0, sizeof(mbr));
	for (i = 0; 3 + 2 * i < argc; i++) {
		unsigned char *e = mbr + 446 + 16 * i;
		unsigned int start = strtoul(argv[3 + 2 * i], NULL, 0);
		unsigned int n = strtoul(argv[4 + 2 * i], NULL, 0);
		int b;

		e[4] = 0x83;
		for (b = 0; b < 4; b++) {
			e[8 + b] = start >> (8 * b);
			e[12 + b] = n >> (8 * b);
		}
	}
	mbr[510] = 0x55;
	mbr[511] = 0xaa;
	fd = open(argv[2], O_RDWR);
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
	int fd, ret;

	if (argc != 6)
		bad("usage: copyoff-raw blkop zeroout|discard|flush DEV OFF LEN");
	r[0] = strtoull(argv[4], NULL, 0);
	r[1] = strtoull(argv[5], NULL, 0);
	fd = open(argv[3], O_RDWR);
	if (fd < 0)
		bad("blkop: open");
	if (!strcmp(argv[2], "zeroout"))
		ret = ioctl(fd, BLKZEROOUT, r);
	else if (!strcmp(argv[2], "discard"))
		ret = ioctl(fd, BLKDISCARD, r);
	else if (!strcmp(argv[2], "flush"))
		ret = fsync(fd);
	else
		bad("blkop: zeroout, discard or flush");
	printf("rc=%d errno=%s\n", ret, errname(ret ? errno : 0));
	close(fd);
	return ret ? 1 : 0;
}

/* ioctl NR [SIZE]: a /dev/copyoff ioctl number the module may not know. */
static int cmd_ioctl(int argc, char **argv)
{
	static unsigned char buf[4096];
	unsigned long nr, size = 64;
	int ctl, ret;

	if (argc < 3 || argc > 4)
		bad("usage: copyoff-raw ioctl NR [SIZE]");
	nr = strtoul(argv[2], NULL, 0);
	if (argc == 4)
		size = strtoul(argv[3], NULL, 0);
	if (nr > 0xff || size > sizeof(buf) || size >= (1UL << _IOC_SIZEBITS))
		bad("ioctl: NR 0..255, SIZE up to 4096");
	ctl = open("/dev/copyoff", O_RDWR);
	if (ctl < 0)
		bad("ioctl: open /dev/copyoff");
	ret = ioctl(ctl, _IOC(_IOC_READ | _IOC_WRITE, COPYOFF_IOC_MAGIC, nr, size), buf);
	printf("rc=%d errno=%s\n", ret, errname(ret ? errno : 0));
	close(ctl);
	return 0;
}

int main(int argc, char **argv)
{
	int ctl, ret, e;

	if (argc >= 2 && !strcmp(argv[1], "ioctl"))
		return cmd_ioctl(argc, argv);
	if (argc >= 2 && !strcmp(argv[1], "blkop"))
		return cmd_blkop(argc, argv);
	if (argc >= 2 && !strcmp(argv[1], "either"))
		return cmd_either(argc, argv);
	if (argc >= 2 && !strcmp(argv[1], "nvme-desc"))
		return cmd_nvme_desc(argc, argv);
	if (argc >= 2 && !strcmp(argv[1], "mbr"))
		return cmd_mbr(argc, argv);
	if (argc >= 2 && !strcmp(argv[1], "fill"))
		return cmd_fill(argc, argv, 0);
	if (argc >= 2 && !strcmp(argv[1], "expect"))
		return cmd_fill(argc, argv, 1);
	if (argc >= 2 && !strcmp(argv[1], "verify"))
		return cmd_verify(argc, argv);
	if (argc >= 2 && !strcmp(argv[1], "guard"))
		return cmd_guard(argc, argv);
	if (argc >= 2 && !strcmp(argv[1], "gen"))
		return cmd_gen(argc, argv);

	if (argc < 2)
		bad("usage: copyoff-raw features|info|copy ...");
	ctl = open("/dev/copyoff", O_RDWR);
	if (ctl < 0) {
		printf("rc=-1 errno=%s (open /dev/copyoff)\n", errname(errno));
		return 0;
	}

	if (!strcmp(argv[1], "features")) {
		struct copyoff_features f;

		memset(&f, 0, sizeof(f));
		if (argc == 4 && !strcmp(argv[2], "--reserved"))
			set_reserved(f.reserved, 4, argv[3]);
		ret = ioctl(ctl, COPYOFF_IOC_GET_FEATURES, &f);
		e = ret ? errno : 0;
		printf("rc=%d errno=%s abi=%u max_ranges=%u features=0x%llx flags=0x%llx version=%s\n",
		       ret, errname(e), f.abi_version, f.max_ranges,
		       (unsigned long long)f.features,
		       (unsigned long long)f.copy_flags, f.version);
		return 0;
	}

	if (!strcmp(argv[1], "info")) {
		struct copyoff_info info;

		if (argc < 3)
			bad("usage: copyoff-raw info FD-SPEC");
		memset(&info, 0, sizeof(info));
		info.fd = open_spec(argv[2], O_RDONLY, -1);
		if (argc == 5 && !strcmp(argv[3], "--reserved"))
			set_reserved(info.reserved, 4, argv[4]);
		ret = ioctl(ctl, COPYOFF_IOC_INFO, &info);
		e = ret ? errno : 0;
		printf("rc=%d errno=%s lbs=%u capacity=%llu offload=%d enabled=%d max_bytes=%llu max_bytes_hw=%llu max_range_bytes_hw=%llu max_ranges_hw=%u provider=%s detail=\"%s\"\n",
		       ret, errname(e), info.logical_block_size,
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

	if (!strcmp(argv[1], "copy")) {
		struct copyoff_copy c;
		struct copyoff_range *r = NULL;
		struct rlist rl = { 0 };
		unsigned int n = 0, i;
		int setro = 0;
		long nr_override = -1;
		const char *where = NULL;
		void *mem = NULL;
		size_t memlen;
		int a;

		if (argc < 4)
			bad("usage: copyoff-raw copy SRC DST ...");
		memset(&c, 0, sizeof(c));
		c.src_fd = open_spec(argv[2], O_RDONLY, -1);
		c.dst_fd = open_spec(argv[3], O_RDWR, c.src_fd);
		for (a = 4; a < argc; a++) {
			unsigned long long s, d, l;

			if (!strcmp(argv[a], "--flags") && a + 1 < argc) {
				c.flags = strtoul(argv[++a], NULL, 0);
			} else if (!strcmp(argv[a], "--nr") && a + 1 < argc) {
				nr_override = strtol(argv[++a], NULL, 0);
			} else if (!strcmp(argv[a], "--reserved") && a + 1 < argc) {
				set_reserved(c.reserved, 4, argv[++a]);
			} else if (!strcmp(argv[a], "--ranges") && a + 1 < argc) {
				where = argv[++a];
			} else if (!strcmp(argv[a], "--setro")) {
				setro = 1;
			} else if (!strcmp(argv[a], "-f") && a + 1 < argc) {
				rl.r = r;
				rl.n = n;
				rfile(&rl, argv[++a]);
				r = rl.r;
				n = rl.n;
			} else if (sscanf(argv[a], "%lli:%lli:%lli", (long long *)&s,
					  (long long *)&d, (long long *)&l) == 3) {
				r = realloc(r, (n + 1) * sizeof(*r));
				if (!r)
					bad("out of memory");
				memset(&r[n], 0, sizeof(*r));
				r[n].src_off = s;
				r[n].dst_off = d;
				r[n].len = l;
				r[n].comp_len = 0xdeadbeef;
				n++;
			} else {
				bad(argv[a]);
			}
		}
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
		       errname(e), (unsigned long long)c.copied,
		       (unsigned long long)c.offloaded);
		for (i = 0; i < n && (!where || !strcmp(where, "readonly")); i++)
			printf("%s%llu", i ? "," : "", r[i].comp_len == 0xdeadbeef ?
			       0xdeadbeefULL : (unsigned long long)r[i].comp_len);
		printf("\n");
		return 0;
	}
	bad("usage: copyoff-raw features|info|copy ...");
	return 2;
}
