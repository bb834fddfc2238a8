#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# btf-layout.sh KDIR OUTPUT
#
# Private structure layouts of stock modules, read at build time from the
# BTF the target kernel ships (CONFIG_DEBUG_INFO_BTF_MODULES), for the few
# places where copyoff must read a driver's private per-request data, and
# the prototypes of the stock functions the modules call or hook by name.  The
# base BTF is /sys/kernel/btf/vmlinux for the running kernel, or the vmlinux
# extracted from /boot/vmlinuz-<release> otherwise.  OUTPUT (copyoff_btf.h)
# gets HAVE_BTF_<STRUCT> and COPYOFF_BTF_<STRUCT>_<FIELD>_OFF for each layout
# found; when something is missing it says why in a comment and defines
# nothing, and the modules fall back to what needs no private layout.
# COPYOFF_MODROOT: a root holding lib/modules/<release> of a kernel that is
# not installed (make check-debug); KDIR's vmlinux is then the base BTF.
#
# Layouts:
#   nvme-core struct nvme_request: result (union nvme_result, completion
#   dword 0) and status (u16), the driver's per-request data that
#   blk_mq_rq_to_pdu() points at.  Used by copyoff_nvme for completion
#   dword 0 of a failed Copy.  -> HAVE_BTF_NVME_REQUEST
#   nvme-core struct nvme_ns (ctrl, disk, ana_state, siblings), struct
#   nvme_ns_head (list, srcu) and struct nvme_ctrl (state, admin_q, device),
#   with the value of NVME_CTRL_LIVE: used by copyoff_nvme to pick a live,
#   ANA-optimized path of a multipath namespace the way nvme-core's own path
#   selection walks it (under the head's SRCU), and to send Identify on the
#   controller's admin queue with a kernel buffer.  -> HAVE_BTF_NVME_PATH
#   nvmet struct nvmet_req (cmd, cqe, sq, ns, sg, sg_cnt, transfer_len, execute,
#   error_loc, port), struct nvmet_ns (bdev, file, readonly, blksize_shift,
#   size, csi, ref, nsid, anagrpid, subsys, pi_type, metadata_size), struct
#   nvmet_sq (ctrl, qid), struct nvmet_ctrl (subsys, ref), struct
#   nvmet_subsys (type: discovery or NVM; namespaces, the xarray nvmet looks
#   namespaces up in), struct nvmet_port (ana_state) and, where the target has
#   passthrough, struct nvmet_subsys (passthru_ctrl).  Used by
#   copyoff_nvmet, which is not built without them.  -> HAVE_BTF_NVMET
#   (and HAVE_BTF_NVMET_PASSTHRU)
#   loop struct loop_device (lo_offset, lo_sizelimit, lo_flags,
#   lo_backing_file, lo_mutex; its state values are an anonymous enum that
#   BTF does not carry, so "bound" is "a backing file under lo_mutex"): used by
#   copyoff_cfr's loop provider, which copies on a loop device by copying its
#   backing file, and is left out without them.  -> HAVE_BTF_LOOP
#   dm-mod struct mapped_device (map, io_barrier, and pending_io and wait:
#   the per-CPU count of bios in flight a suspend waits for, since 5.18),
#   struct dm_table (type,
#   num_targets, targets), the value of DM_TYPE_BIO_BASED, and the private
#   contexts of the stock linear and striped targets (struct linear_c: dev,
#   start; struct stripe_c: stripes, chunk_size, stripe[], with struct
#   stripe: dev, physical_start, and its size), with the size of struct
#   dm_target, which the modules compare with the public header's: used by
#   copyoff_dmstock to remap a copy through a stock dm-linear or dm-striped
#   table.  -> HAVE_BTF_DM
#   dm-thin-pool struct pool_c (data_dev): the thin-pool target maps every
#   bio 1:1 to its data device; copyoff_dmstock remaps through it (dm-thin's
#   own copies, which dm-kcopyd does on the pool device), checked against the
#   loaded dm-thin-pool by its own .BTF identity.  -> HAVE_BTF_DM_THIN
# How they are read: scripts/btf.py, a reader of the raw BTF format, takes
# the module's .BTF section (objcopy) as split BTF on top of the base BTF and
# prints each member's byte offset, size and type as C text (bitfields have
# no offset and are never matched), structure sizes, enum constants and
# function prototypes.  Each field is matched by name and whole type text
# ("struct nvme_ctrl *", "void (*)(struct nvmet_req *)"), so a renamed or
# retyped field is reported as missing rather than read at a wrong offset;
# the layouts of a group are defined whole or not at all.  Each field gives
# COPYOFF_BTF_<STRUCT>_<FIELD>_OFF and _SIZE: wherever a module reads it, it
# compares _SIZE with sizeof() of the C type it reads it as (TGT_AT, DS_AT,
# LO_FIELD, static_assert), so a member whose size changed stops the build.
# Prototypes: scripts/btf-protos lists each stock function a module
# redeclares (its header is private) or hooks by name, with the prototype
# the module was written for (alternatives selected by the compat probes of
# copyoff_config.h); each is compared with the BTF FUNC of the module, or
# vmlinux, that defines it.  A mismatch is noted "prototype mismatch: MODULE:
# FUNCTION: expected ..., found ..." and Kbuild does not build MODULE, saying
# so; a function with no FUNC to compare with is noted as not checked.
# COPYOFF_BTF_PROTOS: another table (host-checks.sh's mutation).
# Identity: with the layouts of a module, COPYOFF_BTF_<MODULE>_CRC and _LEN
# (NVME_CORE, NVMET), the CRC-32 and length of its .BTF section.  The
# modules compare them at load with /sys/kernel/btf/<module> of the module
# loaded (copyoff_btf_verify()) and use no layout of another build.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
kdir=${1:?usage: btf-layout.sh KDIR OUTPUT}
out=${2:?usage: btf-layout.sh KDIR OUTPUT}
release=$(cat "$kdir/include/config/kernel.release" 2>/dev/null)
# Debian's headers say 6.1.176 where the package says 6.1.0-50-amd64: find
# the module tree whose build link is this KDIR.
modroot=${COPYOFF_MODROOT:-}
modroot=${modroot%/}
kver=
for d in "$modroot"/lib/modules/*/; do
	[ "$(readlink -f "$d/build")" = "$(readlink -f "$kdir")" ] && kver=$(basename "$d")
done
# The key: this script, btf.py, the prototype table and the compat probes'
# answers, and the module files the layouts come from (a kernel package
# update that rebuilds nvme-core or nvmet under the same release).
protos=${COPYOFF_BTF_PROTOS:-$here/btf-protos}
config_h=$(dirname "$out")/copyoff_config.h
srcs=$( { cat "$0" "$here/btf.py" "$protos" "$config_h" 2> /dev/null; [ -n "$kver" ] && find "$modroot/lib/modules/$kver/kernel" \
	\( -name 'nvme-core.ko*' -o -name 'nvmet.ko*' -o -name 'loop.ko*' -o -name 'dm-mod.ko*' \
	   -o -name 'dm-thin-pool.ko*' \) -exec cat {} + 2>/dev/null; } |
	md5sum | cut -d' ' -f1)
key="btf ${kver:-none} $srcs"
[ "${COPYOFF_NO_BTF:-0}" = 1 ] && key="$key nobtf"
if [ -f "$out" ] && grep -qxF "/* $key */" "$out"; then
	exit 0
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/copyoff-btf.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$(dirname "$out")"
tmp="$out.tmp.$$"
why=

