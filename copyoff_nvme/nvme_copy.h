/* SPDX-License-Identifier: GPL-2.0 */
/*
 * copyoff_nvme: the provider's private declarations.
 */
#ifndef COPYOFF_NVME_COPY_H
#define COPYOFF_NVME_COPY_H

#include <linux/types.h>
#include <linux/workqueue.h>
#include <linux/nvme.h>
#include <copyoff/compat.h>
#include <copyoff/copyoff.h>
#include <copyoff/nvme_spec.h>
#include <copyoff_btf.h>

/*
 * Exported by nvme-core with this prototype on 6.1 and 6.12 (its header is
 * private to the driver): a synchronous passthrough command on @q.  Returns
 * 0, a negative errno, or a positive NVMe status (SCT and SC in bits 10:0).
 * The build compares the prototype with nvme-core's BTF (scripts/btf-protos).
 */
int nvme_submit_sync_cmd(struct request_queue *q, struct nvme_command *cmd,
			 void *buf, unsigned int bufflen);

/*
 * What the provider knows of one namespace.  The answer holds while the
 * disk, its block size, its capacity and its integrity (metadata) size are
 * those it was found with: a Format NVM changes at least one of them, and
 * the namespace is then discovered again; so is every namespace after
 * copyoff_nvme_forget() (a controller that lost CDFE).
 */
struct copyoff_nvme_ns {
	/* the key */
	dev_t devt;
	u64 diskseq;
	u32 lbs;
	sector_t capacity;
	u8 tuple;		/* integrity bytes per interval, 0: none */
	unsigned int gen;	/* copyoff_nvme_forget() since: stale */
	/* the answer */
	int error;		/* discovery failed: not offloaded, not retried */
	u32 nsid;
	u16 oncs;
	u16 ocfs;
	u16 mssrl;
	u32 mcl;
	u8 msrc;
	u16 ms;			/* metadata bytes per block */
	u8 dps;			/* end-to-end protection settings */
	u8 lbads;		/* log2 of the data bytes per block */
	u16 cdfe;		/* the controller's CDFE as last read, 0: not read */
	bool copy;		/* Copy format 0 usable */
	bool xns;		/* and format 2, as the destination (CDFE set) */
};

/* main.c: make every cached answer stale (any context) */
void copyoff_nvme_forget(void);

/*
 * main.c: the nvme_core loaded is the build whose private layouts the build
 * read (copyoff_btf.h): set once at load, before any command is sent.  When
 * false, the provider does what needs no layout of nvme_core, as a build
 * without them does: Copy through the synchronous passthrough call (no
 * completion dword 0: a failed Copy counts as nothing copied), a head's
 * path found by name, Identify through the admin passthrough ioctl.
 */
extern bool copyoff_nvme_layouts;

/* path.c: the queue for I/O (Copy) and admin (Identify) commands of @disk,
 * with a reference in *@devp to put when done (NULL: none taken) */
struct request_queue *copyoff_nvme_io_queue(struct gendisk *disk,
					    struct device **devp);
struct request_queue *copyoff_nvme_admin_queue(struct gendisk *disk,
					       struct device **devp);
/* path.c: the I/O queue for a Copy to @dst from @src (the same disk, or
 * another namespace: of one controller, or two heads of one subsystem),
 * as copyoff_nvme_io_queue(); NULL: no way to send it, emulate */
struct request_queue *copyoff_nvme_copy_queue(struct gendisk *dst,
					      struct gendisk *src,
					      struct device **devp);
bool copyoff_nvme_heads_shared(struct gendisk *dst, struct gendisk *src);

/* copy.c: building the commands, choosing the way to send them */
/*
 * One Copy command: descriptors of format 0 (within a namespace) or 2 (from
 * another namespace of the controller); both are 32 bytes, format 0 with
 * SNSID and SOPT zero.  @tries counts the sends (Insufficient Resources
 * is retried).
 */
struct copyoff_nvme_cmd {
	struct nvme_command cmd;
	struct copyoff_chunk *chunk;
	struct delayed_work retry;	/* submit_async.c */
	unsigned int tries;
	unsigned int len;		/* of the descriptors */
	u8 format;			/* 0 or 2 */
	struct copyoff_nvme_range_fmt2 desc[];
};

/* Sends of one command that Insufficient Resources may cost, and the wait
 * before the next: COPYOFF_NVME_RETRY_MS << (sends so far - 1). */
#define COPYOFF_NVME_TRIES	4
#define COPYOFF_NVME_RETRY_MS	5

int copyoff_nvme_copy_init(void);
void copyoff_nvme_copy_exit(void);
void copyoff_nvme_submit(struct copyoff_provider *prov,
			 struct copyoff_chunk *chunk);
struct copyoff_nvme_cmd *copyoff_nvme_build_copy(struct copyoff_chunk *chunk);
extern bool copyoff_nvme_xns_any_format;
int copyoff_nvme_status_errno(int status);
bool copyoff_nvme_retry(struct copyoff_nvme_cmd *c, int status);
int copyoff_nvme_cmd_failed(struct copyoff_nvme_cmd *c, int status);
void copyoff_nvme_report_failure(struct copyoff_chunk *chunk, int status,
				 int ret);

/* submit_sync.c: nvme-core's synchronous passthrough call, in work items */
void copyoff_nvme_submit_sync(struct copyoff_chunk *chunk);
int copyoff_nvme_sync_init(void);
void copyoff_nvme_sync_exit(void);

/*
 * submit_async.c: asynchronous passthrough requests, built only where the
 * build read nvme_request's layout (HAVE_BTF_NVME_REQUEST, Kbuild).
 */
void copyoff_nvme_submit_async(struct copyoff_chunk *chunk);

static inline bool copyoff_nvme_use_async(void)
{
	return IS_ENABLED(HAVE_BTF_NVME_REQUEST) && copyoff_nvme_layouts;
}
#endif
