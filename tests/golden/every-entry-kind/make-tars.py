#!/usr/bin/env python3
"""Writes base.tar and vendor.tar.gz, the two tars of the every-entry-kind golden fixture.

The tars are committed; this script says how they were made (Python's tarfile, an independent writer,
not the System.Formats.Tar the product reads with). Running it again must give the same bytes; if it
does not, the golden values change, which is a deliberate change (see docs/testing.md).
"""
import gzip
import io
import os
import tarfile

MTIME = 1_600_000_000  # 2020-09-13, older than the recipe's created, so it shows which times are kept


def add(tar, name, kind=tarfile.REGTYPE, data=b"", mode=0o644, uid=0, gid=0, link="", pax=None):
    info = tarfile.TarInfo(name)
    info.type = kind
    info.mode = mode
    info.uid, info.gid = uid, gid
    info.uname = info.gname = ""
    info.mtime = MTIME
    info.linkname = link
    if pax:
        info.pax_headers = pax
    if kind == tarfile.REGTYPE:
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    else:
        tar.addfile(info)


def base(path):
    with tarfile.open(path, "w", format=tarfile.PAX_FORMAT) as tar:
        add(tar, "bin/", tarfile.DIRTYPE, mode=0o755)
        add(tar, "bin/tool", data=b"#!/bin/sh\necho tool\n", mode=0o755)
        add(tar, "bin/tool-again", tarfile.LNKTYPE, link="bin/tool")
        add(tar, "etc/", tarfile.DIRTYPE, mode=0o755)
        add(tar, "etc/group", data=b"root:x:0:\napp:x:1000:\n")
        add(tar, "etc/passwd", data=b"root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/home/app:/bin/sh\n")
        add(tar, "etc/shadow", data=b"root:*:19000:0:99999:7:::\n", mode=0o640, gid=42)
        add(tar, "home/", tarfile.DIRTYPE, mode=0o755)
        add(tar, "home/app/", tarfile.DIRTYPE, mode=0o700, uid=1000, gid=1000)
        add(tar, "lib", tarfile.SYMTYPE, mode=0o777, link="usr/lib")
        add(tar, "tmp/", tarfile.DIRTYPE, mode=0o1777)
        add(tar, "usr/", tarfile.DIRTYPE, mode=0o755)
        add(tar, "usr/bin/", tarfile.DIRTYPE, mode=0o755)
        add(tar, "usr/bin/su", data=b"\x7fELF-not-really\n", mode=0o4755)
        add(tar, "usr/bin/ping", data=b"ping\n", mode=0o755, pax={"SCHILY.xattr.user.fixture": "kept"})
        add(tar, "usr/lib/", tarfile.DIRTYPE, mode=0o755)
        add(tar, "usr/lib/libfixture.so.1", data=b"library\n")
        add(tar, "usr/share/", tarfile.DIRTYPE, mode=0o755)
        add(tar, "usr/share/doc/", tarfile.DIRTYPE, mode=0o755)
        add(tar, "usr/share/doc/pkg/", tarfile.DIRTYPE, mode=0o755)
        add(tar, "usr/share/doc/pkg/README", data=b"read me\n")
        add(tar, "usr/share/doc/pkg/copyright", data=b"(c) nobody\n")
        add(tar, "var/", tarfile.DIRTYPE, mode=0o755)
        add(tar, "var/cache/", tarfile.DIRTYPE, mode=0o755)
        add(tar, "var/cache/pkg/", tarfile.DIRTYPE, mode=0o755)
        add(tar, "var/cache/pkg/a.bin", data=bytes(range(256)))
        add(tar, "var/cache/pkg/b.bin", data=b"b" * 1000)


def vendor(path):
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.GNU_FORMAT) as tar:
        add(tar, "bin/", tarfile.DIRTYPE, mode=0o755)
        add(tar, "bin/vendor-tool", data=b"#!/bin/sh\necho vendor\n", mode=0o755, uid=1000, gid=1000)
        add(tar, "bin/vendor-tool-link", tarfile.LNKTYPE, link="bin/vendor-tool")
        add(tar, "current", tarfile.SYMTYPE, mode=0o777, link="share/vendor")
        add(tar, "share/", tarfile.DIRTYPE, mode=0o755)
        add(tar, "share/vendor/", tarfile.DIRTYPE, mode=0o755)
        add(tar, "share/vendor/" + "a-rather-long-name-" * 7 + ".txt", data=b"a long name\n")
        add(tar, "share/vendor/data.txt", data=b"vendor data\n" * 100, mode=0o444)
    with open(path, "wb") as out, gzip.GzipFile(filename="", mode="wb", fileobj=out, mtime=0) as packed:
        packed.write(raw.getvalue())


here = os.path.dirname(os.path.abspath(__file__))
base(os.path.join(here, "base.tar"))
vendor(os.path.join(here, "vendor.tar.gz"))