emit_none() {
	{
		echo "/* SPDX-License-Identifier: GPL-2.0 */"
		echo "/* Generated by scripts/btf-layout.sh for ${kver:-$release}: do not edit. */"
		echo "/* $key */"
		echo "/* no private layouts: $why */"
	} > "$tmp"
	mv "$tmp" "$out"
	echo "btf-layout: ${kver:-$release}: none ($why)"
	exit 0
}

[ "${COPYOFF_NO_BTF:-0}" = 1 ] && { why="COPYOFF_NO_BTF=1"; emit_none; }
command -v python3 > /dev/null || { why="python3 not installed"; emit_none; }
[ -n "$kver" ] || { why="no /lib/modules/<release> for $kdir"; emit_none; }

# Base BTF.
base=
if [ "$kver" = "$(uname -r)" ] && [ -r /sys/kernel/btf/vmlinux ]; then
	base=/sys/kernel/btf/vmlinux
elif [ -n "$modroot" ] && [ -r "$kdir/vmlinux" ]; then
	base=$kdir/vmlinux
elif [ -r "/boot/vmlinuz-$kver" ]; then
	python3 - "/boot/vmlinuz-$kver" "$work/vmlinux" <<'PY' || true
import subprocess, sys
data = open(sys.argv[1], "rb").read()
for magic, tool in ((b"\xfd7zXZ\x00", ["xz", "-dc"]), (b"\x28\xb5\x2f\xfd", ["zstd", "-dc"]),
                    (b"\x1f\x8b\x08", ["gzip", "-dc"])):
    off = data.find(magic)
    while off >= 0:
        try:
            p = subprocess.run(tool, input=data[off:], capture_output=True)
        except FileNotFoundError:
            break
        if p.stdout[:4] == b"\x7fELF":
            open(sys.argv[2], "wb").write(p.stdout)
            sys.exit(0)
        off = data.find(magic, off + 1)
