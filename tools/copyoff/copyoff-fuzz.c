// SPDX-License-Identifier: GPL-2.0
/*
 * copyoff-fuzz: random and boundary-biased /dev/copyoff ioctls, checked
 * against a model of the two scratch devices.
 *
 *   copyoff-fuzz [--seed N] [--calls N] [--check-every N] DEV_A DEV_B RO_DEV
 *
 * DEV_A, DEV_B and RO_DEV are scratch block devices of at least 9 MiB:
 * their first 4 MiB and last 1 MiB ("windows") are overwritten.  RO_DEV is
 * then made read-only (BLKROSET), for EROFS cases and as a source.
 *
 * Every call draws each argument from valid values and from hostile ones:
 * bad, closed and foreign fds (regular file, pipe, char device, directory,
 * /dev/copyoff itself, a read-only or write-only open), counts 0, 1..64,
 * COPYOFF_MAX_RANGES and above, unmapped, partially mapped, read-only and
 * kernel range arrays and argument structures, offsets and lengths at and
 * past the capacity, near 2^64, misaligned, zero, reserved fields, unknown
 * flags and unknown ioctl numbers.  Valid offsets always fall in a window,
 * so that every byte a successful copy may write is modelled.
 *
 * Checked for every call: the errno is one the ABI documents for that
 * ioctl (EOPNOTSUPP only with COPYOFF_F_NO_EMULATION); a call refused before
 * the copy started wrote nothing back (no comp_len, no data); a successful
 * copy reports comp_len = len and copied = the sum; a copy that stopped part
 * way (EOPNOTSUPP under NO_EMULATION) has exactly its comp_len bytes
 * copied.  Every --check-every calls and at the end the windows are read back
 * and compared with the model byte for byte: a byte a call did not ask for
 * that changed, or a copied byte that is wrong, fails the run.
 *
 * Prints the seed first (rerun with --seed to reproduce) and a summary
 * line; exit status 0 only if nothing was wrong.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/fs.h>
#include <getopt.h>
#include <linux/copyoff.h>
#include "lib.h"

#define HEAD	(4ULL << 20)
#define TAIL	(1ULL << 20)
#define NDEV	3		/* A, B, and the read-only device */
#define NRW	2		/* of which writable */
#define SENTINEL 0x5a5a5a5a5a5a5a5aULL

static uint64_t rng;

static uint64_t rnd(void)
{
	uint64_t x = splitmix64(rng);

	rng += 0x9e3779b97f4a7c15ULL;
	return x;
}

static uint64_t below(uint64_t n)
{
	return n ? rnd() % n : 0;
}

static int pct(int p)
{
	return (int)below(100) < p;
}

struct dev {
	const char *path;
	int fd;			/* open read-write */
	uint64_t cap;
	uint32_t lbs;
	unsigned char *head;	/* model of [0, HEAD) */
	unsigned char *tail;	/* model of [cap - TAIL, cap) */
	struct stat st;
};

static struct dev devs[NDEV];
static int ctl, fd_pool[32], nfd_pool;
static unsigned char *page_none, *page_ro, *page_rw;
static long pagesz;
static unsigned long long calls, ok_calls, bad, errs[256], bytes_verified;
static unsigned long long copies_ok, bytes_copied, partial;

static void die(const char *what)
{
	fprintf(stderr, "copyoff-fuzz: %s: %s\n", what, strerror(errno));
	exit(2);
}

static char last[512];		/* the last copy call, for diagnosis */

static void fail(const char *fmt, const char *detail)
{
	bad++;
	if (bad <= 20)
		printf("FAIL call %llu: %s %s\n  last copy: %s\n", calls, fmt,
		       detail ? detail : "", last);
}

/* The model byte for @off of @d, or NULL if @off is outside the windows. */
static unsigned char *model(struct dev *d, uint64_t off)
{
	if (off < HEAD)
		return d->head + off;
	if (off >= d->cap - TAIL && off < d->cap)
		return d->tail + (off - (d->cap - TAIL));
	return NULL;
}

static int in_window(struct dev *d, uint64_t off, uint64_t len)
{
	if (len == 0 || off + len < off)
		return 0;
	return (off + len <= HEAD) ||
	       (off >= d->cap - TAIL && off + len <= d->cap);
}

