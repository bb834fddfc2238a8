// SPDX-License-Identifier: GPL-2.0
/*
 * copyoff-fio: a fio external I/O engine that turns every write of a job
 * into one COPYOFF_IOC_COPY on /dev/copyoff, so that fio's job control
 * (numjobs, rate, runtime, offsets, random patterns, latency statistics)
 * drives block-device copies, offloaded or emulated.
 *
 *   [job]
 *   ioengine=external:/usr/local/lib/copyoff-fio.so
 *   filename=/dev/nvme0n1        destination: the job's file, a block device
 *   rw=write  bs=128k  offset=8M  size=4M
 *   copyoff_src=/dev/nvme0n1     source device (default: the job's file)
 *   copyoff_src_offset=64M       source of byte X of the file: X + this
 *   copyoff_ranges=4             source ranges per copy (default 1)
 *   copyoff_src_stride=256k      distance between those sources (default:
 *                                the range length, i.e. contiguous)
 *   copyoff_mode=offload         auto (flags 0), offload
 *                                (COPYOFF_F_NO_EMULATION) or emulate
 *                                (COPYOFF_F_EMULATE)
 *
 * A write io_u at file offset OFF of xfer_buflen LEN becomes one copy of
 * N = copyoff_ranges ranges of LEN / N bytes each: range i copies from the
 * source at copyoff_src_offset + OFF + i * stride to the destination at
 * OFF + i * LEN / N, so the destinations follow each other and cover the
 * io_u exactly.  LEN must be a multiple of N (and the pieces multiples of
 * both devices' logical block sizes, which the kernel checks).  The data
 * fio put in the io_u buffer is never used.
 *
 * The engine is synchronous (FIO_SYNCIO): the ioctl returns when the copy is
 * done.  Parallelism comes from numjobs, each job its own process and its
 * own copies.  A failed copy completes its io_u with the ioctl's errno in
 * io_u->error and the bytes not copied in io_u->resid.
 *
 * Reads and trims are refused: a job with rw=read, rw=rw, rw=trim ... fails
 * at start-up, and any read io_u (from verify=, for example) completes with
 * EINVAL.  Verify the copied data outside fio.  Sync io_us (fsync=) are
 * fsync(2) of the destination.
 *
 * When a job ends the engine prints on stderr (fio's stdout may be a JSON
 * report) one line
 *   copyoff-fio: JOB: copies=C copied=B offloaded=O errors=E
 * with the ioctls issued, the bytes copied and, of those, the bytes the
 * device copied itself (the ioctl's "copied" and "offloaded", summed over
 * the job), and the io_us that failed.
 *
 * Building: the engine uses fio's internal headers (fio.h, optgroup.h and
 * the ioengine ABI, FIO_IOOPS_VERSION), which only exist in fio's source
 * tree and need its generated config-host.h.  scripts/fio-engine.sh fetches
 * the source of the installed fio package (apt-get source), configures it
 * and runs tools/fio/Makefile with FIO_SRC pointing at that tree.  The
 * engine must be built against the same fio version that loads it: fio
 * refuses an engine whose ops version differs, and the structures it reads
 * (thread_data, io_u, fio_file) change between releases.  The only fio
 * functions it calls are ones the fio binary exports (generic_open_file,
 * generic_close_file, generic_get_file_size, log_err); scripts/fio-engine.sh
 * checks that.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

/*
 * fio's headers are not written for -Wextra: some of their inline helpers
 * leave parameters unused (arch-x86-common.h, os-linux.h, debug.h).  That
 * one warning is silenced for fio's headers only.
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include "fio.h"
#include "optgroup.h"
#pragma GCC diagnostic pop

#include <linux/copyoff.h>

#define COPYOFF_DEV	"/dev/copyoff"

enum copyoff_fio_mode {
	COPYOFF_FIO_AUTO,
	COPYOFF_FIO_OFFLOAD,
	COPYOFF_FIO_EMULATE,
};

/* The engine's options; fio keeps a copy per job in td->eo. */
struct copyoff_fio_options {
	void *td;			/* fio stores the thread_data here */
	char *src;			/* copyoff_src */
	unsigned long long src_offset;	/* copyoff_src_offset */
	unsigned long long src_stride;	/* copyoff_src_stride, 0: range length */
	unsigned int ranges;		/* copyoff_ranges */
	unsigned int mode;		/* copyoff_mode, enum copyoff_fio_mode */
};

/* Per job: the control device, the range array and the totals. */
struct copyoff_fio_data {
	int ctl_fd;
	__u32 flags;
	struct copyoff_range *ranges;
	unsigned long long copies;
	unsigned long long copied;
	unsigned long long offloaded;
	unsigned long long errors;
	bool warned_read;
	bool warned_split;
};

/* Per file, in the fio_file's engine data: the source device. */
struct copyoff_fio_file {
	int src_fd;
};