sys.exit(1)
PY
	[ -s "$work/vmlinux" ] && base=$work/vmlinux
fi
[ -n "$base" ] || { why="no vmlinux BTF for $kver"; emit_none; }

# unpack MODULE-NAME DEST: the module file of the target kernel, uncompressed.
unpack() {
	local f
	f=$(find "$modroot/lib/modules/$kver/kernel" -name "$1.ko*" 2>/dev/null | head -n 1)
	[ -n "$f" ] || return 1
	case "$f" in
	*.xz) xz -dc "$f" > "$2" ;;
	*.zst) zstd -dcq "$f" > "$2" ;;
	*.gz) gzip -dc "$f" > "$2" ;;
	*) cp "$f" "$2" ;;
	esac
}

# identity MODULE-FILE MACRO: define COPYOFF_BTF_<MACRO>_CRC and _LEN, the
# CRC-32 (zlib's, the kernel's crc32_le() with ~0 in and out) and the length
# of the module's .BTF section: the bytes the kernel shows in
# /sys/kernel/btf/<module> while that build is loaded, which the modules
# compare at load time before they use a layout of it.  Fails (defining
# nothing) when the section cannot be read.
identity() {
	local len crc
	rm -f "$work/btf.bin"
	objcopy --dump-section .BTF="$work/btf.bin" "$1" "$work/btf.o" 2> /dev/null || return 1
	len=$(stat -c %s "$work/btf.bin" 2> /dev/null)
	[ "${len:-0}" -gt 0 ] || return 1
	crc=$(gzip -c < "$work/btf.bin" | tail -c 8 | od -An -tx4 -N4 --endian=little | tr -d ' ')
	[ ${#crc} = 8 ] || return 1
	defs+=("#define COPYOFF_BTF_$2_CRC 0x${crc}U" "#define COPYOFF_BTF_$2_LEN $len")
	notes+=("$3 .BTF crc32 0x$crc len $len")
}

# btf_read MODULE-NAME QUERY...: scripts/btf.py's answers to the QUERYs
# (struct=NAME, enum=NAME, func=NAME) on the unpacked module's BTF over the
# base, into $work/MODULE-NAME.btf, read by layout, const and proto below.
btf_read() {
	local m=$1
	shift
	python3 "$here/btf.py" --base "$base" "$work/$m.ko" "$@" \
		> "$work/$m.btf" 2> "$work/$m.err" || : > "$work/$m.btf"
}

# layout MODULE-NAME STRUCT: STRUCT's lines (S: its size, M: its members)
layout() {
	awk -F '\t' -v s="$2" '($1 == "S" || $1 == "M") && $2 == s' "$work/$1.btf"
}

# const MODULE-NAME ENUM NAME -> the value of constant NAME of enum ENUM
const() {
	awk -F '\t' -v e="$2" -v n="$3" \
		'$1 == "E" && $2 == e && $3 == n { print $4; exit }' "$work/$1.btf"
}

# field STRUCT-LAYOUT TYPE NAME -> byte offset of member NAME of type TYPE
# (btf.py's C text, compared whole), or nothing
field() {
	echo "$1" | awk -F '\t' -v t="$2" -v n="$3" \
		'$1 == "M" && $3 == n && $6 == t { print $4; exit }'
}

# field_size STRUCT-LAYOUT TYPE NAME -> the member's size in bytes
field_size() {
	echo "$1" | awk -F '\t' -v t="$2" -v n="$3" \
		'$1 == "M" && $3 == n && $6 == t && $5 != "-" { print $5; exit }'
}

# size_of STRUCT-LAYOUT -> the structure's size in bytes
size_of() {
	echo "$1" | awk -F '\t' '$1 == "S" && $3 != "-" { print $3; exit }'
}

# One group of layouts (the nvme paths, nvmet) is defined whole or not at all:
# group_start, then group_field for each field; group_defs holds the
# definitions, group_missing the macros of the fields not found.
group_start() {
	group_defs=()
	group_missing=
}

# group_field MACRO LAYOUT TYPE NAME: COPYOFF_BTF_<MACRO>_OFF and _SIZE, the
# member's offset and size in bytes (each use in the modules compares the
# size with sizeof() of the type it reads the member as, at build time)
group_field() {
	local off size
	off=$(field "$2" "$3" "$4")
	size=$(field_size "$2" "$3" "$4")
	if [ -n "$off" ] && [ -n "$size" ]; then
		group_defs+=("#define COPYOFF_BTF_$1_OFF $off"
			     "#define COPYOFF_BTF_$1_SIZE $size")
	else
		group_missing="$group_missing $1"
	fi
}

# module_layouts MODULE MACRO WHAT: unpack MODULE and record its identity
# (MACRO); 0 when both worked, else the reason in the notes ("no WHAT
# layouts: ...") and 1.
module_layouts() {
	if ! unpack "$1" "$work/$1.ko"; then
		notes+=("no $3 layouts: no $1 module")
		return 1
	fi
	if ! identity "$work/$1.ko" "$2" "$1"; then
		notes+=("no $3 layouts: no .BTF section read from $1 (objcopy)")
		return 1
	fi
}

# group_end HAVE WHAT MODULE NOTE [DEFINE...]: the group's definitions with
# HAVE and the extra DEFINEs, and NOTE; or which fields MODULE's BTF lacks
group_end() {
	local have=$1 what=$2 mod=$3 note=$4
	shift 4
	if [ -z "$group_missing" ]; then
		defs+=("#define $have 1" "${group_defs[@]}" "$@")
		notes+=("$note")
	else
		notes+=("no $what layouts: not found in $mod BTF:$group_missing")
	fi
}

defs=()
notes=()

# nvme-core: struct nvme_request
if unpack nvme-core "$work/nvme-core.ko" && ! identity "$work/nvme-core.ko" NVME_CORE nvme-core; then
	notes+=("no nvme-core layouts: no .BTF section read from nvme-core (objcopy)")
elif [ -f "$work/nvme-core.ko" ]; then
	btf_read nvme-core struct=nvme_request struct=nvme_ns struct=nvme_ns_head \
		struct=nvme_ctrl enum=nvme_ctrl_state
	l=$(layout nvme-core nvme_request)
	result=$(field "$l" 'union nvme_result' result)
	status=$(field "$l" 'u16' status)
	result_size=$(field_size "$l" 'union nvme_result' result)
	status_size=$(field_size "$l" 'u16' status)
	if [ -n "$result" ] && [ -n "$status" ] && [ -n "$result_size" ] &&
	   [ -n "$status_size" ]; then
		defs+=("#define HAVE_BTF_NVME_REQUEST 1"
		       "#define COPYOFF_BTF_NVME_REQUEST_RESULT_OFF $result"
		       "#define COPYOFF_BTF_NVME_REQUEST_RESULT_SIZE $result_size"
		       "#define COPYOFF_BTF_NVME_REQUEST_STATUS_OFF $status"
		       "#define COPYOFF_BTF_NVME_REQUEST_STATUS_SIZE $status_size")
		notes+=("nvme_request result@$result status@$status")
	else
		notes+=("no nvme_request: struct nvme_request not found in nvme-core BTF")
	fi
	# struct nvme_ns, nvme_ns_head, nvme_ctrl: paths and the admin queue
	group_start
	ns=$(layout nvme-core nvme_ns)
	head=$(layout nvme-core nvme_ns_head)
	ctrl=$(layout nvme-core nvme_ctrl)
	group_field NVME_NS_CTRL "$ns" 'struct nvme_ctrl *' ctrl
	group_field NVME_NS_DISK "$ns" 'struct gendisk *' disk
	group_field NVME_NS_ANA_STATE "$ns" 'enum nvme_ana_state' ana_state
	group_field NVME_NS_SIBLINGS "$ns" 'struct list_head' siblings
	group_field NVME_NS_HEAD_LIST "$head" 'struct list_head' list
	group_field NVME_NS_HEAD_SRCU "$head" 'struct srcu_struct' srcu
	group_field NVME_CTRL_STATE "$ctrl" 'enum nvme_ctrl_state' state
	group_field NVME_CTRL_ADMIN_Q "$ctrl" 'struct request_queue *' admin_q
	group_field NVME_CTRL_DEVICE "$ctrl" 'struct device *' device
	live=$(const nvme-core nvme_ctrl_state NVME_CTRL_LIVE)
	[ -n "$live" ] || group_missing="$group_missing NVME_CTRL_LIVE"
	if [ -z "$group_missing" ]; then
		defs+=("#define HAVE_BTF_NVME_PATH 1" "${group_defs[@]}"
		       "#define COPYOFF_BTF_NVME_CTRL_LIVE $live")
		notes+=("nvme paths (ns.ctrl@$(field "$ns" 'struct nvme_ctrl *' ctrl), ctrl.admin_q@$(field "$ctrl" 'struct request_queue *' admin_q))")
	else
		notes+=("no nvme path layouts: not found in nvme-core BTF:$group_missing")
	fi
else
	notes+=("no nvme_request: no nvme-core module")
fi

# nvmet: request, namespace, queue, controller, subsystem
if module_layouts nvmet NVMET nvmet; then
	btf_read nvmet struct=nvmet_req struct=nvmet_ns struct=nvmet_sq \
		struct=nvmet_ctrl struct=nvmet_subsys struct=nvmet_port
	group_start
	req=$(layout nvmet nvmet_req)
	ns=$(layout nvmet nvmet_ns)
	sq=$(layout nvmet nvmet_sq)
	ctrl=$(layout nvmet nvmet_ctrl)
	subsys=$(layout nvmet nvmet_subsys)
	port=$(layout nvmet nvmet_port)
	group_field NVMET_REQ_CMD "$req" 'struct nvme_command *' cmd
	group_field NVMET_REQ_CQE "$req" 'struct nvme_completion *' cqe
	group_field NVMET_REQ_SQ "$req" 'struct nvmet_sq *' sq
	group_field NVMET_REQ_NS "$req" 'struct nvmet_ns *' ns
	group_field NVMET_REQ_SG "$req" 'struct scatterlist *' sg
	group_field NVMET_REQ_SG_CNT "$req" 'int' sg_cnt
	group_field NVMET_REQ_TRANSFER_LEN "$req" 'size_t' transfer_len
	group_field NVMET_REQ_EXECUTE "$req" 'void (*)(struct nvmet_req *)' execute
	group_field NVMET_REQ_ERROR_LOC "$req" 'u16' error_loc
	group_field NVMET_REQ_PORT "$req" 'struct nvmet_port *' port
	group_field NVMET_NS_BDEV "$ns" 'struct block_device *' bdev
	group_field NVMET_NS_FILE "$ns" 'struct file *' file
	group_field NVMET_NS_READONLY "$ns" 'bool' readonly
	group_field NVMET_NS_BLKSIZE_SHIFT "$ns" 'u32' blksize_shift
	group_field NVMET_NS_SIZE "$ns" 'loff_t' size
	group_field NVMET_NS_CSI "$ns" 'u8' csi
	group_field NVMET_NS_REF "$ns" 'struct percpu_ref' ref
	group_field NVMET_NS_NSID "$ns" 'u32' nsid
	group_field NVMET_NS_ANAGRPID "$ns" 'u32' anagrpid
	group_field NVMET_NS_SUBSYS "$ns" 'struct nvmet_subsys *' subsys
	group_field NVMET_NS_PI_TYPE "$ns" 'int' pi_type
	group_field NVMET_NS_METADATA_SIZE "$ns" 'int' metadata_size
	group_field NVMET_SQ_CTRL "$sq" 'struct nvmet_ctrl *' ctrl
	group_field NVMET_SQ_QID "$sq" 'u16' qid
	group_field NVMET_CTRL_SUBSYS "$ctrl" 'struct nvmet_subsys *' subsys
	group_field NVMET_CTRL_REF "$ctrl" 'struct kref' ref
	group_field NVMET_SUBSYS_TYPE "$subsys" 'enum nvme_subsys_type' type
	group_field NVMET_SUBSYS_NAMESPACES "$subsys" 'struct xarray' namespaces
	group_field NVMET_PORT_ANA_STATE "$port" 'enum nvme_ana_state *' ana_state
	if [ -z "$group_missing" ]; then
		defs+=("#define HAVE_BTF_NVMET 1" "${group_defs[@]}")
		pt=$(field "$subsys" 'struct nvme_ctrl *' passthru_ctrl)
		ptsz=$(field_size "$subsys" 'struct nvme_ctrl *' passthru_ctrl)
		if [ -n "$pt" ] && [ -n "$ptsz" ]; then
			defs+=("#define HAVE_BTF_NVMET_PASSTHRU 1"
			       "#define COPYOFF_BTF_NVMET_SUBSYS_PASSTHRU_CTRL_OFF $pt"
			       "#define COPYOFF_BTF_NVMET_SUBSYS_PASSTHRU_CTRL_SIZE $ptsz")
		fi
		notes+=("nvmet layouts (ns.bdev@$(field "$ns" 'struct block_device *' bdev)${pt:+, passthru})")
	else
		notes+=("no nvmet layouts: not found in nvmet BTF:$group_missing")
	fi
fi

# loop: struct loop_device (loop.ko; built in elsewhere: no layouts)
if module_layouts loop LOOP loop; then
	btf_read loop struct=loop_device
	group_start
	lo=$(layout loop loop_device)
	group_field LOOP_OFFSET "$lo" 'loff_t' lo_offset
	group_field LOOP_SIZELIMIT "$lo" 'loff_t' lo_sizelimit
	group_field LOOP_FLAGS "$lo" 'int' lo_flags
	group_field LOOP_BACKING_FILE "$lo" 'struct file *' lo_backing_file
	group_field LOOP_MUTEX "$lo" 'struct mutex' lo_mutex
	group_end HAVE_BTF_LOOP loop loop \
		"loop layouts (lo_backing_file@$(field "$lo" 'struct file *' lo_backing_file))"
fi

# dm-mod: the live table of a mapped device and the stock linear and striped
# targets' contexts (dm-linear and dm-stripe are part of dm-mod).
if module_layouts dm-mod DM_MOD dm; then
	btf_read dm-mod struct=mapped_device struct=dm_table struct=dm_target \
		struct=linear_c struct=stripe_c struct=stripe enum=dm_queue_mode
	group_start
	md=$(layout dm-mod mapped_device)
	tbl=$(layout dm-mod dm_table)
	tgt=$(layout dm-mod dm_target)
	lc=$(layout dm-mod linear_c)
	sc=$(layout dm-mod stripe_c)
	st=$(layout dm-mod stripe)
	group_field DM_MD_MAP "$md" 'void *' map
	group_field DM_MD_IO_BARRIER "$md" 'struct srcu_struct' io_barrier
	group_field DM_MD_PENDING_IO "$md" 'long unsigned int *' pending_io
	group_field DM_MD_WAIT "$md" 'wait_queue_head_t' wait
	group_field DM_TABLE_TYPE "$tbl" 'enum dm_queue_mode' type
	group_field DM_TABLE_NUM_TARGETS "$tbl" 'unsigned int' num_targets
	group_field DM_TABLE_TARGETS "$tbl" 'struct dm_target *' targets
	group_field DM_LINEAR_DEV "$lc" 'struct dm_dev *' dev
	group_field DM_LINEAR_START "$lc" 'sector_t' start
	group_field DM_STRIPE_C_STRIPES "$sc" 'uint32_t' stripes
	group_field DM_STRIPE_C_CHUNK_SIZE "$sc" 'uint32_t' chunk_size
	group_field DM_STRIPE_C_STRIPE "$sc" 'struct stripe[]' stripe
	group_field DM_STRIPE_DEV "$st" 'struct dm_dev *' dev
	group_field DM_STRIPE_PHYSICAL_START "$st" 'sector_t' physical_start
	bio=$(const dm-mod dm_queue_mode DM_TYPE_BIO_BASED)
	[ -n "$bio" ] || group_missing="$group_missing DM_TYPE_BIO_BASED"
	stsz=$(size_of "$st")
	[ -n "$stsz" ] || group_missing="$group_missing DM_STRIPE_SIZE"
	tgsz=$(size_of "$tgt")
	[ -n "$tgsz" ] || group_missing="$group_missing DM_TARGET_SIZE"
	group_end HAVE_BTF_DM dm dm-mod "dm layouts (md.map@$(field "$md" 'void *' map), dm_target size $tgsz)" \
		"#define COPYOFF_BTF_DM_TYPE_BIO_BASED $bio" \
		"#define COPYOFF_BTF_DM_STRIPE_SIZE $stsz" \
		"#define COPYOFF_BTF_DM_TARGET_SIZE $tgsz"
fi

# dm-thin-pool: the pool target's context (its data device)
if module_layouts dm-thin-pool DM_THIN_POOL thin-pool; then
	btf_read dm-thin-pool struct=pool_c
	group_start
	pc=$(layout dm-thin-pool pool_c)
	group_field DM_POOL_C_DATA_DEV "$pc" 'struct dm_dev *' data_dev
	group_end HAVE_BTF_DM_THIN thin-pool dm-thin-pool \
		"thin-pool layouts (pool_c.data_dev@$(field "$pc" 'struct dm_dev *' data_dev))"
fi

# Prototypes (scripts/btf-protos): each function's expected prototype, the
# first line of it whose compat-probe condition holds, against the BTF FUNC
# of its provider.  A mismatch is noted as "prototype mismatch: MODULE: ...",
# and Kbuild then leaves MODULE out; a function that cannot be checked (no
# provider module, no FUNC in its BTF) is noted and does not stop the build.
# have_probe NAME: does copyoff_config.h define NAME?
have_probe() {
	grep -qx "#define $1 1" "$config_h" 2> /dev/null
}

declare -A proto_want proto_mod proto_prov
proto_order=()
while read -r mod prov fn cond want; do
	case "$mod" in ''|'#'*) continue ;; esac
	[ -n "${proto_want[$fn]+set}" ] && continue
	case "$cond" in
	-) ;;
	!*) have_probe "${cond#!}" && continue ;;
	*) have_probe "$cond" || continue ;;
	esac
	proto_want[$fn]=$want
	proto_mod[$fn]=$mod
	proto_prov[$fn]=$prov
	proto_order+=("$fn")
