// SPDX-License-Identifier: GPL-2.0
/*
 * copyoff-bench: one cell of make bench's matrix, in the guest.
 *
 *   copyoff-bench METHOD SRC DST --unit BYTES --ranges N --jobs J
 *                 [--time SEC] [--qd Q] [--src-base OFF] [--dst-base OFF]
 *                 [--region BYTES] [--netdev IF]
 *                 [--layout spread|contiguous|scattered]
 *
 * A copy "operation" is N ranges of BYTES each, laid out (--layout) as
 *   spread      the sources spaced by twice BYTES, the destinations following
 *               each other (so an offload can put several ranges in one
 *               command); the default
 *   contiguous  sources and destinations both following each other (one
 *               run: the engine copies it as one I/O)
 *   scattered   sources and destinations both spaced by twice BYTES
 * J jobs (threads) run operations back to
 * back on regions of their own (REGION bytes each, from the bases) until
 * SEC seconds have passed (at least one operation each).  METHOD:
 *   simple    userspace, one thread a job: O_DIRECT pread, then pwrite
 *   aio       userspace done well: Linux AIO, Q ranges in flight a job,
 *             each read followed by its write as soon as it is done
 *   emulate   COPYOFF_IOC_COPY with COPYOFF_F_EMULATE
 *   copy      COPYOFF_IOC_COPY without flags (offload or auto: whatever the
 *             device's copy_offload attribute says)
 *   raw       the NVMe Copy commands copyoff_nvme would send, from userspace
 *             with NVME_IOCTL_IO_CMD (the device's own ceiling; SRC and DST
 *             must be the same NVMe namespace): the limits come from
 *             COPYOFF_IOC_INFO, an operation's commands are sent by up to Q
 *             threads at once, as the engine keeps offload_qd in flight
 * After the run, the last operation of every job is compared byte for byte.
 * Prints one JSON object: bytes, seconds, MiB/s, offloaded bytes, busy CPU
 * seconds of the whole guest (/proc/stat), bytes sent on IF (/proc/net/dev),
 * the copy engine's peak memory, whether the data verified, and the
 * latency of an operation (from its start to its end, every operation of
 * every job): p50, p99 and p99.9 in microseconds (nearest rank).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <linux/aio_abi.h>
#include <linux/nvme_ioctl.h>
#include <getopt.h>
#include <linux/copyoff.h>
#include "lib.h"

#define MAX_JOBS	64
#define MAX_QD		64

enum method { M_SIMPLE, M_AIO, M_EMULATE, M_COPY, M_RAW };
static const char *const method_names[] = { "simple", "aio", "emulate", "copy", "raw" };

enum layout { L_SPREAD, L_CONTIGUOUS, L_SCATTERED };
static const char *const layout_names[] = { "spread", "contiguous", "scattered" };
static enum layout layout;

static enum method method;
static const char *src_path, *dst_path, *netdev = "lo";
static uint64_t unit, src_base, dst_base, region;
static unsigned int nranges = 1, njobs = 1, qd = 8;
static double run_time = 1.0;
static int ctl_fd = -1;

/* raw: the namespace's Copy limits */
static uint32_t lbs, nsid;
static uint64_t max_cmd_bytes, max_range_bytes;
static unsigned int max_descs;

struct job {
	pthread_t thread;
	unsigned int index;
	int sfd, dfd;
	uint64_t ops, bytes, offloaded;
	uint64_t last_op;
	uint64_t *lat_ns;	/* every operation's latency */
	size_t nlat, lat_cap;
	int error;
	char *buf;		/* simple, aio: qd units */
};

static struct job jobs[MAX_JOBS];
static volatile int stop_flag;