static struct fio_option copyoff_fio_opts[] = {
	{
		.name	= "copyoff_src",
		.lname	= "copyoff source device",
		.type	= FIO_OPT_STR_STORE,
		.off1	= offsetof(struct copyoff_fio_options, src),
		.help	= "Block device the copies read from (default: the job's file)",
		.category = FIO_OPT_C_ENGINE,
		.group	= FIO_OPT_G_INVALID,
	},
	{
		.name	= "copyoff_src_offset",
		.lname	= "copyoff source offset",
		.type	= FIO_OPT_STR_VAL,
		.off1	= offsetof(struct copyoff_fio_options, src_offset),
		.help	= "Source of file offset X is X plus this many bytes",
		.def	= "0",
		.category = FIO_OPT_C_ENGINE,
		.group	= FIO_OPT_G_INVALID,
	},
	{
		.name	= "copyoff_ranges",
		.lname	= "copyoff ranges per copy",
		.type	= FIO_OPT_INT,
		.off1	= offsetof(struct copyoff_fio_options, ranges),
		.minval	= 1,
		.maxval	= COPYOFF_MAX_RANGES,
		.help	= "Split each io_u into this many equal ranges",
		.def	= "1",
		.category = FIO_OPT_C_ENGINE,
		.group	= FIO_OPT_G_INVALID,
	},
	{
		.name	= "copyoff_src_stride",
		.lname	= "copyoff source stride",
		.type	= FIO_OPT_STR_VAL,
		.off1	= offsetof(struct copyoff_fio_options, src_stride),
		.help	= "Bytes between the sources of an io_u's ranges (0: the range length, contiguous)",
		.def	= "0",
		.category = FIO_OPT_C_ENGINE,
		.group	= FIO_OPT_G_INVALID,
	},
	{
		.name	= "copyoff_mode",
		.lname	= "copyoff mode",
		.type	= FIO_OPT_STR,
		.off1	= offsetof(struct copyoff_fio_options, mode),
		.help	= "Offload where possible, offload only, or always emulate",
		.def	= "auto",
		.posval	= {
			{ .ival = "auto", .oval = COPYOFF_FIO_AUTO,
			  .help = "Offload where a provider can, emulate otherwise" },
			{ .ival = "offload", .oval = COPYOFF_FIO_OFFLOAD,
			  .help = "Offload only: COPYOFF_F_NO_EMULATION, EOPNOTSUPP otherwise" },
			{ .ival = "emulate", .oval = COPYOFF_FIO_EMULATE,
			  .help = "Always emulate: COPYOFF_F_EMULATE" },
		},
		.category = FIO_OPT_C_ENGINE,
		.group	= FIO_OPT_G_INVALID,
	},
	{
		.name	= NULL,
	},
};

/* Returns 0 or an errno, which fio reports as the job's error. */
static int copyoff_fio_init(struct thread_data *td)
{
	struct copyoff_fio_options *o = td->eo;
	struct copyoff_fio_data *d;
	int err;

	if (td_read(td) || td_trim(td)) {
		log_err("copyoff-fio: %s: only writes can be copies: use rw=write or rw=randwrite\n",
			td->o.name);
		return EINVAL;
	}

	d = calloc(1, sizeof(*d));
	if (!d)
		return ENOMEM;
	d->ranges = calloc(o->ranges, sizeof(*d->ranges));
	if (!d->ranges) {
		free(d);
		return ENOMEM;
	}
	switch (o->mode) {
	case COPYOFF_FIO_OFFLOAD:
		d->flags = COPYOFF_F_NO_EMULATION;
		break;
	case COPYOFF_FIO_EMULATE:
		d->flags = COPYOFF_F_EMULATE;
		break;
	default:
		d->flags = 0;
		break;
	}
	d->ctl_fd = open(COPYOFF_DEV, O_RDWR | O_CLOEXEC);
	if (d->ctl_fd < 0) {
		err = errno;
		log_err("copyoff-fio: %s: %s: %s (is copyoff_core loaded?)\n",
			td->o.name, COPYOFF_DEV, strerror(err));
		free(d->ranges);
		free(d);
		return err;
	}
	td->io_ops_data = d;
	return 0;
}

static void copyoff_fio_cleanup(struct thread_data *td)
{
	struct copyoff_fio_data *d = td->io_ops_data;

	if (!d)
		return;
	/*
	 * On stderr, not through log_info: fio's stdout may be its JSON or
	 * terse report, which must stay parseable.
	 */
	fprintf(stderr, "copyoff-fio: %s: copies=%llu copied=%llu offloaded=%llu errors=%llu\n",
		td->o.name, d->copies, d->copied, d->offloaded, d->errors);
	fflush(stderr);
	close(d->ctl_fd);
	free(d->ranges);
	free(d);
	td->io_ops_data = NULL;
}

/*
 * fio opens the destination (O_RDWR for a write job); the source is opened
 * here, read-only, next to it.
 */
