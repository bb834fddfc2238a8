/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the NVM Command Set specification defines for Copy (TP 4065) and the
 * public <linux/nvme.h> of 6.1 and 6.12 does not: shared by the host side
 * (copyoff_nvme) and the target side (copyoff_nvmet).
 */
#ifndef COPYOFF_NVME_SPEC_H
#define COPYOFF_NVME_SPEC_H

#include <linux/types.h>

/* Copy: I/O command opcode. */
#define COPYOFF_NVME_CMD_COPY		0x19

/*
 * Identify Controller: ONCS bit 8, Copy; OCFS bit N, descriptor format N
 * supported (formats 2 and 3, TP 4130: 0 and 1 plus a source namespace).
 */
#define COPYOFF_NVME_IDC_ONCS		520	/* __le16 */
#define COPYOFF_NVME_IDC_OCFS		534	/* __le16 */
#define COPYOFF_NVME_ONCS_COPY		(1 << 8)
#define COPYOFF_NVME_OCFS_FMT0		(1 << 0)
#define COPYOFF_NVME_OCFS_FMT1		(1 << 1)
#define COPYOFF_NVME_OCFS_FMT2		(1 << 2)
#define COPYOFF_NVME_OCFS_FMT3		(1 << 3)

/*
 * Host Behavior Support (Get/Set Features, FID 16h): a 512-byte data
 * structure.  Bytes 5:4 are CDFE, Copy Descriptor Formats Enable: bit N
 * (N = 2, 3) lets the host use descriptor format N; a controller refuses
 * formats 2 and 3 (Invalid Field) until the host set them.  The other bytes
 * (ACRE, ETDAS, LBAFEE, ...) belong to whoever set them and are written
 * back as read.
 */
#define COPYOFF_NVME_FEAT_HOST_BEHAVIOR	0x16
#define COPYOFF_NVME_HBS_SIZE		512
#define COPYOFF_NVME_HBS_CDFE		4	/* __le16 */

/*
 * Get/Set Features: Save (Set Features CDW10 bit 31); Select (Get Features
 * CDW10 bits 10:8: current, default, saved, supported capabilities) and,
 * for SEL 3, the capabilities in dword 0 (bit 2: changeable).
 */
#define COPYOFF_NVME_FEAT_SAVE		(1U << 31)
#define COPYOFF_NVME_SEL_CURRENT	0
#define COPYOFF_NVME_SEL_CAPS		3
#define COPYOFF_NVME_FEAT_CAP_CHANGE	(1 << 2)

/* Identify Namespace (NVM): Copy limits. */
#define COPYOFF_NVME_IDNS_MSSRL		74	/* __le16, blocks per source range */
#define COPYOFF_NVME_IDNS_MCL		76	/* __le32, blocks per command */
#define COPYOFF_NVME_IDNS_MSRC		80	/* __u8, source ranges - 1 */

/*
 * Identify Namespace (NVM): the formatted LBA format and protection.  FLBAS
 * bits 3:0 (and 6:5, the high bits, where more than 16 formats exist) index
 * the LBA Format table; each entry has the metadata size in bits 15:0 and
 * log2 of the data size in bits 23:16.  DPS bits 2:0: protection type, 0 off.
 */
#define COPYOFF_NVME_IDNS_FLBAS		26	/* __u8 */
#define COPYOFF_NVME_IDNS_DPS		29	/* __u8 */
#define COPYOFF_NVME_IDNS_LBAF		128	/* __le32[64] */
#define COPYOFF_NVME_FLBAS_INDEX(v)	(((v) & 0xf) | ((((v) >> 5) & 0x3) << 4))
#define COPYOFF_NVME_LBAF_MS(v)		((v) & 0xffff)
#define COPYOFF_NVME_LBAF_LBADS(v)	(((v) >> 16) & 0xff)
#define COPYOFF_NVME_DPS_PIT(v)		((v) & 0x7)

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

/*
 * Source Range Entry, descriptor format 2 (TP 4130): format 0 with the source
 * namespace in bytes 3:0 and Source Options in bytes 23:22 (bit 15: Fast
 * Copy Only); 32 bytes too.  Format 0 has both fields reserved (zero).
 */