done < "$protos"

checked=0
for prov in $(printf '%s\n' "${proto_prov[@]}" | sort -u); do
	qs=()
	for fn in "${proto_order[@]}"; do
		[ "${proto_prov[$fn]}" = "$prov" ] && qs+=("func=$fn")
	done
	if [ "$prov" = vmlinux ]; then
		python3 "$here/btf.py" "$base" "${qs[@]}" > "$work/protos.btf" \
			2> /dev/null || : > "$work/protos.btf"
	elif [ -f "$work/$prov.ko" ] || unpack "$prov" "$work/$prov.ko"; then
		python3 "$here/btf.py" --base "$base" "$work/$prov.ko" "${qs[@]}" \
			> "$work/protos.btf" 2> /dev/null || : > "$work/protos.btf"
	else
		: > "$work/protos.btf"
	fi
	for fn in "${proto_order[@]}"; do
		[ "${proto_prov[$fn]}" = "$prov" ] || continue
		found=$(awk -F '\t' -v f="$fn" '$1 == "F" && $2 == f { print $3; exit }' \
			"$work/protos.btf")
		if [ -z "$found" ] || [ "$found" = - ]; then
			notes+=("prototype not checked: $fn: not in $prov BTF")
		elif [ "$found" != "${proto_want[$fn]}" ]; then
			notes+=("prototype mismatch: ${proto_mod[$fn]}: $fn: expected \"${proto_want[$fn]}\", found \"$found\" in $prov BTF")
		else
			checked=$((checked + 1))
		fi
	done
done
notes+=("prototypes: $checked of ${#proto_order[@]} as expected (scripts/btf-protos)")

{
	echo "/* SPDX-License-Identifier: GPL-2.0 */"
	echo "/* Generated by scripts/btf-layout.sh for $kver: do not edit. */"
	echo "/* $key */"
	for n in "${notes[@]}"; do echo "/* $n */"; done
	for d in "${defs[@]}"; do echo "$d"; done
} > "$tmp"
mv "$tmp" "$out"
echo "btf-layout: $kver: $(IFS=';'; echo "${notes[*]}")"
