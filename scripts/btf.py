#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# btf.py [--base BASE] FILE QUERY...
#
# A reader of the kernel's BTF (Documentation/bpf/btf.rst: a header, a type
# section and a string section), for scripts/btf-layout.sh.  FILE is raw BTF
# (/sys/kernel/btf/<name>, objcopy --dump-section .BTF=...) or an ELF file
# with a .BTF section (a vmlinux, a module).  With --base, FILE is split BTF
# on top of BASE (a module's .BTF over vmlinux's): its type ids continue after
# the base's last one, and its string offsets after the base's string section.
#
# Each QUERY prints one line, its fields separated by tabs:
#   struct=NAME  S NAME SIZE, then M NAME FIELD OFFSET SIZE TYPE for each
#                member (those of anonymous struct and union members too, at
#                their offset in NAME), and B NAME FIELD for a bitfield,
#                which has no byte offset; or S NAME - when there is none
#   enum=NAME    E NAME CONSTANT VALUE for each constant of enum NAME; or
#                E NAME -
#   func=NAME    F NAME PROTOTYPE: "RETURN (PARAM, ...)" of a BTF FUNC; or
#                F NAME -
# Named types are looked up in FILE's own types first, then in BASE's.  TYPE
# is C-ish text: typedef names as written, "struct X *", "enum X", "u8[16]",
# "struct stripe[]", "void (*)(struct nvmet_req *)"; SIZE is in bytes.
# Exit status 0, or 2 for a file that is not BTF.

import mmap
import struct
import sys

BTF_MAGIC = 0xeb9f
KINDS = ("void", "int", "ptr", "array", "struct", "union", "enum", "fwd",
         "typedef", "volatile", "const", "restrict", "func", "func_proto",
         "var", "datasec", "float", "decl_tag", "type_tag", "enum64")
PTR_SIZE = 8


class BtfError(Exception):
    pass


def elf_section(data, want):
    """The bytes of section @want of a little-endian ELF64 file, or None."""
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        return None
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3a)

    def shdr(i):
        return struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize)
    names = shdr(shstrndx)
    for i in range(shnum):
        sh = shdr(i)
        end = data.find(b"\0", names[4] + sh[0])
        if data[names[4] + sh[0]:end].decode() == want:
            return data[sh[4]:sh[4] + sh[5]]
    return None


def btf_bytes(path):
    with open(path, "rb") as f:
        if f.read(4) != b"\x7fELF":
            f.seek(0)
            return f.read()
        # An ELF file (a vmlinux with DWARF is large): only its .BTF is read.
        with mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as data:
            sec = elf_section(data, ".BTF")
            if sec is None:
                raise BtfError("%s: no .BTF section" % path)
            return bytes(sec)


class Type:
    __slots__ = ("kind", "name", "vlen", "kflag", "st", "extra")


