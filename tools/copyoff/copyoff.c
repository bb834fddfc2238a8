// SPDX-License-Identifier: GPL-2.0
/*
 * copyoff: command-line tool for /dev/copyoff.
 *
 *   copyoff version
 *   copyoff features [--json]
 *   copyoff info DEV [--json]
 *   copyoff copy SRC DST [RANGE...] [-f FILE] [--no-emulation | --emulate]
 *                [--validate-only] [--json] [--progress | --no-progress]
 *
 * RANGE is SRC_OFF:DST_OFF:LEN in bytes, with an optional K, M, G or T
 * suffix (powers of 1024) or s (512-byte sectors).  FILE holds one range a
 * line, "SRC_OFF DST_OFF LEN" or "SRC_OFF:DST_OFF:LEN" ('#' starts a
 * comment; "-" is standard input).  Without ranges the whole source is copied
 * to the start of the destination.
 *
 * Exit status: 0 copied, 1 the copy failed, 2 usage or set-up error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>
#include <linux/fs.h>
#include <getopt.h>
#include <linux/copyoff.h>
#include "lib.h"

#define DEVNODE "/dev/copyoff"
/* With a progress bar, a copy is sent in batches of at most this much. */
#define BATCH_BYTES (64ULL << 20)

static const char *prog = "copyoff";

static void die(int code, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(code);
}

static const char *const usage_text[] = {
	"copyoff version\n",
	"copyoff features [--json]\n",
	"copyoff info DEV [--json]\n",
	"copyoff copy SRC DST [SRC_OFF:DST_OFF:LEN ...] [-f FILE]\n"
	"                    [--no-emulation | --emulate] [--validate-only]\n"
	"                    [--json] [--progress | --no-progress]\n",
};

/* The usage of every command, or of one (CMD: 0 version ... 3 copy). */
static int usage_of(FILE *f, int cmd)
{
	size_t i;

	for (i = 0; i < sizeof(usage_text) / sizeof(usage_text[0]); i++)
		if (cmd < 0 || (size_t)cmd == i)
			fprintf(f, "%s%s", i == 0 || cmd >= 0 ? "usage: " : "       ",
				usage_text[i]);
	fprintf(f, "sizes take K, M, G, T (x1024) or s (x512) suffixes\n");
	return f == stderr ? 2 : 0;
}

static int usage(FILE *f)
{
	return usage_of(f, -1);
}

/*
 * getopt_long for a command: its options, and --help.  Non-option
 * arguments come back in order as option 1 ("-" first in the short
 * options), so that ranges and -f files keep their order.
 */
static int next_opt(int argc, char **argv, const char *shortopts,
		    const struct option *longopts, int cmd)
{
	int c = next_opt_of(prog, argc, argv, shortopts, longopts);

	if (c == 'h')
		exit(usage_of(stdout, cmd));
	if (c == '?')
		exit(2);
	return c;
}

static int open_ctl(void)
{
	int fd = open(DEVNODE, O_RDWR | O_CLOEXEC);

	if (fd >= 0)
		return fd;
	if (errno == ENOENT)
		die(2, "%s: no such device: is copyoff_core loaded? (modprobe copyoff_core)",
		    DEVNODE);
	if (errno == EACCES || errno == EPERM)
		die(2, "%s: permission denied: it is for root (or group disk with the udev rule 60-copyoff.rules)",
		    DEVNODE);
	die(2, "%s: %s", DEVNODE, strerror(errno));
	return -1;
}

static int open_bdev(const char *path, int flags, const char *role)
{
	struct stat st;
	int fd = open(path, flags | O_CLOEXEC);

	if (fd < 0)
		die(2, "%s %s: %s", role, path, strerror(errno));
	if (fstat(fd, &st) == 0 && !S_ISBLK(st.st_mode))
		die(2, "%s %s: not a block device", role, path);
	return fd;
}

static int get_info(int ctl, int fd, struct copyoff_info *info)
{
	memset(info, 0, sizeof(*info));
	info->fd = fd;
	return ioctl(ctl, COPYOFF_IOC_INFO, info);
}

static void json_str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			printf("\\u%04x", *s);
		else
			putchar(*s);
	}
	putchar('"');
}