static void xpread_all(int fd, void *buf, size_t n, uint64_t off)
{
	size_t done = 0;

	while (done < n) {
		ssize_t r = pread(fd, (char *)buf + done, n - done, off + done);

		if (r <= 0)
			die("read back");
		done += r;
	}
}

static void xpwrite_all(int fd, const void *buf, size_t n, uint64_t off)
{
	size_t done = 0;

	while (done < n) {
		ssize_t r = pwrite(fd, (const char *)buf + done, n - done, off + done);

		if (r <= 0)
			die("write");
		done += r;
	}
}

static void check_windows(void)
{
	unsigned char *buf;
	int i;

	if (posix_memalign((void **)&buf, 4096, HEAD))
		die("memory");
	for (i = 0; i < NDEV; i++) {
		struct dev *d = &devs[i];
		struct { unsigned char *m; uint64_t off, len; } w[2] = {
			{ d->head, 0, HEAD }, { d->tail, d->cap - TAIL, TAIL },
		};
		int k;

		for (k = 0; k < 2; k++) {
			xpread_all(d->fd, buf, w[k].len, w[k].off);
			if (memcmp(buf, w[k].m, w[k].len)) {
				uint64_t j = 0;
				char at[96];

				while (buf[j] == w[k].m[j])
					j++;
				snprintf(at, sizeof(at), "%s byte %llu differs from the model",
					 d->path, (unsigned long long)(w[k].off + j));
				fail("data:", at);
				/* resynchronise so that one fault is reported once */
				memcpy(w[k].m, buf, w[k].len);
			}
			bytes_verified += w[k].len;
		}
	}
	free(buf);
}

/* The modelled device an fd is open on (however it was opened), or NULL. */
static struct dev *dev_of_fd(int fd)
{
	struct stat st;
	int i;

	if (fd < 0 || fstat(fd, &st) || !S_ISBLK(st.st_mode))
		return NULL;
	for (i = 0; i < NDEV; i++)
		if (devs[i].st.st_rdev == st.st_rdev)
			return &devs[i];
	return NULL;
}

/* An offset: mostly block-aligned inside a window, sometimes hostile. */
static uint64_t gen_off(struct dev *d, uint64_t len)
{
	static const uint64_t wild[] = {
		1, 511, 513, 4095, 4097, 1ULL << 63, ~0ULL, ~0ULL - 511,
		~0ULL - 4095, 1ULL << 62, (1ULL << 62) + 512,
	};
	uint64_t lbs = d ? d->lbs : 512, cap = d ? d->cap : 1ULL << 30;

	if (len > TAIL)
		len = TAIL;
	if (pct(85)) {
		if (pct(70))
			return below((HEAD - len) / lbs + 1) * lbs;
		return cap - TAIL + below((TAIL - len) / lbs + 1) * lbs;
	}
	switch (below(6)) {
	case 0: return cap;
	case 1: return cap - lbs;
	case 2: return cap + 4096 * below(4);
	case 3: return (1ULL << 62) + below(1ULL << 62);
	case 4: return below(HEAD) | 1;
	default: return wild[below(sizeof(wild) / sizeof(wild[0]))];
	}
}

static uint64_t gen_len(uint32_t lbs)
{
	static const uint64_t sizes[] = { 512, 1024, 4096, 8192, 65536 };

	if (pct(92)) {
		uint64_t l = pct(70) ? sizes[below(5)] : (below(64) + 1) * 4096;

		return l < lbs ? lbs : l;
	}
	switch (below(5)) {
	case 0: return 0;
	case 1: return 511;
	case 2: return lbs + 1;
	case 3: return ~0ULL - 511;
	default: return 1ULL << 63;
	}
}

static int gen_fd(void)
{
	if (pct(80))
		return devs[below(NRW)].fd;
	return fd_pool[below(nfd_pool)];
}

/* Where a user structure of @size lives: its address, and whether the kernel
 * may read and write it.
 */
enum where { W_OK_RW, W_NULL, W_NONE, W_RO, W_PARTIAL, W_KERNEL };

static enum where gen_where(int p_bad)
{
	if (!pct(p_bad))
		return W_OK_RW;
	return (enum where)(1 + below(5));
}

