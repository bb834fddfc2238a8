/* SPDX-License-Identifier: GPL-2.0 */
/*
 * copyoff_core: declarations shared between the core's own files.
 *
 * The path of one copy, top to bottom:
 *   ioctl.c     COPYOFF_IOC_COPY: fds -> block devices, ranges from user
 *   validate.c  every rule on the ranges, before anything is touched
 *   policy.c    which path a copy between two devices takes, with which
 *               limits: the provider (registry.c), copy_offload,
 *               copy_max_bytes, auto; asked by the engine, INFO and sysfs
 *   engine.c    a job: page cache write-back (bdev.c), the range cursor
 *               split into chunks (struct job_chunk wraps what providers
 *               see) or emulation pieces, completion counted per range,
 *               comp_len
 *   emul.c      emulation (its interface: emul.h): bounded buffer slots,
 *               read then write, several in flight; its tunables, the
 *               budget of all copies (max_mem_mb), the buffer pool, cgroup
 *               charging
 *   mem.c       the memory copies hold (mem_bytes, mem_peak_bytes)
 *   sysfs.c     per-device attributes and counters (/sys/block/X/copyoff/)
 *   auto.c      copy_offload=auto: offload or emulation by measured speed
 *   btf.c       the build identity of nvme_core/nvmet for the private
 *               layouts (copyoff_btf_verify)
 */
#ifndef COPYOFF_CORE_PRIV_H
#define COPYOFF_CORE_PRIV_H

#include <copyoff/compat.h>
#include <copyoff/copyoff.h>
#include <linux/kobject.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

struct attribute_group;

/* mem.c: memory held by copies (jobs, chunks, emulation buffers) */
void copyoff_mem_add(long bytes);
extern const struct attribute_group copyoff_mem_group;

/* registry.c */
struct copyoff_provider *copyoff_find_provider(struct block_device *src,
					       struct block_device *dst,
					       struct copyoff_limits *lim,
					       unsigned int qflags);
void copyoff_put_provider(struct copyoff_provider *prov);

/* policy.c: what a copy between two devices would do */
#define COPYOFF_PATH_HW		(1U << 0)	/* ask the provider in any case */

/* The caller's own, on its stack; no lock. */
struct copyoff_path {
	struct copyoff_provider *prov;	/* held; NULL: no provider */
	struct copyoff_limits hw;	/* the provider's own answer */
	struct copyoff_limits lim;	/* a copy's: hw, aligned and lowered */
	bool offload;			/* a copy now would be offloaded */
};

void copyoff_path_find(struct block_device *src, struct block_device *dst,
		       unsigned int qflags, u64 auto_bytes, unsigned int pflags,
		       struct copyoff_path *path);
void copyoff_path_put(struct copyoff_path *path);

/* validate.c */
int copyoff_validate(struct block_device *src, struct block_device *dst,
		     const struct copyoff_range *ranges, unsigned int nr,
		     unsigned int flags);

/* auto.c: per-device throughput figures for copy_offload=auto */
#define COPYOFF_PATH_EMUL	0
#define COPYOFF_PATH_OFFLOAD	1
#define COPYOFF_AUTO_CLASSES	4

struct copyoff_auto_class {
	u64 rate[2];			/* bytes per second by path, 0: unknown */
	u64 wbytes[2];			/* bytes of the window, by path */
	u64 wbusy[2];			/* ... and the busy time (ns) they took */
	u64 stamp[2];			/* the time (ns) of the last sample */
	u64 samples[2];
	u64 last_probe;			/* when the slower path was last tried */
	u64 probe_start;		/* ... by the probe in flight */
	unsigned int mult;		/* probe budget factor, 32..1024 */
	unsigned int probe_path;
	bool probing;			/* a probe is in flight */
};

struct copyoff_auto {
	spinlock_t lock;		/* every field below; irq-safe */
	struct copyoff_auto_class class[COPYOFF_AUTO_CLASSES];
	u64 vclock;			/* the device's busy clock (ns), see auto.c */
	u64 vlast;			/* the real time vclock was brought to */
	unsigned int inflight[2];	/* copies between begin and end, by path */
};

void copyoff_auto_init(struct copyoff_auto *a);
bool copyoff_auto_offload(struct copyoff_auto *a, u64 bytes, u64 now);
void copyoff_auto_sample(struct copyoff_auto *a, unsigned int path, u64 bytes,
			 u64 start, u64 now);