class Btf:
    """All the types of a BTF, with those of its base first (ids 1..n)."""

    def __init__(self, data, base=None):
        if len(data) < 24:
            raise BtfError("too short for a BTF header")
        magic, version, flags, hdr_len = struct.unpack_from("<HBBI", data, 0)
        if magic != BTF_MAGIC:
            raise BtfError("not BTF (magic 0x%04x)" % magic)
        type_off, type_len, str_off, str_len = struct.unpack_from("<IIII",
                                                                  data, 8)
        strs = data[hdr_len + str_off:hdr_len + str_off + str_len]
        if len(strs) != str_len:
            raise BtfError("string section out of the file")
        self.types = base.types if base else [None]
        self.nbase = len(self.types)
        self.strs = base.strs + strs if base else strs
        self.types = list(self.types)
        self._parse(data[hdr_len + type_off:hdr_len + type_off + type_len])
        self.by_name = {}
        for tid in range(len(self.types) - 1, 0, -1):
            t = self.types[tid]
            if t.name:
                self.by_name.setdefault((t.kind, t.name), []).insert(0, tid)

    def _str(self, off):
        end = self.strs.find(b"\0", off)
        if off >= len(self.strs) or end < 0:
            raise BtfError("string offset %d out of range" % off)
        return self.strs[off:end].decode()

    def _parse(self, sec):
        pos = 0
        while pos < len(sec):
            name_off, info, st = struct.unpack_from("<III", sec, pos)
            pos += 12
            t = Type()
            kind = (info >> 24) & 0x1f
            if kind >= len(KINDS):
                raise BtfError("unknown BTF kind %d" % kind)
            t.kind = KINDS[kind]
            t.vlen = info & 0xffff
            t.kflag = bool(info >> 31)
            t.name = self._str(name_off)
            t.st = st
            t.extra = None
            k = t.kind
            if k in ("int", "var", "decl_tag"):
                t.extra, = struct.unpack_from("<I", sec, pos)
                pos += 4
            elif k == "array":
                t.extra = struct.unpack_from("<III", sec, pos)
                pos += 12
            elif k in ("struct", "union"):
                t.extra = []
                for _ in range(t.vlen):
                    n, ty, off = struct.unpack_from("<III", sec, pos)
                    pos += 12
                    t.extra.append((self._str(n), ty, off))
            elif k == "enum":
                t.extra = []
                for _ in range(t.vlen):
                    n, v = struct.unpack_from("<Ii", sec, pos)
                    pos += 8
                    if not t.kflag and v < 0:
                        v &= 0xffffffff
                    t.extra.append((self._str(n), v))
            elif k == "enum64":
                t.extra = []
                for _ in range(t.vlen):
                    n, lo, hi = struct.unpack_from("<III", sec, pos)
                    pos += 12
                    v = hi << 32 | lo
                    if t.kflag and v >= 1 << 63:
                        v -= 1 << 64
                    t.extra.append((self._str(n), v))
            elif k == "func_proto":
                t.extra = []
                for _ in range(t.vlen):
                    n, ty = struct.unpack_from("<II", sec, pos)
                    pos += 8
                    t.extra.append((self._str(n), ty))
            elif k == "datasec":
                pos += 12 * t.vlen
            self.types.append(t)
        if pos != len(sec):
            raise BtfError("type section ends inside a type")

    def type(self, tid):
        if tid >= len(self.types):
            raise BtfError("type id %d out of range" % tid)
        return self.types[tid]

    def find(self, kinds, name):
        """The id of a named type of one of @kinds: the split's own first."""
        ids = []
        for k in kinds:
            ids += self.by_name.get((k, name), [])
        own = [i for i in ids if i >= self.nbase]
        ids = sorted(own) + sorted(i for i in ids if i < self.nbase)
        return ids[0] if ids else None

    def skip_mods(self, tid):
        while tid and self.type(tid).kind in ("typedef", "volatile", "const",
                                              "restrict", "type_tag"):
            tid = self.type(tid).st
        return tid

    def size(self, tid):
        """The size in bytes of type @tid, or None (void, functions)."""
        tid = self.skip_mods(tid)
        if not tid:
            return None
        t = self.type(tid)
        if t.kind == "ptr":
            return PTR_SIZE
        if t.kind == "array":
            elem = self.size(t.extra[0])
            return None if elem is None else elem * t.extra[2]
        if t.kind in ("int", "struct", "union", "enum", "enum64", "float"):
            return t.st
        return None

    def render(self, tid, inner=""):
        """C text of type @tid around declarator @inner ("" for the type)."""
        def join(base, inner):
            if not inner:
                return base
            if inner[0] == "[":
                return base + inner
            return base + " " + inner

        if not tid:
            return join("void", inner)
        t = self.type(tid)
        k = t.kind
        if k in ("struct", "union"):
            return join("%s %s" % (k, t.name or "{...}"), inner)
        if k in ("enum", "enum64"):
            return join("enum %s" % (t.name or "{...}"), inner)
        if k == "fwd":
            return join("%s %s" % ("union" if t.kflag else "struct", t.name),
                        inner)
        if k in ("int", "float", "typedef"):
            return join(t.name, inner)
        if k == "ptr":
            target = self.type(t.st).kind if t.st else "void"
            if target in ("array", "func_proto"):
                return self.render(t.st, "(*" + inner + ")")
            return self.render(t.st, "*" + inner)
        if k in ("const", "volatile", "restrict"):
            if t.st and self.type(t.st).kind == "ptr":
                return self.render(t.st, k + (inner and " " + inner))
            return "%s %s" % (k, self.render(t.st, inner))
        if k == "type_tag":
            return self.render(t.st, inner)
        if k == "array":
            n = t.extra[2]
            return self.render(t.extra[0], inner + ("[%d]" % n if n else "[]"))
        if k == "func_proto":
            return self.render(t.st, inner + "(" + self.params(t) + ")")
        raise BtfError("type id %d (%s) is not a C type" % (tid, k))

    def params(self, proto):
        ps = []
        for _, ty in proto.extra:
            ps.append("..." if ty == 0 else self.render(ty))
        return ", ".join(ps) or "void"

    def members(self, tid, base=0):
        """(name, byte offset or None for a bitfield, type id) of struct or
        union @tid, with those of its anonymous members."""
        t = self.type(tid)
        for name, ty, off in t.extra:
            bits = off
            if t.kflag:
                bits = off & 0xffffff
                if off >> 24:
                    yield name, None, ty
                    continue
            inner = self.skip_mods(ty)
            it = self.type(inner) if inner else None
            if it and it.kind == "int" and \
               ((it.extra >> 16) & 0xff or (it.extra & 0xff) != 8 * it.st):
                yield name, None, ty
                continue
            if bits % 8:
                yield name, None, ty
                continue
            if not name and it and it.kind in ("struct", "union"):
                yield from self.members(inner, base + bits // 8)
                continue
            yield name, base + bits // 8, ty

    def query(self, q):
        what, _, name = q.partition("=")
        if what == "struct":
            tid = self.find(("struct", "union"), name)
            if tid is None:
                return ["S\t%s\t-" % name]
            out = ["S\t%s\t%d" % (name, self.type(tid).st)]
            for field, off, ty in self.members(tid):
                if off is None:
                    out.append("B\t%s\t%s" % (name, field))
                    continue
                size = self.size(ty)
                out.append("M\t%s\t%s\t%d\t%s\t%s" % (
                    name, field, off, "-" if size is None else size,
                    self.render(ty)))
            return out
        if what == "enum":
            tid = self.find(("enum", "enum64"), name)
            if tid is None:
                return ["E\t%s\t-" % name]
            return ["E\t%s\t%s\t%d" % (name, n, v)
                    for n, v in self.type(tid).extra] or ["E\t%s\t-" % name]
        if what == "func":
            tid = self.find(("func",), name)
            if tid is None:
                return ["F\t%s\t-" % name]
            proto = self.type(self.type(tid).st)
            return ["F\t%s\t%s (%s)" % (name, self.render(proto.st),
                                        self.params(proto))]
        raise BtfError("unknown query %r" % q)


def main(argv):
    base = None
    args = argv[1:]
    try:
        if len(args) >= 2 and args[0] == "--base":
            base = Btf(btf_bytes(args[1]))
            args = args[2:]
        if not args:
            sys.stderr.write("usage: btf.py [--base BASE] FILE QUERY...\n")
            return 2
        btf = Btf(btf_bytes(args[0]), base)
        for q in args[1:]:
            print("\n".join(btf.query(q)))
    except (BtfError, OSError, struct.error, UnicodeDecodeError) as e:
        sys.stderr.write("btf.py: %s\n" % e)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