struct copyoff_nvme_range_fmt2 {
	__le32	snsid;		/* byte 0 */
	__u8	rsvd4[4];
	__le64	slba;		/* byte 8 */
	__le16	nlb;		/* byte 16, blocks - 1 */
	__u8	rsvd18[4];
	__le16	sopt;		/* byte 22 */
	__le32	eilbrt;		/* byte 24 */
	__le16	elbat;
	__le16	elbatm;
};

/*
 * Source Range Entry, descriptor formats 1 and 3 (40 bytes): the first 24
 * bytes as formats 0 and 2 (format 1 with SNSID and SOPT reserved, format 3
 * with them), then the protection information fields of the 32b and 64b
 * Guard formats: ELBST/EILBRT (80 bits, byte 26), ELBAT, ELBATM.
 */
struct copyoff_nvme_range_fmt3 {
	__le32	snsid;		/* byte 0 */
	__u8	rsvd4[4];
	__le64	slba;		/* byte 8 */
	__le16	nlb;		/* byte 16, blocks - 1 */
	__u8	rsvd18[4];
	__le16	sopt;		/* byte 22 */
	__u8	rsvd24[2];
	__u8	elbst_eilbrt[10];	/* byte 26 */
	__le16	elbat;
	__le16	elbatm;
};

/* Source Options of a format 2/3 descriptor: bit 15, Fast Copy Only. */
#define COPYOFF_NVME_SOPT_FCO		(1 << 15)

/* Status Code Type and Status Code of a completion (status >> 1). */
#define COPYOFF_NVME_SCT(st)		(((st) >> 8) & 0x7)
#define COPYOFF_NVME_SC(st)		((st) & 0xff)
#define COPYOFF_NVME_SCT_GENERIC	0
#define COPYOFF_NVME_SCT_CMD_SPECIFIC	1
#define COPYOFF_NVME_SCT_MEDIA		2
#define COPYOFF_NVME_SCT_PATH		3
#define COPYOFF_NVME_SC_INVALID_OPCODE	0x01
#define COPYOFF_NVME_SC_INVALID_FIELD	0x02
/* Path related (SCT 3): statuses the host itself makes up, no controller answered */
#define COPYOFF_NVME_SC_HOST_PATH_ERROR	0x70
#define COPYOFF_NVME_SC_HOST_ABORTED	0x71
#define COPYOFF_NVME_SC_DATA_XFER_ERROR	0x04
#define COPYOFF_NVME_SC_INTERNAL	0x06
#define COPYOFF_NVME_SC_INVALID_NS	0x0b	/* Invalid Namespace or Format */
#define COPYOFF_NVME_SC_SGL_INVALID_DATA 0x0f	/* Data SGL Length Invalid */
#define COPYOFF_NVME_SC_NS_WRITE_PROTECTED 0x20
#define COPYOFF_NVME_SC_LBA_RANGE	0x80
#define COPYOFF_NVME_SC_CAP_EXCEEDED	0x81
/* Copy, command specific (SCT 1); 85h-89h from TP 4130 */
#define COPYOFF_NVME_SC_CMD_SIZE_LIMIT	0x83
/* Set Features, command specific (SCT 1) */
#define COPYOFF_NVME_SC_FEAT_NOT_SAVEABLE 0x0d
#define COPYOFF_NVME_SC_INCOMPATIBLE_NS	0x85	/* Incompatible Namespace or Format */
#define COPYOFF_NVME_SC_FAST_COPY	0x86	/* Fast Copy Not Possible */
#define COPYOFF_NVME_SC_OVERLAP_RANGE	0x87	/* Overlapping I/O Range */
#define COPYOFF_NVME_SC_NS_UNREACHABLE	0x88	/* Namespace Not Reachable */
#define COPYOFF_NVME_SC_NO_RESOURCES	0x89	/* Insufficient Resources */

/* A status as nvmet completes it: SCT in bits 10:8, SC 7:0, DNR bit 14. */
#define COPYOFF_NVME_STATUS(sct, sc)	(((sct) << 8) | (sc))
#define COPYOFF_NVME_DNR		0x4000

/* Copy CDW12 fields, as the target reads them. */
#define COPYOFF_NVME_CDW12_GET_NR(v)	((v) & 0xff)
#define COPYOFF_NVME_CDW12_GET_DF(v)	(((v) >> 8) & 0xf)
#define COPYOFF_NVME_CDW12_FUA		(1U << 30)

/* Identify data structures are 4096 bytes. */
#define COPYOFF_NVME_IDENTIFY_SIZE	4096

#endif /* COPYOFF_NVME_SPEC_H */