static void *place(enum where w, const void *src, size_t size, void *ok_buf)
{
	switch (w) {
	case W_NULL:
		return NULL;
	case W_NONE:
		return page_none;
	case W_KERNEL:
		return (void *)0xffff888000001000ULL;
	case W_RO:
		if (size > (size_t)pagesz)
			return page_none;
		mprotect(page_ro, pagesz, PROT_READ | PROT_WRITE);
		memcpy(page_ro, src, size);
		mprotect(page_ro, pagesz, PROT_READ);
		return page_ro;
	case W_PARTIAL:
		/* ends in the PROT_NONE page after page_rw */
		if (size <= 8)
			return page_none;
		{
			size_t part = size / 2 < (size_t)pagesz / 2 ?
				      size / 2 : (size_t)pagesz / 2;

			memcpy(page_rw + pagesz - part, src, part);
			return page_rw + pagesz - part;
		}
	default:
		if (ok_buf != src)
			memcpy(ok_buf, src, size);
		return ok_buf;
	}
}

/* An errno's name ("0" for none), or its number when it has no name. */
static const char *ename(int e)
{
	static char buf[16];
	const char *n = errno_name(e);

	if (strcmp(n, "OTHER"))
		return n;
	snprintf(buf, sizeof(buf), "errno %d", e);
	return buf;
}

static void note(int e)
{
	errs[e & 255]++;
}

/* Read [off, off + len) of @d into the model at @m (O_DIRECT: aligned). */
static void resync(struct dev *d, uint64_t off, uint64_t len, unsigned char *m)
{
	unsigned char *buf;
	uint64_t a = off & ~4095ULL, n = ((off + len + 4095) & ~4095ULL) - a;

	if (posix_memalign((void **)&buf, 4096, n))
		die("memory");
	xpread_all(d->fd, buf, n, a);
	memcpy(m, buf + (off - a), len);
	free(buf);
}