static int cmd_features(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct copyoff_features f;
	bool json = false;
	int c, ctl;

	while ((c = next_opt(argc, argv, "h", opts, 1)) != -1)
		if (c == 'j')
			json = true;
	if (optind != argc)
		return usage_of(stderr, 1);
	ctl = open_ctl();

	memset(&f, 0, sizeof(f));
	if (ioctl(ctl, COPYOFF_IOC_GET_FEATURES, &f))
		die(1, "features: %s", strerror(errno));
	if (json) {
		printf("{\"abi_version\": %u, \"max_ranges\": %u, \"features\": %" PRIu64
		       ", \"copy_flags\": %" PRIu64 ", \"version\": ",
		       f.abi_version, f.max_ranges, (uint64_t)f.features,
		       (uint64_t)f.copy_flags);
		json_str(f.version);
		printf("}\n");
	} else {
		printf("copyoff_core %s, ABI %u, up to %u ranges a copy\n",
		       f.version, f.abi_version, f.max_ranges);
		printf("features:%s%s%s%s%s%s%s\n",
		       f.features & COPYOFF_FEAT_COPY ? " copy" : "",
		       f.features & COPYOFF_FEAT_INFO ? " info" : "",
		       f.features & COPYOFF_FEAT_NO_EMULATION ? " no-emulation" : "",
		       f.features & COPYOFF_FEAT_EMULATE ? " emulate" : "",
		       f.features & COPYOFF_FEAT_TWO_DEVICES ? " two-devices" : "",
		       f.features & COPYOFF_FEAT_CACHE_COHERENT ? " cache-coherent" : "",
		       f.features & COPYOFF_FEAT_VALIDATE_ONLY ? " validate-only" : "");
	}
	return 0;
}

/*
 * What copyoff_nvme knows of the NVMe namespace under @fd (a partition's:
 * its whole disk's), from /sys/module/copyoff_nvme/parameters/namespaces:
 * "nsid=N copy=C ocfs=0xX cdfe=0xY xns=Z" into @buf, or "" when the
 * module is not loaded or has not discovered it.
 */
static void nvme_ns_line(int fd, char *buf, size_t size)
{
	char path[128], line[256], key[32];
	unsigned int maj, min;
	struct stat st;
	FILE *f;

	buf[0] = 0;
	if (fstat(fd, &st) || !S_ISBLK(st.st_mode))
		return;
	maj = major(st.st_rdev);
	min = minor(st.st_rdev);
	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/partition", maj, min);
	if (!access(path, F_OK)) {
		snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/../dev", maj, min);
		f = fopen(path, "r");
		if (!f)
			return;
		if (fscanf(f, "%u:%u", &maj, &min) != 2)
			maj = min = 0;
		fclose(f);
	}
	f = fopen("/sys/module/copyoff_nvme/parameters/namespaces", "r");
	if (!f)
		return;
	snprintf(key, sizeof(key), "%u:%u ", maj, min);
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, key, strlen(key)))
			continue;
		line[strcspn(line, "\n")] = 0;
		snprintf(buf, size, "%s", line + strlen(key));
		break;
	}
	fclose(f);
}