static void die(const char *what)
{
	fprintf(stderr, "copyoff-bench: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void usage_to(FILE *f, int code)
{
	fprintf(f, "usage: copyoff-bench simple|aio|emulate|copy|raw SRC DST --unit BYTES "
		"[--ranges N] [--jobs J] [--time SEC] [--qd Q] [--src-base OFF] [--dst-base OFF] "
		"[--region BYTES] [--netdev IF] [--layout spread|contiguous|scattered]\n"
		"(sizes take K, M, G, T or s suffixes)\n");
	exit(code);
}

static void usage(void)
{
	usage_to(stderr, 2);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* Range i of operation @op of job @j, with ranges @stride bytes apart. */
static uint64_t op_off(const struct job *j, uint64_t op, unsigned int i,
		       uint64_t base, uint64_t stride)
{
	uint64_t span = stride * nranges;
	uint64_t slots = region / span;

	return base + j->index * region + (op % slots) * span + stride * i;
}

static uint64_t op_src(const struct job *j, uint64_t op, unsigned int i)
{
	return op_off(j, op, i, src_base, layout == L_CONTIGUOUS ? unit : 2 * unit);
}

static uint64_t op_dst(const struct job *j, uint64_t op, unsigned int i)
{
	return op_off(j, op, i, dst_base, layout == L_SCATTERED ? 2 * unit : unit);
}

static void lat_add(struct job *j, uint64_t ns)
{
	if (j->nlat == j->lat_cap) {
		j->lat_cap = j->lat_cap ? 2 * j->lat_cap : 4096;
		j->lat_ns = realloc(j->lat_ns, j->lat_cap * sizeof(*j->lat_ns));
		if (!j->lat_ns)
			die("realloc");
	}
	j->lat_ns[j->nlat++] = ns;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* The @per_mille nearest-rank percentile of the sorted @v (n > 0), in us. */
static double lat_pct(const uint64_t *v, size_t n, unsigned int per_mille)
{
	size_t rank = (n * per_mille + 999) / 1000;

	return v[rank ? rank - 1 : 0] / 1e3;
}

static void xfer(int fd, char *buf, uint64_t len, uint64_t off, int wr)
{
	ssize_t n = wr ? pwrite(fd, buf, len, off) : pread(fd, buf, len, off);

	if (n != (ssize_t)len) {
		if (n >= 0)
			errno = EIO;
		die(wr ? "pwrite" : "pread");
	}
}

static void op_simple(struct job *j, uint64_t op)
{
	unsigned int i;

	for (i = 0; i < nranges; i++) {
		xfer(j->sfd, j->buf, unit, op_src(j, op, i), 0);
		xfer(j->dfd, j->buf, unit, op_dst(j, op, i), 1);
	}
}

/* aio: the operation's ranges, qd at a time, each read then written. */
static void op_aio(struct job *j, aio_context_t ctx, uint64_t op)
{
	struct iocb cbs[MAX_QD], *p[1];
	struct io_event ev[MAX_QD];
	unsigned int next = 0, busy = 0, s, q = qd < nranges ? qd : nranges;
	unsigned int range_of[MAX_QD];
	int k, n;

	for (s = 0; s < q; s++) {
		memset(&cbs[s], 0, sizeof(cbs[s]));
		cbs[s].aio_data = s;
		cbs[s].aio_fildes = j->sfd;
		cbs[s].aio_lio_opcode = IOCB_CMD_PREAD;
		cbs[s].aio_buf = (uintptr_t)(j->buf + s * unit);
		cbs[s].aio_nbytes = unit;
		cbs[s].aio_offset = op_src(j, op, next);
		range_of[s] = next++;
		p[0] = &cbs[s];
		if (syscall(SYS_io_submit, ctx, 1, p) != 1)
			die("io_submit");
		busy++;
	}
	while (busy) {
		n = syscall(SYS_io_getevents, ctx, 1, MAX_QD, ev, NULL);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			die("io_getevents");
		}
		for (k = 0; k < n; k++) {
			struct iocb *cb = &cbs[ev[k].data];

			s = ev[k].data;
			if (ev[k].res != (int64_t)unit) {
				errno = ev[k].res < 0 ? -ev[k].res : EIO;
				die("aio");
			}
			if (cb->aio_lio_opcode == IOCB_CMD_PREAD) {
				cb->aio_lio_opcode = IOCB_CMD_PWRITE;
				cb->aio_fildes = j->dfd;
				cb->aio_offset = op_dst(j, op, range_of[s]);
			} else if (next < nranges) {
				cb->aio_lio_opcode = IOCB_CMD_PREAD;
				cb->aio_fildes = j->sfd;
				cb->aio_offset = op_src(j, op, next);
				range_of[s] = next++;
			} else {
				busy--;
				continue;
			}
			p[0] = cb;
			if (syscall(SYS_io_submit, ctx, 1, p) != 1)
				die("io_submit");
		}
	}
}

static void op_copy(struct job *j, uint64_t op, unsigned int flags)
{
	struct copyoff_range r[nranges];
	struct copyoff_copy c;
	unsigned int i;

	memset(&c, 0, sizeof(c));
	for (i = 0; i < nranges; i++) {
		r[i].src_off = op_src(j, op, i);
		r[i].dst_off = op_dst(j, op, i);
		r[i].len = unit;
		r[i].comp_len = 0;
	}
	c.src_fd = j->sfd;
	c.dst_fd = j->dfd;
	c.flags = flags;
	c.nr_ranges = nranges;
	c.ranges = (uintptr_t)r;
	if (ioctl(ctl_fd, COPYOFF_IOC_COPY, &c))
		die("COPYOFF_IOC_COPY");
	j->offloaded += c.offloaded;
}

/* raw: one operation's NVMe Copy commands, as copyoff_nvme cuts them. */
struct raw_cmd {
	uint64_t sdlba;
	unsigned int nr;
	uint8_t desc[32 * 256];
};

struct raw_op {
	struct raw_cmd *cmds;
	unsigned int ncmds;
	unsigned int next;
	pthread_mutex_t lock;
	int fd;
};

static unsigned int raw_build(const struct job *j, uint64_t op, struct raw_cmd *cmds)
{
	unsigned int n = 0, i;
	uint64_t cmd_bytes = 0, dst = 0;

	for (i = 0; i < nranges; i++) {
		uint64_t off = 0;

		while (off < unit) {
			uint64_t len = unit - off;
			struct raw_cmd *c;

			if (len > max_range_bytes)
				len = max_range_bytes;
			if (n && cmds[n - 1].nr < max_descs &&
			    cmd_bytes < max_cmd_bytes &&
			    op_dst(j, op, i) + off == dst) {
				c = &cmds[n - 1];
			} else {
				c = &cmds[n++];
				memset(c, 0, sizeof(*c));
				c->sdlba = (op_dst(j, op, i) + off) / lbs;
				cmd_bytes = 0;
			}
			if (len > max_cmd_bytes - cmd_bytes)
				len = max_cmd_bytes - cmd_bytes;
			nvme_desc0(c->desc + 32 * c->nr, (op_src(j, op, i) + off) / lbs,
				   len / lbs - 1);
			c->nr++;
			cmd_bytes += len;
			off += len;
			dst = op_dst(j, op, i) + off;
		}
	}
	return n;
}

static void raw_send(int fd, struct raw_cmd *c)
{
	struct nvme_passthru_cmd cmd;

	memset(&cmd, 0, sizeof(cmd));
	cmd.opcode = 0x19;
	cmd.nsid = nsid;
	cmd.addr = (uintptr_t)c->desc;
	cmd.data_len = 32 * c->nr;
	cmd.cdw10 = (uint32_t)c->sdlba;
	cmd.cdw11 = (uint32_t)(c->sdlba >> 32);
	cmd.cdw12 = c->nr - 1;		/* NR 0-based, descriptor format 0 */
	if (ioctl(fd, NVME_IOCTL_IO_CMD, &cmd)) {
		if (errno == 0)
			errno = EIO;
		die("NVME_IOCTL_IO_CMD");
	}
}

static void *raw_worker(void *arg)
{
	struct raw_op *o = arg;

	for (;;) {
		unsigned int k;

		pthread_mutex_lock(&o->lock);
		k = o->next++;
		pthread_mutex_unlock(&o->lock);
		if (k >= o->ncmds)
			return NULL;
		raw_send(o->fd, &o->cmds[k]);
	}
}

static void op_raw(struct job *j, uint64_t op, struct raw_cmd *cmds)
{
	struct raw_op o = { .cmds = cmds, .fd = j->dfd };
	pthread_t t[MAX_QD];
	unsigned int i, nt;

	o.ncmds = raw_build(j, op, cmds);
	pthread_mutex_init(&o.lock, NULL);
	nt = o.ncmds < qd ? o.ncmds : qd;
	if (nt <= 1) {
		raw_worker(&o);
	} else {
		for (i = 1; i < nt; i++)
			if (pthread_create(&t[i], NULL, raw_worker, &o))
				die("pthread_create");
		raw_worker(&o);
		for (i = 1; i < nt; i++)
			pthread_join(t[i], NULL);
	}
	pthread_mutex_destroy(&o.lock);
	j->offloaded += unit * nranges;
}

static void *job_main(void *arg)
{
	struct job *j = arg;
	aio_context_t ctx = 0;
	struct raw_cmd *cmds = NULL;
	double end = now() + run_time;
	uint64_t op;

	if (method == M_AIO && syscall(SYS_io_setup, MAX_QD, &ctx))
		die("io_setup");
	if (method == M_RAW) {
		cmds = calloc(nranges * (unit / max_range_bytes + 2), sizeof(*cmds));
		if (!cmds)
			die("calloc");
	}
	for (op = 0; op == 0 || (!stop_flag && now() < end); op++) {
		uint64_t t = now_ns();

		switch (method) {
		case M_SIMPLE:
			op_simple(j, op);
			break;
		case M_AIO:
			op_aio(j, ctx, op);
			break;
		case M_EMULATE:
			op_copy(j, op, COPYOFF_F_EMULATE);
			break;
		case M_COPY:
			op_copy(j, op, 0);
			break;
		case M_RAW:
			op_raw(j, op, cmds);
			break;
		}
		lat_add(j, now_ns() - t);
		j->ops++;
		j->bytes += unit * nranges;
		j->last_op = op;
	}
	if (ctx)
		syscall(SYS_io_destroy, ctx);
	free(cmds);
	return NULL;
}

/* The last operation of job @j copied what its source holds? */
static int verify(struct job *j)
{
	char *a, *b;
	unsigned int i;
	int ok = 1;

	if (posix_memalign((void **)&a, 4096, unit) || posix_memalign((void **)&b, 4096, unit))
		die("posix_memalign");
	for (i = 0; i < nranges && ok; i++) {
		xfer(j->sfd, a, unit, op_src(j, j->last_op, i), 0);
		xfer(j->dfd, b, unit, op_dst(j, j->last_op, i), 0);
		ok = !memcmp(a, b, unit);
	}
	free(a);
	free(b);
	return ok;
}

static unsigned long long cpu_busy_ticks(void)
{
	unsigned long long v[10] = { 0 };
	FILE *f = fopen("/proc/stat", "r");

	if (!f || fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu",
			 &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]) != 8)
		die("/proc/stat");
	fclose(f);
	/* user nice system idle iowait irq softirq steal: all but idle, iowait */
	return v[0] + v[1] + v[2] + v[5] + v[6] + v[7];
}

static unsigned long long net_tx_bytes(void)
{
	char line[512], name[64];
	unsigned long long rx, tx, x;
	FILE *f = fopen("/proc/net/dev", "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		char *c = strchr(line, ':');

		if (!c)
			continue;
		*c = ' ';
		if (sscanf(line, "%63s %llu %llu %llu %llu %llu %llu %llu %llu %llu",
			   name, &rx, &x, &x, &x, &x, &x, &x, &x, &tx) == 10 &&
		    !strcmp(name, netdev)) {
			fclose(f);
			return tx;
		}
	}
	fclose(f);
	return 0;
}

static long long read_ll(const char *path)
{
	long long v = -1;
	FILE *f = fopen(path, "r");

	if (f) {
		if (fscanf(f, "%lld", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

static void write_str(const char *path, const char *s)
{
	FILE *f = fopen(path, "w");

	if (f) {
		fputs(s, f);
		fclose(f);
	}
}

static void raw_limits(int fd)
{
	struct copyoff_info info;
	int id;

	memset(&info, 0, sizeof(info));
	info.fd = fd;
	if (ioctl(ctl_fd, COPYOFF_IOC_INFO, &info))
		die("COPYOFF_IOC_INFO");
	if (!(info.flags & COPYOFF_INFO_OFFLOAD) || strcmp(info.provider, "nvme")) {
		fprintf(stderr, "copyoff-bench: raw: %s has no NVMe Copy\n", dst_path);
		exit(1);
	}
	lbs = info.logical_block_size;
	max_cmd_bytes = info.copy_max_bytes_hw;
	max_range_bytes = info.copy_max_range_bytes_hw;
	max_descs = info.max_ranges_hw > 256 ? 256 : info.max_ranges_hw;
	id = ioctl(fd, NVME_IOCTL_ID);
	if (id <= 0)
		die("NVME_IOCTL_ID");
	nsid = id;
	if (strcmp(src_path, dst_path)) {
		fprintf(stderr, "copyoff-bench: raw: SRC and DST must be one namespace\n");
		exit(2);
	}
}

int main(int argc, char **argv)
{
	unsigned long long busy0, busy1, tx0, tx1;
	uint64_t bytes = 0, offl = 0, ops = 0, *lat;
	size_t nlat = 0;
	const char *mem_peak = "/sys/class/misc/copyoff/mem_peak_bytes";
	double t0, t1;
	unsigned int i;
	int ok = 1;

	static const struct option opts[] = {
		{ "unit", required_argument, NULL, 'u' },
		{ "ranges", required_argument, NULL, 'r' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "time", required_argument, NULL, 't' },
		{ "qd", required_argument, NULL, 'q' },
		{ "src-base", required_argument, NULL, 'S' },
		{ "dst-base", required_argument, NULL, 'D' },
		{ "region", required_argument, NULL, 'R' },
		{ "netdev", required_argument, NULL, 'n' },
		{ "layout", required_argument, NULL, 'L' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	const char *pos[3];
	int c, npos = 0;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "-h", opts, NULL)) != -1) {
		switch (c) {
		case 1:
			if (npos == 3)
				usage();
			pos[npos++] = optarg;
			break;
		case 'u':
			unit = size_arg("copyoff-bench", "--unit", optarg);
			break;
		case 'r':
			nranges = size_arg("copyoff-bench", "--ranges", optarg);
			break;
		case 'j':
			njobs = size_arg("copyoff-bench", "--jobs", optarg);
			break;
		case 't':
			run_time = strtod(optarg, NULL);
			break;
		case 'q':
			qd = size_arg("copyoff-bench", "--qd", optarg);
			break;
		case 'S':
			src_base = size_arg("copyoff-bench", "--src-base", optarg);
			break;
		case 'D':
			dst_base = size_arg("copyoff-bench", "--dst-base", optarg);
			break;
		case 'R':
			region = size_arg("copyoff-bench", "--region", optarg);
			break;
		case 'n':
			netdev = optarg;
			break;
		case 'L':
			for (i = 0; i < 3; i++)
				if (!strcmp(optarg, layout_names[i]))
					break;
			if (i == 3)
				usage();
			layout = i;
			break;
		case 'h':
			usage_to(stdout, 0);
			break;
		default:
			usage();
		}
	}
	if (npos != 3)
		usage();
	for (i = 0; i < sizeof(method_names) / sizeof(method_names[0]); i++)
		if (!strcmp(pos[0], method_names[i]))
			break;
	if (i == sizeof(method_names) / sizeof(method_names[0]))
		usage();
	method = i;
	src_path = pos[1];
	dst_path = pos[2];
	if (!unit || unit % 512 || !nranges || nranges > 1024 ||
	    !njobs || njobs > MAX_JOBS || !qd || qd > MAX_QD)
		usage();
	if (!region)
		region = 2 * unit * nranges;
	if (region < 2 * unit * nranges || region % 512) {
		fprintf(stderr, "copyoff-bench: --region must hold one operation's sources (%llu bytes)\n",
			(unsigned long long)(2 * unit * nranges));
		return 2;
	}

	ctl_fd = open("/dev/copyoff", O_RDWR);
	if (ctl_fd < 0 && method >= M_EMULATE)
		die("/dev/copyoff");
	for (i = 0; i < njobs; i++) {
		struct job *j = &jobs[i];

		j->index = i;
		j->sfd = open(src_path, O_RDONLY | O_DIRECT);
		j->dfd = open(dst_path, O_RDWR | O_DIRECT);
		if (j->sfd < 0 || j->dfd < 0)
			die("open");
		if (method <= M_AIO) {
			size_t len = unit * (method == M_AIO ? qd : 1);

			/*
			 * No transparent huge pages: Debian's 6.1 nvme-tcp on
			 * loopback trips hardened usercopy (a BUG) on frags
			 * that run past the end of a huge page.
			 */
			j->buf = mmap(NULL, len, PROT_READ | PROT_WRITE,
				      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			if (j->buf == MAP_FAILED)
				die("mmap");
			madvise(j->buf, len, MADV_NOHUGEPAGE);
		}
	}
	if (method == M_RAW)
		raw_limits(jobs[0].dfd);

	write_str(mem_peak, "0");
	busy0 = cpu_busy_ticks();
	tx0 = net_tx_bytes();
	t0 = now();
	for (i = 0; i < njobs; i++)
		if (pthread_create(&jobs[i].thread, NULL, job_main, &jobs[i]))
			die("pthread_create");
	for (i = 0; i < njobs; i++)
		pthread_join(jobs[i].thread, NULL);
	t1 = now();
	tx1 = net_tx_bytes();
	busy1 = cpu_busy_ticks();

	for (i = 0; i < njobs; i++) {
		bytes += jobs[i].bytes;
		offl += jobs[i].offloaded;
		ops += jobs[i].ops;
		ok &= verify(&jobs[i]);
		nlat += jobs[i].nlat;
	}
	lat = malloc(nlat * sizeof(*lat));
	if (!lat)
		die("malloc");
	for (nlat = 0, i = 0; i < njobs; i++) {
		memcpy(lat + nlat, jobs[i].lat_ns, jobs[i].nlat * sizeof(*lat));
		nlat += jobs[i].nlat;
	}
	qsort(lat, nlat, sizeof(*lat), cmp_u64);
	printf("{\"method\": \"%s\", \"layout\": \"%s\", \"unit\": %llu, \"ranges\": %u, "
	       "\"jobs\": %u, \"ops\": %llu, "
	       "\"bytes\": %llu, \"seconds\": %.6f, \"mib_s\": %.2f, \"offloaded\": %llu, "
	       "\"cpu_s\": %.3f, \"net_bytes\": %llu, \"mem_peak\": %lld, \"verified\": %s, "
	       "\"lat_p50_us\": %.1f, \"lat_p99_us\": %.1f, \"lat_p999_us\": %.1f}\n",
	       method_names[method], layout_names[layout], (unsigned long long)unit, nranges, njobs,
	       (unsigned long long)ops, (unsigned long long)bytes, t1 - t0,
	       bytes / (t1 - t0) / 1048576.0, (unsigned long long)offl,
	       (busy1 - busy0) / (double)sysconf(_SC_CLK_TCK), tx1 - tx0,
	       read_ll(mem_peak), ok ? "true" : "false",
	       lat_pct(lat, nlat, 500), lat_pct(lat, nlat, 990), lat_pct(lat, nlat, 999));
	free(lat);
	return ok ? 0 : 1;
}