static void fuzz_copy(int valid)
{
	static struct copyoff_range *r, *r_copy;
	static struct copyoff_copy *argbuf;
	struct copyoff_copy c;
	struct copyoff_range *ur;
	struct copyoff_copy *uc;
	enum where wr = W_OK_RW, wc = W_OK_RW;
	struct dev *sd, *dd;
	uint64_t nr, i, sum = 0;
	int ret, e;

	if (!r) {
		r = calloc(COPYOFF_MAX_RANGES + 1, sizeof(*r));
		r_copy = calloc(COPYOFF_MAX_RANGES + 1, sizeof(*r));
		argbuf = calloc(1, sizeof(*argbuf));
		if (!r || !r_copy || !argbuf)
			die("memory");
	}
	memset(&c, 0, sizeof(c));
	if (valid) {
		c.src_fd = devs[below(NDEV)].fd;
		c.dst_fd = devs[below(NRW)].fd;
		nr = 1 + below(16);
	} else {
		c.src_fd = gen_fd();
		c.dst_fd = gen_fd();
		c.flags = pct(70) ? 0 : pct(30) ? COPYOFF_F_EMULATE :
			  pct(30) ? COPYOFF_F_NO_EMULATION :
			  pct(30) ? COPYOFF_F_VALIDATE_ONLY :
			  pct(50) ? COPYOFF_F_EMULATE | COPYOFF_F_NO_EMULATION :
			  (uint32_t)rnd();
		if (pct(80))
			nr = 1 + below(8);
		else
			switch (below(6)) {
			case 0: nr = 0; break;
			case 1: nr = 9 + below(56); break;
			case 2: nr = COPYOFF_MAX_RANGES; break;
			case 3: nr = COPYOFF_MAX_RANGES + 1; break;
			case 4: nr = 0xffffffffU; break;
			default: nr = (uint32_t)rnd(); break;
			}
		if (pct(3))
			c.reserved[below(4)] = rnd() | 1;
		wr = gen_where(10);
		wc = gen_where(4);
	}
	c.nr_ranges = nr;
	sd = dev_of_fd(c.src_fd);
	dd = dev_of_fd(c.dst_fd);
	for (i = 0; i < nr && i <= COPYOFF_MAX_RANGES; i++) {
		uint32_t lbs = 512;

		if (sd && sd->lbs > lbs)
			lbs = sd->lbs;
		if (dd && dd->lbs > lbs)
			lbs = dd->lbs;
		if (valid) {
			/* disjoint slots: sources in one half of a window,
			 * destinations in the other */
			uint64_t slot = 16384, n = HEAD / 2 / slot;

			r[i].len = (1 + below(slot / lbs)) * lbs;
			r[i].src_off = below(n) * slot;
			r[i].dst_off = HEAD / 2 + ((i * 7 + below(1)) % n) * slot;
			if (i >= n)
				nr = c.nr_ranges = i;
		} else {
			r[i].len = gen_len(lbs);
			r[i].src_off = gen_off(sd, r[i].len);
			r[i].dst_off = gen_off(dd, r[i].len);
		}
		r[i].comp_len = SENTINEL;
	}
	if (valid && sd != dd)
		for (i = 0; i < nr; i++)
			r[i].src_off = below(HEAD / 16384) * 16384;
	for (i = 0; i < nr && i <= COPYOFF_MAX_RANGES; i++)
		sum += r[i].len;

	if (nr && nr <= COPYOFF_MAX_RANGES)
		ur = place(wr, r, nr * sizeof(*r), r);
	else
		ur = place(wr == W_OK_RW ? W_OK_RW : wr, r, sizeof(*r), r);
	c.ranges = (uintptr_t)ur;
	uc = place(wc, &c, sizeof(c), argbuf);

	calls++;
	ret = ioctl(ctl, COPYOFF_IOC_COPY, uc);
	e = ret ? errno : 0;
	note(e);
	{
		int o = snprintf(last, sizeof(last), "#%llu %s src %s dst %s flags 0x%x nr %llu where %d/%d ->%s:",
				 calls, valid ? "valid" : "random",
				 sd ? sd->path : "-", dd ? dd->path : "-", c.flags,
				 (unsigned long long)nr, wr, wc, ename(e));

		for (i = 0; i < nr && i < 6 && o < (int)sizeof(last) - 64; i++)
			o += snprintf(last + o, sizeof(last) - o, " %llu:%llu:%llu",
				      (unsigned long long)r[i].src_off,
				      (unsigned long long)r[i].dst_off,
				      (unsigned long long)r[i].len);
	}

	if (valid && ret) {
		fail("a valid copy failed:", ename(e));
		return;
	}
	if (ret) {
		switch (e) {
		case EFAULT: case EINVAL: case EBADF: case ENOTBLK: case EROFS:
			break;
		case EOPNOTSUPP:
			if (c.flags & COPYOFF_F_NO_EMULATION)
				break;
			/* fall through */
		default:
			fail("undocumented errno", ename(e));
			return;
		}
		if (wr != W_OK_RW || nr > COPYOFF_MAX_RANGES)
			return;
		for (i = 0; i < nr; i++)
			if (ur[i].comp_len != SENTINEL)
				break;
		if (i == nr)		/* refused before the copy started */
			return;
		if (e != EOPNOTSUPP || !sd || !dd) {
			fail("a refused call wrote comp_len:", ename(e));
			return;
		}
		/* Stopped part way: comp_len bytes copied; what follows in
		 * each range is unknown, so the model takes the device's.
		 */
		for (i = 0; i < nr; i++) {
			unsigned char *m;

			if (ur[i].comp_len > ur[i].len ||
			    !in_window(sd, r[i].src_off, r[i].len) ||
			    !in_window(dd, r[i].dst_off, r[i].len)) {
				fail("part-way copy: bad comp_len or range", NULL);
				return;
			}
			memmove(model(dd, r[i].dst_off), model(sd, r[i].src_off),
				ur[i].comp_len);
			m = model(dd, r[i].dst_off + ur[i].comp_len);
			if (ur[i].comp_len < ur[i].len)
				resync(dd, r[i].dst_off + ur[i].comp_len,
				       ur[i].len - ur[i].comp_len, m);
		}
		partial++;
		return;
	}
	ok_calls++;
	if (c.flags & COPYOFF_F_VALIDATE_ONLY)
		return;
	/* Success: the arguments were valid; so was every range. */
	if (!sd || !dd || wr != W_OK_RW || wc != W_OK_RW) {
		fail("copy succeeded with arguments it should refuse", NULL);
		return;
	}
	if (uc->copied != sum)
		fail("copied is not the sum of the lengths", NULL);
	for (i = 0; i < nr; i++) {
		if (ur[i].comp_len != ur[i].len)
			fail("comp_len is not len after success", NULL);
		if (!in_window(sd, r[i].src_off, r[i].len) ||
		    !in_window(dd, r[i].dst_off, r[i].len)) {
			fail("a copy outside the windows succeeded", NULL);
			return;
		}
	}
	/* Apply to the model: no source overlaps a destination on one device,
	 * so the order does not matter.
	 */
	for (i = 0; i < nr; i++)
		memmove(model(dd, r[i].dst_off), model(sd, r[i].src_off), r[i].len);
	copies_ok++;
	bytes_copied += sum;
}