static int copyoff_fio_open_file(struct thread_data *td, struct fio_file *f)
{
	struct copyoff_fio_options *o = td->eo;
	const char *src = o->src ? o->src : f->file_name;
	struct copyoff_fio_file *cf;
	int ret;

	if (f->filetype != FIO_TYPE_BLOCK) {
		log_err("copyoff-fio: %s: %s is not a block device\n",
			td->o.name, f->file_name);
		td->error = ENOTBLK;
		return 1;
	}
	ret = generic_open_file(td, f);
	if (ret)
		return ret;

	cf = malloc(sizeof(*cf));
	if (!cf)
		goto err_close;
	cf->src_fd = open(src, O_RDONLY | O_CLOEXEC);
	if (cf->src_fd < 0) {
		td->error = errno;
		log_err("copyoff-fio: %s: source %s: %s\n", td->o.name, src,
			strerror(errno));
		free(cf);
		goto err_close;
	}
	FILE_SET_ENG_DATA(f, cf);
	return 0;

err_close:
	if (!td->error)
		td->error = ENOMEM;
	if (generic_close_file(td, f))
		log_err("copyoff-fio: %s: closing %s failed\n", td->o.name,
			f->file_name);
	return 1;
}

static int copyoff_fio_close_file(struct thread_data *td, struct fio_file *f)
{
	struct copyoff_fio_file *cf = FILE_ENG_DATA(f);

	if (cf) {
		close(cf->src_fd);
		free(cf);
		FILE_SET_ENG_DATA(f, NULL);
	}
	return generic_close_file(td, f);
}

/* Fill d->ranges for io_u; returns 0 or an errno. */
static int copyoff_fio_ranges(struct thread_data *td, struct io_u *io_u)
{
	struct copyoff_fio_options *o = td->eo;
	struct copyoff_fio_data *d = td->io_ops_data;
	unsigned long long n = o->ranges, len, stride, base, s;
	unsigned int i;

	len = io_u->xfer_buflen / n;
	if (!len || len * n != io_u->xfer_buflen) {
		if (!d->warned_split) {
			log_err("copyoff-fio: %s: %llu bytes at %llu cannot be split into %llu equal ranges\n",
				td->o.name, io_u->xfer_buflen, io_u->offset, n);
			d->warned_split = true;
		}
		return EINVAL;
	}
	stride = o->src_stride ? o->src_stride : len;
	/* The last source range must not wrap around 64 bits. */
	if (__builtin_add_overflow(o->src_offset, io_u->offset, &base) ||
	    __builtin_mul_overflow(n - 1, stride, &s) ||
	    __builtin_add_overflow(base, s, &s) ||
	    __builtin_add_overflow(s, len, &s))
		return EINVAL;

	for (i = 0; i < n; i++) {
		d->ranges[i].src_off = base + i * stride;
		d->ranges[i].dst_off = io_u->offset + i * len;
		d->ranges[i].len = len;
		d->ranges[i].comp_len = 0;
	}
	return 0;
}

static int copyoff_fio_copy(struct thread_data *td, struct io_u *io_u)
{
	struct copyoff_fio_options *o = td->eo;
	struct copyoff_fio_data *d = td->io_ops_data;
	struct copyoff_fio_file *cf = FILE_ENG_DATA(io_u->file);
	struct copyoff_copy c;
	int err;

	io_u->resid = io_u->xfer_buflen;
	err = copyoff_fio_ranges(td, io_u);
	if (err)
		return err;

	memset(&c, 0, sizeof(c));
	c.src_fd = cf->src_fd;
	c.dst_fd = io_u->file->fd;
	c.flags = d->flags;
	c.nr_ranges = o->ranges;
	c.ranges = (__u64)(uintptr_t)d->ranges;
	err = ioctl(d->ctl_fd, COPYOFF_IOC_COPY, &c) ? errno : 0;

	/* Written back once the copy started, even when it failed. */
	d->copies++;
	d->copied += c.copied;
	d->offloaded += c.offloaded;
	io_u->resid = io_u->xfer_buflen - c.copied;
	if (!err && io_u->resid)
		err = EIO;
	return err;
}

static enum fio_q_status copyoff_fio_queue(struct thread_data *td,
					   struct io_u *io_u)
{
	struct copyoff_fio_data *d = td->io_ops_data;
	int err = 0;

	if (io_u->ddir == DDIR_WRITE) {
		err = copyoff_fio_copy(td, io_u);
	} else if (ddir_sync(io_u->ddir)) {
		if (fsync(io_u->file->fd))
			err = errno;
	} else {
		if (!d->warned_read) {
			log_err("copyoff-fio: %s: %s refused: the engine only copies (writes)\n",
				td->o.name, io_u->ddir == DDIR_READ ? "read" : "trim");
			d->warned_read = true;
		}
		err = EINVAL;
	}
	if (err) {
		d->errors++;
		io_u->error = err;
	}
	return FIO_Q_COMPLETED;
}

struct ioengine_ops ioengine = {
	.name			= "copyoff",
	.version		= FIO_IOOPS_VERSION,
	.flags			= FIO_SYNCIO | FIO_NOEXTEND,
	.init			= copyoff_fio_init,
	.queue			= copyoff_fio_queue,
	.cleanup		= copyoff_fio_cleanup,
	.open_file		= copyoff_fio_open_file,
	.close_file		= copyoff_fio_close_file,
	.get_file_size		= generic_get_file_size,
	.options		= copyoff_fio_opts,
	.option_struct_size	= sizeof(struct copyoff_fio_options),
};
