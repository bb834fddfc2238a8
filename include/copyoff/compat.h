/* SPDX-License-Identifier: GPL-2.0 */
/*
 * copyoff compatibility layer: the one place that knows kernel API
 * differences.
 *
 * Every HAVE_* symbol comes from copyoff_config.h, generated at build time by
 * scripts/conftest.sh from the compile tests in scripts/probes/ (each names the
 * kernel change it covers).  Module code calls the wrappers below and never
 * tests a kernel version.
 */
#ifndef COPYOFF_COMPAT_H
#define COPYOFF_COMPAT_H

#include <copyoff_config.h>
#include <linux/blkdev.h>
#include <linux/fs.h>
#include <linux/err.h>

#ifdef HAVE_LINUX_UNALIGNED_H
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

/* The highest order the page allocator hands out. */
#include <linux/mmzone.h>
#ifdef HAVE_MAX_PAGE_ORDER
#define COMPAT_MAX_PAGE_ORDER	MAX_PAGE_ORDER
#else
#define COMPAT_MAX_PAGE_ORDER	(MAX_ORDER - 1)
#endif

/*
 * A block device opened by kernel code, by path.  Since 6.9 the kernel hands
 * out a struct file; before 6.5 a block_device plus the fmode_t it was opened
 * with, which blkdev_put() needs back.
 */
struct compat_bdev_handle {
	struct block_device *bdev;
#if defined(HAVE_BDEV_FILE_OPEN_BY_PATH)
	struct file *file;
#elif defined(HAVE_BLKDEV_GET_BY_PATH_FMODE)
	fmode_t mode;
#endif
};

#if defined(HAVE_BDEV_FILE_OPEN_BY_PATH)
static inline int compat_bdev_open_by_path(const char *path, bool write,
					   struct compat_bdev_handle *h)
{
	blk_mode_t mode = BLK_OPEN_READ | (write ? BLK_OPEN_WRITE : 0);
	struct file *f = bdev_file_open_by_path(path, mode, NULL, NULL);

	if (IS_ERR(f))
		return PTR_ERR(f);
	h->file = f;
	h->bdev = file_bdev(f);
	return 0;
}

static inline int compat_bdev_open_by_devt(dev_t devt,
					   struct compat_bdev_handle *h)
{
	struct file *f = bdev_file_open_by_dev(devt, BLK_OPEN_READ, NULL, NULL);

	if (IS_ERR(f))
		return PTR_ERR(f);
	h->file = f;
	h->bdev = file_bdev(f);
	return 0;
}

static inline void compat_bdev_close(struct compat_bdev_handle *h)
{
	fput(h->file);
	h->file = NULL;
	h->bdev = NULL;
}
#elif defined(HAVE_BLKDEV_GET_BY_PATH_FMODE)
static inline int compat_bdev_open_by_path(const char *path, bool write,
					   struct compat_bdev_handle *h)
{
	fmode_t mode = FMODE_READ | (write ? FMODE_WRITE : 0);
	struct block_device *bdev = blkdev_get_by_path(path, mode, NULL);

	if (IS_ERR(bdev))
		return PTR_ERR(bdev);
	h->bdev = bdev;
	h->mode = mode;
	return 0;
}

static inline int compat_bdev_open_by_devt(dev_t devt,
					   struct compat_bdev_handle *h)
{
	struct block_device *bdev = blkdev_get_by_dev(devt, FMODE_READ, NULL);

	if (IS_ERR(bdev))
		return PTR_ERR(bdev);
	h->bdev = bdev;
	h->mode = FMODE_READ;
	return 0;
}

static inline void compat_bdev_close(struct compat_bdev_handle *h)
{
	blkdev_put(h->bdev, h->mode);
	h->bdev = NULL;
}
#else
#error "copyoff: this kernel has no known way to open a block device by path (see scripts/probes/)"
#endif

/* The page cache of a block device. */
static inline struct address_space *compat_bdev_mapping(struct block_device *bdev)
{
#ifdef HAVE_BDEV_BD_MAPPING
	return bdev->bd_mapping;
#else
	return bdev->bd_inode->i_mapping;
#endif
}

/*
 * A gendisk that is never added, only used to learn the block class: returns
 * NULL on failure on every kernel.
 */
static inline struct gendisk *compat_blk_alloc_disk(void)
{
#ifdef HAVE_BLK_ALLOC_DISK_LIMITS
	struct gendisk *disk = blk_alloc_disk(NULL, NUMA_NO_NODE);

	return IS_ERR(disk) ? NULL : disk;
#else
	return blk_alloc_disk(NUMA_NO_NODE);
#endif
}

/*
 * Call a block driver's own ioctl handler (as blkdev_ioctl would, for an
 * ioctl the block layer does not handle itself), with the device open for
 * reading and writing.
 */
static inline int compat_bdev_driver_ioctl(struct block_device *bdev,
					   unsigned int cmd, unsigned long arg)
{
#ifdef HAVE_BLK_MODE_T
	blk_mode_t mode = BLK_OPEN_READ | BLK_OPEN_WRITE;
#else
	fmode_t mode = FMODE_READ | FMODE_WRITE;
#endif
	const struct block_device_operations *fops = bdev->bd_disk->fops;

	if (!fops->ioctl)
		return -ENOTTY;
	return fops->ioctl(bdev, mode, cmd, arg);
}

#ifdef HAVE_CONST_CLASS
typedef const struct class compat_class_t;
#else
typedef struct class compat_class_t;
#endif

/*
 * class_interface callbacks: declare them with COMPAT_CLASS_INTF_ADD(name) and
 * COMPAT_CLASS_INTF_REMOVE(name), each taking "struct device *dev".
 */
#ifdef HAVE_CLASS_INTERFACE_NO_INTF_ARG
#define COMPAT_CLASS_INTF_ADD(fn)	int fn(struct device *dev)
#define COMPAT_CLASS_INTF_REMOVE(fn)	void fn(struct device *dev)
#else
#define COMPAT_CLASS_INTF_ADD(fn) \
	int fn(struct device *dev, struct class_interface *intf __maybe_unused)
#define COMPAT_CLASS_INTF_REMOVE(fn) \
	void fn(struct device *dev, struct class_interface *intf __maybe_unused)
#endif

#endif /* COPYOFF_COMPAT_H */