static void fuzz_info(void)
{
	struct copyoff_info in, *u;
	static struct copyoff_info buf;
	enum where w = gen_where(10);
	struct dev *d;
	int ret, e;

	memset(&in, 0, sizeof(in));
	in.fd = pct(60) ? devs[below(NDEV)].fd : fd_pool[below(nfd_pool)];
	if (pct(5))
		in.reserved[below(4)] = rnd() | 1;
	u = place(w, &in, sizeof(in), &buf);
	calls++;
	ret = ioctl(ctl, COPYOFF_IOC_INFO, u);
	e = ret ? errno : 0;
	note(e);
	if (ret) {
		if (e != EBADF && e != ENOTBLK && e != EINVAL && e != EFAULT)
			fail("info: undocumented errno", ename(e));
		return;
	}
	ok_calls++;
	d = dev_of_fd(in.fd);
	if (w != W_OK_RW || in.reserved[0] || in.reserved[1] || in.reserved[2] || in.reserved[3])
		fail("info succeeded with arguments it should refuse", NULL);
	else if (d && (u->capacity != d->cap || u->logical_block_size != d->lbs))
		fail("info: wrong capacity or block size", d->path);
}

static void fuzz_other(void)
{
	struct copyoff_features f, *u;
	static struct copyoff_features buf;
	int ret, e;

	calls++;
	if (pct(50)) {
		enum where w = gen_where(15);

		memset(&f, 0, sizeof(f));
		if (pct(5))
			f.reserved[below(4)] = rnd() | 1;
		u = place(w, &f, sizeof(f), &buf);
		ret = ioctl(ctl, COPYOFF_IOC_GET_FEATURES, u);
		e = ret ? errno : 0;
		note(e);
		if (ret && e != EINVAL && e != EFAULT)
			fail("features: undocumented errno", ename(e));
		if (!ret) {
			ok_calls++;
			if (w != W_OK_RW || u->abi_version != COPYOFF_ABI_VERSION)
				fail("features: wrong answer", NULL);
		}
		return;
	}
	/* An ioctl number that is not one of ours. */
	{
		static const unsigned long known[] = {
			COPYOFF_IOC_GET_FEATURES, COPYOFF_IOC_INFO, COPYOFF_IOC_COPY,
		};
		unsigned long cmd;

		unsigned int type;

		/* not ours, and not one the VFS answers for every file */
		do {
			cmd = pct(50) ? _IOC(below(4), COPYOFF_IOC_MAGIC, below(256), below(512)) :
				(unsigned long)(uint32_t)rnd();
			type = _IOC_TYPE(cmd);
		} while (cmd == known[0] || cmd == known[1] || cmd == known[2] ||
			 type == 0 || type == 'T' || type == 'X' || type == 'f' ||
			 type == 0x94);
		ret = ioctl(ctl, cmd, page_rw);
		e = ret ? errno : 0;
		note(e);
		if (e != ENOTTY) {
			char s[64];

			snprintf(s, sizeof(s), "cmd 0x%lx: %s", cmd, ename(e));
			fail("unknown ioctl not ENOTTY:", s);
		}
	}
}

