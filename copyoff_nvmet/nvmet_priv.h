/* SPDX-License-Identifier: GPL-2.0 */
/*
 * copyoff_nvmet: private declarations, and the only place that reads the
 * stock target's private structures.
 *
 * struct nvmet_req, nvmet_ns, nvmet_sq, nvmet_ctrl and nvmet_subsys are
 * private to drivers/nvme/target and absent from the headers package.  Their
 * layouts on the kernel this module is built for come from the BTF of that
 * kernel's nvmet.ko (scripts/btf-layout.sh -> copyoff_btf.h); each accessor
 * below reads one field at its BTF offset.  Kbuild does not build this
 * module when the layouts cannot be derived.
 *
 * Prefixes: tgt_ (accessors tgt_<struct>_<field>, the module's shared
 * functions), TGT_ (macros); the stock driver's own declarations keep their
 * nvmet_ names.
 */
#ifndef COPYOFF_NVMET_PRIV_H
#define COPYOFF_NVMET_PRIV_H

#include <linux/build_bug.h>
#include <linux/types.h>
#include <linux/nvme.h>
#include <linux/workqueue.h>
#include <linux/percpu-refcount.h>
#include <linux/xarray.h>
#include <copyoff_btf.h>
#include <copyoff/copyoff.h>
#include <copyoff/nvme_spec.h>

#ifndef HAVE_BTF_NVMET
#error "copyoff_nvmet needs the nvmet layouts from scripts/btf-layout.sh"
#endif

struct nvmet_req;
struct nvmet_ns;
struct nvmet_sq;

/*
 * The member of nvmet's structure at @p that btf-layout.sh calls @f
 * (COPYOFF_BTF_<f>_OFF), read as @type: the build stops when the member's
 * size in the target kernel's BTF is not sizeof(@type).
 */
