// SPDX-License-Identifier: GPL-2.0
/*
 * copyoff_core: is a loaded stock module the build copyoff was built against?
 *
 * copyoff_nvme and copyoff_nvmet read private structures of nvme-core and
 * nvmet at offsets that scripts/btf-layout.sh took from the BTF of the
 * module files installed for the target kernel.  With it, the build records
 * the CRC-32 and the length of each module's .BTF section.  A module's BTF
 * describes every structure it defines, member offsets included, so a build
 * whose BTF is byte for byte the recorded one has the recorded layouts; any
 * other build (a rebuilt or patched nvme-core, a kernel package update under
 * the same release) differs in its BTF, and its layouts are not trusted.
 *
 * The kernel keeps no .BTF section of a module after its init (struct
 * module's btf_data is cleared), only the copy it parsed, which it shows as
 * /sys/kernel/btf/<module>: the same bytes.  That file is read here as any
 * reader reads it, from the calling process (modprobe), a page at a time
 * into the CRC.  Not through kernel_read_file(): that is for the kernel's
 * own loads (firmware, modules, policies), and an LSM without a rule for an
 * unknown kind of read warns (IPE on 6.12).  Where it cannot be read (no
 * sysfs mounted in the caller's root), the build cannot be told and the
 * answer is "not verified".
 *
 * Prefix: copyoff_btf_ (exported, <copyoff/copyoff.h>).
 */
#define pr_fmt(fmt) "copyoff: " fmt

#include <linux/crc32.h>
#include <linux/fs.h>
#include <linux/slab.h>
#include "copyoff_core.h"

/* No module's BTF comes near this; a larger file is not the one recorded. */
#define COPYOFF_BTF_MAX	(16U << 20)

/* CRC-32 and length of the file at @path; an errno if it cannot be read. */
static int file_crc(const char *path, u32 *crc, size_t *len)
{
	struct file *f;
	loff_t pos = 0;
	ssize_t n;
	void *buf;

	buf = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	f = filp_open(path, O_RDONLY, 0);
	if (IS_ERR(f)) {
		kfree(buf);
		return PTR_ERR(f);
	}
	*crc = ~0U;
	while ((n = kernel_read(f, buf, PAGE_SIZE, &pos)) > 0) {
		*crc = crc32_le(*crc, buf, n);
		if (pos > COPYOFF_BTF_MAX) {
			n = -EFBIG;
			break;
		}
	}
	*crc ^= ~0U;
	*len = pos;
	filp_close(f, NULL);
	kfree(buf);
	return n < 0 ? n : 0;
}

/* Lines are prefixed with @who, the module that asks (copyoff_nvme: ...). */
int copyoff_btf_verify(const char *who, const char *module, u32 crc,
		       size_t len, const char *consequence)
{
	char path[MODULE_NAME_LEN + 16];
	size_t got_len;
	u32 got;
	int ret;

	snprintf(path, sizeof(path), "/sys/kernel/btf/%s", module);
	ret = file_crc(path, &got, &got_len);
	if (ret) {
		pr_warn("%s: cannot read the BTF of the loaded %s (%s: %d), so cannot tell whether it is the build copyoff was built against; %s\n",
			who, module, path, ret, consequence);
		return ret;
	}
	if (got != crc || got_len != len) {
		pr_warn("%s: %s is not the build copyoff was built against: BTF crc %#010x len %zu, expected %#010x len %zu; %s\n",
			who, module, got, got_len, crc, len, consequence);
		return -ESTALE;
	}
	pr_info("%s: %s is the build copyoff was built against (BTF crc %#010x len %zu)\n",
		who, module, crc, len);
	return 0;
}
EXPORT_SYMBOL_GPL(copyoff_btf_verify);