static void open_devs(char **paths)
{
	int i, fd, one = 1, p[2];
	unsigned char *buf;

	for (i = 0; i < NDEV; i++) {
		struct dev *d = &devs[i];

		d->path = paths[i];
		d->fd = open(paths[i], O_RDWR | O_DIRECT);
		if (d->fd < 0 || fstat(d->fd, &d->st))
			die(paths[i]);
		if (ioctl(d->fd, BLKGETSIZE64, &d->cap) || ioctl(d->fd, BLKSSZGET, &d->lbs))
			die("device size");
		if (d->cap < HEAD + TAIL + HEAD)
			die("device smaller than 9 MiB");
		if (posix_memalign((void **)&d->head, 4096, HEAD) ||
		    posix_memalign((void **)&d->tail, 4096, TAIL))
			die("memory");
		for (buf = d->head; buf < d->head + HEAD; buf += 8) {
			uint64_t v = rnd();

			memcpy(buf, &v, 8);
		}
		for (buf = d->tail; buf < d->tail + TAIL; buf += 8) {
			uint64_t v = rnd();

			memcpy(buf, &v, 8);
		}
		xpwrite_all(d->fd, d->head, HEAD, 0);
		xpwrite_all(d->fd, d->tail, TAIL, d->cap - TAIL);
	}
	/* the third device is read-only from here on */
	if (ioctl(devs[2].fd, BLKROSET, &one))
		die("BLKROSET");
	/* hostile fds */
	fd_pool[nfd_pool++] = devs[2].fd;	/* EROFS as destination */
	fd_pool[nfd_pool++] = open(paths[0], O_RDONLY);
	fd_pool[nfd_pool++] = open(paths[1], O_WRONLY);
	fd_pool[nfd_pool++] = open("/tmp/copyoff-fuzz.file", O_RDWR | O_CREAT, 0600);
	if (ftruncate(fd_pool[nfd_pool - 1], 1 << 20))
		die("regular file");
	if (pipe(p))
		die("pipe");
	fd_pool[nfd_pool++] = p[0];
	fd_pool[nfd_pool++] = p[1];
	fd_pool[nfd_pool++] = open("/dev/null", O_RDWR);
	fd_pool[nfd_pool++] = open("/", O_RDONLY | O_DIRECTORY);
	fd_pool[nfd_pool++] = ctl;
	fd = open("/dev/null", O_RDONLY);
	close(fd);
	fd_pool[nfd_pool++] = fd;		/* closed */
	fd_pool[nfd_pool++] = -1;
	fd_pool[nfd_pool++] = 1 << 30;
	fd_pool[nfd_pool++] = -2147483647 - 1;
	for (i = 0; i < nfd_pool; i++)
		if (fd_pool[i] == -1 && i < 9)
			die("opening the hostile fds");
}

int main(int argc, char **argv)
{
	unsigned long long seed = 0, ncalls = 100000, every = 5000, n;
	int a, i;
	time_t t0 = time(NULL);

	static const struct option opts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "calls", required_argument, NULL, 'c' },
		{ "check-every", required_argument, NULL, 'e' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	const char *use = "usage: copyoff-fuzz [--seed N] [--calls N] [--check-every N] DEV_A DEV_B RO_DEV\n";
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			seed = size_arg("copyoff-fuzz", "--seed", optarg);
			break;
		case 'c':
			ncalls = size_arg("copyoff-fuzz", "--calls", optarg);
			break;
		case 'e':
			every = size_arg("copyoff-fuzz", "--check-every", optarg);
			break;
		case 'h':
			fputs(use, stdout);
			return 0;
		default:
			fputs(use, stderr);
			return 2;
		}
	}
	a = optind;
	if (argc - a != 3) {
		fputs(use, stderr);
		return 2;
	}
	if (!seed)
		seed = (unsigned long long)t0 ^ ((unsigned long long)getpid() << 20);
	rng = seed;
	printf("copyoff-fuzz: seed %llu, %llu calls (rerun: --seed %llu)\n", seed, ncalls, seed);
	fflush(stdout);

	pagesz = sysconf(_SC_PAGESIZE);
	page_rw = mmap(NULL, 3 * pagesz, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (page_rw == MAP_FAILED)
		die("mmap");
	page_none = page_rw + pagesz;
	page_ro = page_rw + 2 * pagesz;
	mprotect(page_none, pagesz, PROT_NONE);
	ctl = open("/dev/copyoff", O_RDWR);
	if (ctl < 0)
		die("/dev/copyoff");
	open_devs(argv + a);

	for (n = 0; n < ncalls; n++) {
		unsigned int k = below(100);

		if (k < 15)
			fuzz_copy(1);
		else if (k < 80)
			fuzz_copy(0);
		else if (k < 92)
			fuzz_info();
		else
			fuzz_other();
		if (every && (n + 1) % every == 0)
			check_windows();
	}
	check_windows();

	printf("copyoff-fuzz: seed %llu: %llu calls, %llu succeeded (%llu copies, %llu bytes copied, %llu stopped part way), %llu bytes verified in %lld s; errnos:",
	       seed, calls, ok_calls, copies_ok, bytes_copied, partial, bytes_verified,
	       (long long)(time(NULL) - t0));
	for (i = 0; i < 256; i++)
		if (errs[i])
			printf(" %s=%llu", ename(i), errs[i]);
	printf("\ncopyoff-fuzz: %llu problem(s)\n", bad);
	return bad ? 1 : 0;
}
