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
 *   emul.c      emulation: bounded buffer slots, read then write, several
 *               in flight; the budget of all copies (max_mem_mb), the
 *               buffer pool, cgroup charging
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

struct cgroup_subsys_state;
struct mem_cgroup;

/* main.c: tunables (module parameters) and shared state */
extern unsigned int copyoff_emul_chunk_kb;
extern unsigned int copyoff_emul_slots;
#define COPYOFF_MAX_SLOTS	64U	/* emul_slots at most */

/* emul_slots as it is now (its setter already keeps it in range) */
static inline unsigned int copyoff_emul_slots_now(void)
{
	return clamp(READ_ONCE(copyoff_emul_slots), 1U, COPYOFF_MAX_SLOTS);
}
extern unsigned int copyoff_offload_qd;
extern unsigned int copyoff_max_mem_mb;
extern struct workqueue_struct *copyoff_wq;
extern atomic64_t copyoff_mem_bytes;
extern atomic64_t copyoff_mem_peak;
extern atomic_t copyoff_jobs_active;
void copyoff_mem_add(long bytes);

/* registry.c */
struct copyoff_provider *copyoff_find_provider(struct block_device *src,
					       struct block_device *dst,
					       struct copyoff_limits *lim,
					       unsigned int qflags);
void copyoff_put_provider(struct copyoff_provider *prov);

/* policy.c: what a copy between two devices would do */
#define COPYOFF_PATH_HW		(1U << 0)	/* ask the provider in any case */

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
	u64 stamp[2];			/* the time (ns) of the last sample */
	u64 samples[2];
	u64 last_probe;			/* when the slower path was last tried */
	u64 probe_start;		/* ... by the probe in flight */
	unsigned int mult;		/* probe budget factor, 32..1024 */
	unsigned int probe_path;
	bool probing;			/* a probe is in flight */
};

struct copyoff_auto {
	spinlock_t lock;
	struct copyoff_auto_class class[COPYOFF_AUTO_CLASSES];
};

void copyoff_auto_init(struct copyoff_auto *a);
bool copyoff_auto_offload(struct copyoff_auto *a, u64 bytes, u64 now);
void copyoff_auto_sample(struct copyoff_auto *a, unsigned int path, u64 bytes,
			 u64 start, u64 now);
ssize_t copyoff_auto_show(struct copyoff_auto *a, char *buf);

/* sysfs.c: per-device settings and counters */
#define COPYOFF_OFFLOAD_OFF	0	/* always emulate */
#define COPYOFF_OFFLOAD_ON	1	/* offload where a provider can */
#define COPYOFF_OFFLOAD_AUTO	2	/* whichever is faster (auto.c) */

struct copyoff_dev {
	struct kobject kobj;
	struct device *dev;		/* the block device's struct device */
	int copy_offload;		/* COPYOFF_OFFLOAD_* */
	u64 copy_max_bytes;		/* 0: the hardware limit */
	atomic64_t bytes_offloaded;
	atomic64_t bytes_emulated;
	atomic64_t copies;
	atomic64_t errors;
	struct copyoff_auto autosel;
};

int copyoff_sysfs_init(void);
void copyoff_sysfs_exit(void);
struct copyoff_dev *copyoff_dev_get(struct block_device *bdev);
void copyoff_dev_put(struct copyoff_dev *cdev);

/* engine.c */
struct copyoff_job;
struct copyoff_job *copyoff_job_start(struct block_device *src,
				      struct block_device *dst,
				      struct copyoff_range *ranges,
				      unsigned int nr, unsigned int flags,
				      copyoff_end_fn end, void *priv);
void copyoff_job_cancel(struct copyoff_job *job);
void copyoff_job_put(struct copyoff_job *job);

/* emul.c: one buffer slot of the emulation */
struct copyoff_piece {
	u64 src_off;
	u64 dst_off;
	u64 len;
	u32 range;
	u64 range_off;
};

/* An emulation buffer: blocks of physically contiguous pages. */
struct copyoff_buf {
	struct list_head node;		/* in the pool */
	u64 bytes;
	struct mem_cgroup *memcg;	/* charged to; a key, never dereferenced */
	unsigned int nr;
	struct {
		struct page *page;
		unsigned int order;
	} blk[];
};

struct copyoff_slot {
	struct copyoff_job *job;
	unsigned int index;
	bool writing;
	blk_status_t status;
	struct block_device *src;
	struct block_device *dst;
	struct copyoff_piece piece;
	struct work_struct work;
	struct copyoff_buf *buf;
	struct cgroup_subsys_state *css;	/* the job's I/O cgroup, or NULL */
};

/*
 * A copy waiting for buffer memory (emul.c's budget of max_mem_mb).  Owned
 * by the engine; the fields are emul.c's, under its budget lock.
 */
struct copyoff_mem_wait {
	struct list_head node;
	void (*wake)(struct copyoff_mem_wait *w);
	unsigned int want;
	unsigned int granted;
	u64 bytes;
	bool queued;
};

int copyoff_mem_reserve(struct copyoff_mem_wait *w, unsigned int want,
			u64 bytes);
void copyoff_mem_release(unsigned int n, u64 bytes);
bool copyoff_mem_unwait(struct copyoff_mem_wait *w);
extern atomic64_t copyoff_mem_waits;
extern atomic_t copyoff_mem_waiting;

struct copyoff_slot **copyoff_slots_alloc(struct copyoff_job *job,
					  unsigned int nslots, u64 bytes,
					  struct cgroup_subsys_state *css,
					  struct mem_cgroup *memcg);
void copyoff_slots_free(struct copyoff_slot **slots, unsigned int nslots);
extern atomic64_t copyoff_pool_bytes;
void copyoff_pool_exit(void);
void copyoff_slot_start(struct copyoff_slot *slot, struct block_device *src,
			struct block_device *dst,
			const struct copyoff_piece *piece);
/* called by emul.c, in process context, when a slot's piece has ended */
void copyoff_job_piece_end(struct copyoff_slot *slot, int status);

/* ioctl.c */
long copyoff_ioctl(struct file *file, unsigned int cmd, unsigned long arg);

/* bdev.c */
int copyoff_bdev_selftest(const char *path);
int copyoff_cache_before(struct block_device *src, struct block_device *dst,
			 const struct copyoff_range *ranges, unsigned int nr);
int copyoff_cache_after(struct block_device *dst,
			const struct copyoff_range *ranges, unsigned int nr);

#endif