#define TGT_AT(p, f, type)						\
	((type *)((u8 *)(p) + COPYOFF_BTF_##f##_OFF +			\
		  BUILD_BUG_ON_ZERO(COPYOFF_BTF_##f##_SIZE != sizeof(type))))

static inline struct nvme_command *tgt_req_cmd(struct nvmet_req *req)
{
	return *TGT_AT(req, NVMET_REQ_CMD, struct nvme_command *);
}

static inline struct nvme_completion *tgt_req_cqe(struct nvmet_req *req)
{
	return *TGT_AT(req, NVMET_REQ_CQE,
		       struct nvme_completion *);
}

static inline struct nvmet_sq *tgt_req_sq(struct nvmet_req *req)
{
	return *TGT_AT(req, NVMET_REQ_SQ, struct nvmet_sq *);
}

static inline struct nvmet_ns *tgt_req_ns(struct nvmet_req *req)
{
	return *TGT_AT(req, NVMET_REQ_NS, struct nvmet_ns *);
}

static inline struct scatterlist *tgt_req_sg(struct nvmet_req *req)
{
	return *TGT_AT(req, NVMET_REQ_SG, struct scatterlist *);
}

static inline int tgt_req_sg_cnt(struct nvmet_req *req)
{
	return *TGT_AT(req, NVMET_REQ_SG_CNT, int);
}

static inline size_t tgt_req_transfer_len(struct nvmet_req *req)
{
	return *TGT_AT(req, NVMET_REQ_TRANSFER_LEN, size_t);
}

typedef void (*tgt_execute_fn)(struct nvmet_req *req);

static inline tgt_execute_fn *tgt_req_execute(struct nvmet_req *req)
{
	return TGT_AT(req, NVMET_REQ_EXECUTE, tgt_execute_fn);
}

/* Where in the command the error is (the Error Information log page). */
static inline void tgt_req_set_error_loc(struct nvmet_req *req, u16 loc)
{
	*TGT_AT(req, NVMET_REQ_ERROR_LOC, u16) = loc;
}

static inline struct block_device *tgt_ns_bdev(struct nvmet_ns *ns)
{
	return *TGT_AT(ns, NVMET_NS_BDEV, struct block_device *);
}

static inline struct file *tgt_ns_file(struct nvmet_ns *ns)
{
	return *TGT_AT(ns, NVMET_NS_FILE, struct file *);
}

static inline bool tgt_ns_readonly(struct nvmet_ns *ns)
{
	return *TGT_AT(ns, NVMET_NS_READONLY, bool);
}

static inline u32 tgt_ns_blksize_shift(struct nvmet_ns *ns)
{
	return *TGT_AT(ns, NVMET_NS_BLKSIZE_SHIFT, u32);
}

static inline loff_t tgt_ns_size(struct nvmet_ns *ns)
{
	return *TGT_AT(ns, NVMET_NS_SIZE, loff_t);
}

static inline u8 tgt_ns_csi(struct nvmet_ns *ns)
{
	return *TGT_AT(ns, NVMET_NS_CSI, u8);
}

static inline struct percpu_ref *tgt_ns_ref(struct nvmet_ns *ns)
{
	return TGT_AT(ns, NVMET_NS_REF, struct percpu_ref);
}

static inline u32 tgt_ns_nsid(struct nvmet_ns *ns)
{
	return *TGT_AT(ns, NVMET_NS_NSID, u32);
}

static inline u32 tgt_ns_anagrpid(struct nvmet_ns *ns)
{
	return *TGT_AT(ns, NVMET_NS_ANAGRPID, u32);
}

static inline void *tgt_ns_subsys(struct nvmet_ns *ns)
{
	return *TGT_AT(ns, NVMET_NS_SUBSYS, void *);
}

static inline int tgt_ns_pi_type(struct nvmet_ns *ns)
{
	return *TGT_AT(ns, NVMET_NS_PI_TYPE, int);
}

static inline int tgt_ns_metadata_size(struct nvmet_ns *ns)
{
	return *TGT_AT(ns, NVMET_NS_METADATA_SIZE, int);
}

/* The ANA state of group @grpid on the request's port (nvmet's own array). */
static inline enum nvme_ana_state tgt_req_ana_state(struct nvmet_req *req,
						    u32 grpid)
{
	void *port = *TGT_AT(req, NVMET_REQ_PORT, void *);
	enum nvme_ana_state *st;

	st = *TGT_AT(port, NVMET_PORT_ANA_STATE,
		     enum nvme_ana_state *);
	return READ_ONCE(st[grpid]);
}

static inline u16 tgt_sq_qid(struct nvmet_sq *sq)
{
	return *TGT_AT(sq, NVMET_SQ_QID, u16);
}

/* The request's controller (struct nvmet_ctrl; NULL before Connect). */
static inline void *tgt_req_ctrl(struct nvmet_req *req)
{
	return *TGT_AT(tgt_req_sq(req), NVMET_SQ_CTRL, void *);
}

/* The subsystem of the request's controller (NULL before Connect). */
static inline void *tgt_req_subsys(struct nvmet_req *req)
{
	void *ctrl = tgt_req_ctrl(req);

	if (!ctrl)
		return NULL;
	return *TGT_AT(ctrl, NVMET_CTRL_SUBSYS, void *);
}

/* The namespaces of @subsys, by NSID: the xarray nvmet itself looks in. */
static inline struct xarray *tgt_subsys_namespaces(void *subsys)
{
	return TGT_AT(subsys, NVMET_SUBSYS_NAMESPACES,
		      struct xarray);
}

/* Is the request's controller a passthrough one (the device answers)? */
static inline bool tgt_req_passthru(struct nvmet_req *req)
{
#ifdef HAVE_BTF_NVMET_PASSTHRU
	void *subsys = tgt_req_subsys(req);

	return subsys && *TGT_AT(subsys,
				 NVMET_SUBSYS_PASSTHRU_CTRL,
				 void *);
#else
	return false;
#endif
}

/*
 * Is the request's controller an I/O controller of an NVM subsystem (not a
 * discovery controller, not passthrough), the only kind that serves Copy?
 */
static inline bool tgt_req_io_ctrl(struct nvmet_req *req)
{
	void *subsys = tgt_req_subsys(req);

	return subsys &&
	       *TGT_AT(subsys, NVMET_SUBSYS_TYPE,
		       enum nvme_subsys_type) == NVME_NQN_NVME &&
	       !tgt_req_passthru(req);
}

/*
 * Exported by nvmet with this prototype on 6.1 and 6.12 (nvmet.h is private;
 * checked against the target kernel's BTF at build time: scripts/btf-protos).
 */
void nvmet_req_complete(struct nvmet_req *req, u16 status);

/* Limits advertised for a namespace, in its logical blocks. */
struct tgt_limits {
	u16 mssrl;		/* blocks per source range */
	u32 mcl;		/* blocks per command */
	u16 nr_ranges;		/* source ranges per command (MSRC + 1) */
};

/*
 * The Copy descriptor formats advertised in OCFS: all four (copy.c), and
 * those of them a host enables in CDFE (Host Behavior Support): formats 2
 * and 3 only (0 and 1 need no enabling).
 */
#define TGT_OCFS			(COPYOFF_NVME_OCFS_FMT0 | COPYOFF_NVME_OCFS_FMT1 | \
					 COPYOFF_NVME_OCFS_FMT2 | COPYOFF_NVME_OCFS_FMT3)
#define TGT_CDFE_SUPPORTED	(TGT_OCFS & (COPYOFF_NVME_OCFS_FMT2 | \
					     COPYOFF_NVME_OCFS_FMT3))

/* Exported by nvmet with this prototype on 6.1 and 6.12 (btf-protos). */
bool nvmet_check_transfer_len(struct nvmet_req *req, size_t len);

struct dentry;

/* main.c */
bool tgt_ns_usable(struct nvmet_ns *ns);
void tgt_ns_limits(struct nvmet_ns *ns, struct tgt_limits *lim);

/* hbs.c */
u16 tgt_hbs_cdfe(void *ctrl);
void tgt_hbs_ctrl_free(void *ref);
void tgt_hbs_init(struct dentry *dir);
void tgt_hbs_set(struct nvmet_req *req);
void tgt_hbs_get(struct nvmet_req *req);
void tgt_hbs_exit(void);

/* copy.c */
void tgt_copy_execute(struct nvmet_req *req);
int tgt_copy_init(struct dentry *dir);
void tgt_copy_exit(void);
#endif /* COPYOFF_NVMET_PRIV_H */