static int cmd_info(int argc, char **argv)
{
	char nvme[256];
	struct copyoff_info info;
	bool json = false;
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	const char *dev = NULL;
	int c, ctl, fd;

	while ((c = next_opt(argc, argv, "-h", opts, 2)) != -1) {
		if (c == 'j')
			json = true;
		else if (c == 1 && !dev)
			dev = optarg;
		else if (c == 1)
			return usage_of(stderr, 2);
	}
	if (!dev)
		return usage_of(stderr, 2);
	ctl = open_ctl();
	fd = open_bdev(dev, O_RDONLY, "device");
	if (get_info(ctl, fd, &info)) {
		if (errno == ENOTBLK)
			die(1, "%s: not a block device", dev);
		die(1, "info %s: %s", dev, strerror(errno));
	}
	nvme_ns_line(fd, nvme, sizeof(nvme));
	if (json) {
		printf("{\"device\": ");
		json_str(dev);
		printf(", \"logical_block_size\": %u, \"capacity\": %" PRIu64
		       ", \"offload\": %s, \"enabled\": %s, \"copy_max_bytes\": %" PRIu64
		       ", \"copy_max_bytes_hw\": %" PRIu64
		       ", \"copy_max_range_bytes_hw\": %" PRIu64
		       ", \"max_ranges_hw\": %u, \"provider\": ",
		       info.logical_block_size, (uint64_t)info.capacity,
		       info.flags & COPYOFF_INFO_OFFLOAD ? "true" : "false",
		       info.flags & COPYOFF_INFO_ENABLED ? "true" : "false",
		       (uint64_t)info.copy_max_bytes,
		       (uint64_t)info.copy_max_bytes_hw,
		       (uint64_t)info.copy_max_range_bytes_hw, info.max_ranges_hw);
		json_str(info.provider);
		printf(", \"detail\": ");
		json_str(info.detail);
		if (nvme[0]) {
			printf(", \"nvme\": ");
			json_str(nvme);
		}
		printf("}\n");
		return 0;
	}
	printf("device:             %s\n", dev);
	printf("logical block size: %u\n", info.logical_block_size);
	printf("capacity:           %" PRIu64 " bytes\n", (uint64_t)info.capacity);
	printf("offload:            %s%s\n",
	       info.flags & COPYOFF_INFO_OFFLOAD ? "available" : "not available (copies are emulated)",
	       (info.flags & COPYOFF_INFO_OFFLOAD) && !(info.flags & COPYOFF_INFO_ENABLED) ?
	       ", disabled by copy_offload=0" : "");
	if (info.flags & COPYOFF_INFO_OFFLOAD) {
		printf("provider:           %s\n", info.provider);
		printf("copy_max_bytes:     %" PRIu64 " (hardware %" PRIu64 ")\n",
		       (uint64_t)info.copy_max_bytes, (uint64_t)info.copy_max_bytes_hw);
		printf("range max bytes:    %" PRIu64 "\n",
		       (uint64_t)info.copy_max_range_bytes_hw);
		printf("ranges per command: %u\n", info.max_ranges_hw);
		if (info.detail[0])
			printf("detail:             %s\n", info.detail);
	}
	if (nvme[0])
		printf("nvme:               %s\n", nvme);
	return 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void progress(uint64_t done, uint64_t total, double t0, bool final)
{
	int width = 40, fill = total ? (int)(done * width / total) : width;
	double t = now() - t0;

	fprintf(stderr, "\r[%.*s%*s] %5.1f%%  %" PRIu64 "/%" PRIu64 " MiB  %.0f MiB/s ",
		fill, "########################################", width - fill, "",
		total ? 100.0 * done / total : 100.0, done >> 20, total >> 20,
		t > 0 ? done / t / (1 << 20) : 0.0);
	if (final)
		fputc('\n', stderr);
}

/*
 * Explain an EINVAL precisely: the kernel says only EINVAL, the tool finds
 * which rule the request broke.
 */
static void explain_einval(const struct range_list *rs, const struct copyoff_info *si,
			   const struct copyoff_info *di, bool same, unsigned int flags)
{
	uint32_t align = si->logical_block_size > di->logical_block_size ?
			 si->logical_block_size : di->logical_block_size;
	size_t i, j;

	if ((flags & COPYOFF_F_EMULATE) && (flags & COPYOFF_F_NO_EMULATION)) {
		fprintf(stderr, "%s: --emulate and --no-emulation exclude each other\n", prog);
		return;
	}
	if (rs->n == 0 || rs->n > COPYOFF_MAX_RANGES) {
		fprintf(stderr, "%s: %zu ranges: from 1 to %u are allowed\n", prog,
			rs->n, COPYOFF_MAX_RANGES);
		return;
	}
	for (i = 0; i < rs->n; i++) {
		const struct copyoff_range *r = &rs->v[i];

		if (!r->len) {
			fprintf(stderr, "%s: range %zu has length 0\n", prog, i);
			return;
		}
		if ((r->src_off | r->dst_off | r->len) % align) {
			fprintf(stderr, "%s: range %zu (%llu:%llu:%llu) is not a multiple of the logical block size %u\n",
				prog, i, (unsigned long long)r->src_off,
				(unsigned long long)r->dst_off,
				(unsigned long long)r->len, align);
			return;
		}
		if (r->len > si->capacity || r->src_off > si->capacity - r->len) {
			fprintf(stderr, "%s: range %zu ends beyond the source (%llu bytes)\n",
				prog, i, (unsigned long long)si->capacity);
			return;
		}
		if (r->len > di->capacity || r->dst_off > di->capacity - r->len) {
			fprintf(stderr, "%s: range %zu ends beyond the destination (%llu bytes)\n",
				prog, i, (unsigned long long)di->capacity);
			return;
		}
	}
	for (i = 0; i < rs->n && rs->n <= 4096; i++) {
		for (j = 0; j < rs->n; j++) {
			const struct copyoff_range *a = &rs->v[i], *b = &rs->v[j];

			if (j != i && a->dst_off < b->dst_off + b->len &&
			    b->dst_off < a->dst_off + a->len) {
				fprintf(stderr, "%s: destinations of ranges %zu and %zu overlap\n",
					prog, i, j);
				return;
			}
			if (same && a->src_off < b->dst_off + b->len &&
			    b->dst_off < a->src_off + a->len) {
				fprintf(stderr, "%s: source of range %zu overlaps destination of range %zu on the same device\n",
					prog, i, j);
				return;
			}
		}
	}
	fprintf(stderr, "%s: invalid request (overlapping ranges, or offsets across partitions of one disk)\n",
		prog);
}

static void explain(int err, const char *src, const char *dst)
{
	switch (err) {
	case EBADF:
		fprintf(stderr, "%s: bad file descriptor: %s must be open for reading and %s for writing\n",
			prog, src, dst);
		break;
	case ENOTBLK:
		fprintf(stderr, "%s: %s or %s is not a block device\n", prog, src, dst);
		break;
	case EROFS:
		fprintf(stderr, "%s: %s is read-only\n", prog, dst);
		break;
	case EOPNOTSUPP:
		fprintf(stderr, "%s: the copy cannot be offloaded and --no-emulation was given\n",
			prog);
		break;
	case EINTR:
		fprintf(stderr, "%s: interrupted\n", prog);
		break;
	case ENOTTY:
		fprintf(stderr, "%s: %s does not understand this request: copyoff_core too old?\n",
			prog, DEVNODE);
		break;
	case EFAULT:
		fprintf(stderr, "%s: bad address passed to the kernel\n", prog);
		break;
	case ENOMEM:
		fprintf(stderr, "%s: out of kernel memory\n", prog);
		break;
	default:
		fprintf(stderr, "%s: copy failed: %s\n", prog, strerror(err));
	}
}

static int cmd_copy(int argc, char **argv)
{
	const char *src = NULL, *dst = NULL;
	bool json = false, validate = false;
	int want_progress = -1;
	unsigned int flags = 0;
	struct range_list rs = { 0 };
	struct copyoff_info si, di;
	struct copyoff_copy c;
	uint64_t total = 0, copied = 0, offloaded = 0;
	double t0, t;
	int ctl, sfd, dfd, err = 0;
	size_t at;
	bool same;
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "no-emulation", no_argument, NULL, 'N' },
		{ "emulate", no_argument, NULL, 'E' },
		{ "validate-only", no_argument, NULL, 'V' },
		{ "progress", no_argument, NULL, 'P' },
		{ "no-progress", no_argument, NULL, 'Q' },
		{ "file", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct copyoff_range r;
	int o;

	while ((o = next_opt(argc, argv, "-f:h", opts, 3)) != -1) {
		switch (o) {
		case 'j':
			json = true;
			break;
		case 'N':
			flags |= COPYOFF_F_NO_EMULATION;
			break;
		case 'E':
			flags |= COPYOFF_F_EMULATE;
			break;
		case 'V':
			validate = true;
			break;
		case 'P':
			want_progress = 1;
			break;
		case 'Q':
			want_progress = 0;
			break;
		case 'f':
			range_list_read(&rs, prog, optarg);
			break;
		case 1:
			if (!src)
				src = optarg;
			else if (!dst)
				dst = optarg;
			else if (parse_range(optarg, &r))
				range_list_add(&rs, &r);
			else
				die(2, "not a range (SRC_OFF:DST_OFF:LEN): %s", optarg);
			break;
		}
	}
	if (!src || !dst)
		return usage_of(stderr, 3);
	if ((flags & COPYOFF_F_EMULATE) && (flags & COPYOFF_F_NO_EMULATION))
		die(2, "--emulate and --no-emulation exclude each other");

	ctl = open_ctl();
	sfd = open_bdev(src, O_RDONLY, "source");
	dfd = open_bdev(dst, O_RDWR, "destination");
	if (get_info(ctl, sfd, &si) || get_info(ctl, dfd, &di))
		die(2, "info: %s", strerror(errno));
	{
		struct stat a, b;

		same = !fstat(sfd, &a) && !fstat(dfd, &b) && a.st_rdev == b.st_rdev;
	}
	if (!rs.n) {
		struct copyoff_range r = { .len = si.capacity };

		if (si.capacity > di.capacity)
			die(2, "%s (%llu bytes) is larger than %s (%llu bytes): give ranges",
			    src, (unsigned long long)si.capacity, dst,
			    (unsigned long long)di.capacity);
		range_list_add(&rs, &r);
	}
	for (at = 0; at < rs.n; at++)
		total += rs.v[at].len;
	if (want_progress < 0)
		want_progress = isatty(STDERR_FILENO) && !json;

	/* One check of the whole request first: a refused copy changes nothing. */
	memset(&c, 0, sizeof(c));
	c.src_fd = sfd;
	c.dst_fd = dfd;
	c.flags = flags | COPYOFF_F_VALIDATE_ONLY;
	c.nr_ranges = rs.n;
	c.ranges = (uintptr_t)rs.v;
	if (ioctl(ctl, COPYOFF_IOC_COPY, &c)) {
		err = errno;
		if (err == EINVAL)
			explain_einval(&rs, &si, &di, same, flags);
		else
			explain(err, src, dst);
		return 1;
	}
	if (validate) {
		if (json)
			printf("{\"valid\": true, \"ranges\": %zu, \"bytes\": %" PRIu64 "}\n",
			       rs.n, total);
		else
			printf("valid: %zu ranges, %" PRIu64 " bytes\n", rs.n, total);
		return 0;
	}

	/*
	 * The copy: in one call, or with a progress bar in batches of ranges
	 * (a long range is cut) of at most BATCH_BYTES.
	 */
	t0 = now();
	at = 0;
	while (at < rs.n && !err) {
		struct copyoff_range *batch = rs.v + at, cut;
		size_t nb = 0;
		uint64_t bytes = 0;
		bool cutting = false;

		if (want_progress) {
			if (rs.v[at].len > BATCH_BYTES) {
				cut = rs.v[at];
				cut.len = BATCH_BYTES;
				cut.comp_len = 0;
				batch = &cut;
				nb = 1;
				cutting = true;
			} else {
				while (at + nb < rs.n && nb < COPYOFF_MAX_RANGES &&
				       bytes + rs.v[at + nb].len <= BATCH_BYTES) {
					bytes += rs.v[at + nb].len;
					nb++;
				}
			}
		} else {
			nb = rs.n;
		}
		memset(&c, 0, sizeof(c));
		c.src_fd = sfd;
		c.dst_fd = dfd;
		c.flags = flags;
		c.nr_ranges = nb;
		c.ranges = (uintptr_t)batch;
		if (ioctl(ctl, COPYOFF_IOC_COPY, &c))
			err = errno;
		copied += c.copied;
		offloaded += c.offloaded;
		if (cutting) {
			rs.v[at].comp_len += cut.comp_len;
			rs.v[at].src_off += cut.comp_len;
			rs.v[at].dst_off += cut.comp_len;
			rs.v[at].len -= cut.comp_len;
		} else {
			at += nb;
		}
		if (want_progress && now() - t0 > 1.0)
			progress(copied, total, t0, false);
	}
	t = now() - t0;
	if (want_progress && t > 1.0)
		progress(copied, total, t0, true);

	if (json) {
		printf("{\"source\": ");
		json_str(src);
		printf(", \"destination\": ");
		json_str(dst);
		printf(", \"ranges\": %zu, \"bytes\": %" PRIu64 ", \"copied\": %" PRIu64
		       ", \"offloaded\": %" PRIu64 ", \"seconds\": %.6f, \"mib_per_s\": %.1f"
		       ", \"errno\": %d, \"error\": ",
		       rs.n, total, copied, offloaded, t,
		       t > 0 ? copied / t / (1 << 20) : 0.0, err);
		json_str(err ? strerror(err) : "");
		printf("}\n");
	} else if (!err) {
		printf("copied %" PRIu64 " bytes in %zu ranges, %" PRIu64 " offloaded, %"
		       PRIu64 " emulated, %.3f s, %.1f MiB/s\n",
		       copied, rs.n, offloaded, copied - offloaded, t,
		       t > 0 ? copied / t / (1 << 20) : 0.0);
	}
	if (err) {
		explain(err, src, dst);
		fprintf(stderr, "%s: %" PRIu64 " of %" PRIu64 " bytes were copied before the error\n",
			prog, copied, total);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage(stderr);
	if (!strcmp(argv[1], "version")) {
		if (argc > 2 && !strcmp(argv[2], "--help"))
			return usage_of(stdout, 0);
		printf("copyoff %s\n", COPYOFF_VERSION);
		return 0;
	}
	/* each command parses its own options: argv[0] is its name */
	if (!strcmp(argv[1], "features"))
		return cmd_features(argc - 1, argv + 1);
	if (!strcmp(argv[1], "info"))
		return cmd_info(argc - 1, argv + 1);
	if (!strcmp(argv[1], "copy"))
		return cmd_copy(argc - 1, argv + 1);
	if (!strcmp(argv[1], "help") || !strcmp(argv[1], "--help"))
		return usage(stdout);
	fprintf(stderr, "%s: unknown command '%s'\n", prog, argv[1]);
	return usage(stderr);
}
