/* SPDX-License-Identifier: GPL-2.0 */
/*
 * copyoff_nvme: what the NVM Command Set specification (TP 4065, Copy)
 * defines and the public <linux/nvme.h> of 6.1 and 6.12 does not, and the
 * provider's private declarations.
 */
#ifndef COPYOFF_NVME_COPY_H
#define COPYOFF_NVME_COPY_H

#include <linux/types.h>
#include <linux/nvme.h>
#include <copyoff/compat.h>
#include <copyoff/copyoff.h>

/* Copy: I/O command opcode. */
#define COPYOFF_NVME_CMD_COPY		0x19

/* Identify Controller: ONCS bit 8, Copy; OCFS bit 0, descriptor format 0. */
#define COPYOFF_NVME_IDC_ONCS		520	/* __le16 */
#define COPYOFF_NVME_IDC_OCFS		534	/* __le16 */
#define COPYOFF_NVME_ONCS_COPY		(1 << 8)
#define COPYOFF_NVME_OCFS_FMT0		(1 << 0)

/* Identify Namespace (NVM): Copy limits. */
#define COPYOFF_NVME_IDNS_MSSRL		74	/* __le16, blocks per source range */
#define COPYOFF_NVME_IDNS_MCL		76	/* __le32, blocks per command */
#define COPYOFF_NVME_IDNS_MSRC		80	/* __u8, source ranges - 1 */

/* Copy CDW12: NR (source ranges - 1) in bits 7:0, descriptor format 11:8. */
#define COPYOFF_NVME_CDW12_NR(n)	((n) & 0xff)
#define COPYOFF_NVME_CDW12_DF(f)	(((f) & 0xf) << 8)

/* Source Range Entry, descriptor format 0: 32 bytes. */
struct copyoff_nvme_range_fmt0 {
	__u8	rsvd0[8];
	__le64	slba;		/* byte 8 */
	__le16	nlb;		/* byte 16, blocks - 1 */
	__u8	rsvd18[6];
	__le32	eilbrt;		/* byte 24 */
	__le16	elbat;
	__le16	elbatm;
};

/* Status Code Type and Status Code of a completion (status >> 1). */
#define COPYOFF_NVME_SCT(st)		(((st) >> 8) & 0x7)
#define COPYOFF_NVME_SC(st)		((st) & 0xff)
#define COPYOFF_NVME_SCT_GENERIC	0
#define COPYOFF_NVME_SCT_CMD_SPECIFIC	1
#define COPYOFF_NVME_SCT_MEDIA		2
#define COPYOFF_NVME_SCT_PATH		3
#define COPYOFF_NVME_SC_INVALID_OPCODE	0x01
#define COPYOFF_NVME_SC_INVALID_FIELD	0x02

/*
 * Exported by nvme-core with this prototype on 6.1 and 6.12 (its header is
 * private to the driver): a synchronous passthrough command on @q.  Returns
 * 0, a negative errno, or a positive NVMe status (SCT and SC in bits 10:0).
 */
int nvme_submit_sync_cmd(struct request_queue *q, struct nvme_command *cmd,
			 void *buf, unsigned int bufflen);

/* What the provider knows of one namespace. */
struct copyoff_nvme_ns {
	dev_t devt;
	u64 diskseq;
	u32 nsid;
	u16 oncs;
	u16 ocfs;
	u16 mssrl;
	u32 mcl;
	u8 msrc;
	u32 lbs;
	bool copy;		/* Copy format 0 usable */
};

/* copy.c */
int copyoff_nvme_copy_init(void);
void copyoff_nvme_copy_exit(void);
void copyoff_nvme_submit(struct copyoff_provider *prov,
			 struct copyoff_chunk *chunk);
#endif
