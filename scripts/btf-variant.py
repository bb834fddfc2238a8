#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# btf-variant.py MODULE.ko[.xz|.zst|.gz] OUTPUT.ko
#
# For the guest tests of the build identity check (tests/nvme/014,
# tests/nvmet/015): a copy of a stock module that is "another build" of it
# as far as copyoff can tell, and nothing else.  One byte of one string of
# its .BTF section changes: the last letter of the longest identifier in the
# string table, to another letter, so that the BTF stays valid (the kernel
# parses it at load) and no structure layout changes; the code and the data
# are those of the stock module.  Its signature, which no longer matches, is
# dropped (the kernel then loads it as it loads copyoff's own unsigned
# modules).  Prints the string changed, and the .BTF CRC-32 and length
# before and after.
import lzma
import struct
import subprocess
import sys
import zlib

SIG_MAGIC = b"~Module signature appended~\n"


def read_module(path):
    data = open(path, "rb").read()
    if path.endswith(".xz"):
        return lzma.decompress(data)
    if path.endswith(".zst"):
        return subprocess.run(["zstd", "-dcq"], input=data, check=True,
                              capture_output=True).stdout
    if path.endswith(".gz"):
        return zlib.decompress(data, 16 + zlib.MAX_WBITS)
    return data


def strip_signature(data):
    if not data.endswith(SIG_MAGIC):
        return data
    # struct module_signature: 5 bytes, 3 of padding, __be32 sig_len
    info = data[-len(SIG_MAGIC) - 12:-len(SIG_MAGIC)]
    sig_len = struct.unpack(">I", info[8:12])[0]
    return data[:-len(SIG_MAGIC) - 12 - sig_len]


def btf_section(data):
    """Offset and size of .BTF in a little-endian ELF64 relocatable."""
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        sys.exit("btf-variant: not a little-endian ELF64 module")
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3a)

    def sh(i):
        return struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize)
    stroff = sh(shstrndx)[4]
    for i in range(shnum):
        s = sh(i)
        name = data[stroff + s[0]:data.index(b"\0", stroff + s[0])]
        if name == b".BTF":
            return s[4], s[5]
    sys.exit("btf-variant: no .BTF section")


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: btf-variant.py MODULE.ko[.xz] OUTPUT.ko")
    data = bytearray(strip_signature(read_module(sys.argv[1])))
    off, size = btf_section(data)
    btf = bytes(data[off:off + size])
    magic, _ver, _flags, hdr_len, _toff, _tlen, str_off, str_len = \
        struct.unpack_from("<HBBIIIII", btf, 0)
    if magic != 0xeb9f:
        sys.exit("btf-variant: .BTF has no BTF magic")
    base = hdr_len + str_off
    best = None
    pos = 0
    for s in btf[base:base + str_len].split(b"\0"):
        if (len(s) > 1 and s[-1:].isalpha() and s[-1:].islower() and
                all(c == 0x5f or chr(c).isalnum() for c in s) and
                not chr(s[0]).isdigit() and (best is None or len(s) > len(best[1]))):
            best = (pos, s)
        pos += len(s) + 1
    if best is None:
        sys.exit("btf-variant: no identifier in the BTF strings")
    at = off + base + best[0] + len(best[1]) - 1
    data[at] = ord("q") if data[at] != ord("q") else ord("z")
    new = bytes(data[off:off + size])
    open(sys.argv[2], "wb").write(data)
    print("btf-variant: %s: string '%s' -> '%s'; .BTF crc32 0x%08x -> 0x%08x, len %d" %
          (sys.argv[1], best[1].decode(), new[base + best[0]:base + best[0] + len(best[1])].decode(),
           zlib.crc32(btf), zlib.crc32(new), size))


main()