void copyoff_auto_sample_busy(struct copyoff_auto *a, unsigned int path,
			      u64 bytes, u64 busy, u64 now);
u64 copyoff_auto_begin(struct copyoff_auto *a, unsigned int path, u64 now);
u64 copyoff_auto_end(struct copyoff_auto *a, unsigned int path, u64 now);
ssize_t copyoff_auto_show(struct copyoff_auto *a, char *buf);

/* sysfs.c: per-device settings and counters */
#define COPYOFF_OFFLOAD_OFF	0	/* always emulate */
#define COPYOFF_OFFLOAD_ON	1	/* offload where a provider can */
#define COPYOFF_OFFLOAD_AUTO	2	/* whichever is faster (auto.c) */

/*
 * One block device's settings and counters.  Lifetime: kobj's reference,
 * taken under the lock of dev.c's table (copyoff_dev_get()).  dev:
 * constant.  copy_offload and copy_max_bytes: no lock, WRITE_ONCE() by
 * their sysfs stores, READ_ONCE() by their readers (each copy reads them
 * once).  Counters: atomics.  autosel: its own lock.
 */
struct copyoff_dev {
	struct kobject kobj;
	struct device *dev;		/* the block device's struct device */
	int copy_offload;		/* COPYOFF_OFFLOAD_* */
	u64 copy_max_bytes;		/* 0: the hardware limit */
	atomic64_t bytes_offloaded;
	atomic64_t bytes_emulated;
	atomic64_t copies;
	atomic64_t errors;
	atomic64_t emul_ios;		/* emulation pieces, read, written */
	struct copyoff_auto autosel;
};

int copyoff_sysfs_init(void);
void copyoff_sysfs_exit(void);

/* dev.c: the table of struct copyoff_dev */
struct copyoff_dev *copyoff_dev_get(struct block_device *bdev);
void copyoff_dev_put(struct copyoff_dev *cdev);
int copyoff_dev_publish(dev_t devt, struct copyoff_dev *cdev);
struct copyoff_dev *copyoff_dev_withdraw(dev_t devt);

/* engine.c */
struct copyoff_job;
/*
 * The core's own options of a job (copyoff_job_start()'s @jflags), which no
 * caller of the exported API can set:
 * COPYOFF_JOB_VALIDATED  the caller has validated exactly these ranges and
 *                        flags (the ioctl: it must refuse before writing)
 * COPYOFF_JOB_END_ANY    @end may be called in any context, interrupts
 *                        included: a job that has nothing left to do when its
 *                        last chunk completes ends there, without a hop to
 *                        the workqueue
 * COPYOFF_JOB_DRIVEN     the caller waits for the end in copyoff_job_wait(),
 *                        which does the emulation's work as its bios end
 *                        (and may call @end there)
 */
#define COPYOFF_JOB_VALIDATED	(1U << 0)
#define COPYOFF_JOB_END_ANY	(1U << 1)
#define COPYOFF_JOB_DRIVEN	(1U << 2)
struct copyoff_job *copyoff_job_start(struct block_device *src,
				      struct block_device *dst,
				      struct copyoff_range *ranges,
				      unsigned int nr, unsigned int flags,
				      unsigned int jflags,
				      copyoff_end_fn end, void *priv);
int copyoff_job_wait(struct copyoff_job *job);
void copyoff_job_cancel(struct copyoff_job *job);
void copyoff_job_put(struct copyoff_job *job);
/* at load and unload: the engine's workqueue (also the emulation's) */
struct workqueue_struct *copyoff_engine_init(void);
void copyoff_engine_exit(void);
/* /sys/class/misc/copyoff/jobs_active */
extern const struct attribute_group copyoff_engine_group;

/* ioctl.c */
long copyoff_ioctl(struct file *file, unsigned int cmd, unsigned long arg);

/* bdev.c */
int copyoff_bdev_selftest(const char *path);
int copyoff_cache_before(struct block_device *src, struct block_device *dst,
			 const struct copyoff_range *ranges, unsigned int nr);
int copyoff_cache_after(struct block_device *dst,
			const struct copyoff_range *ranges, unsigned int nr);
bool copyoff_cache_none(struct block_device *bdev);

#endif
