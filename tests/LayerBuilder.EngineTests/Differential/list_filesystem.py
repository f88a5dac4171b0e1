#!/usr/bin/env python3
"""Lists a flat file-system tar (what `docker export` writes) entry by entry, with Python's own tarfile
module: a reader independent of LayerBuilder and of the engine. Prints one JSON object per entry, sorted by
path: type, mode (with setuid, setgid and sticky), owner, size, link target and the content's SHA-256.
Modification times are left out on purpose: docs/docker-differences.md says why."""
import hashlib
import json
import sys
import tarfile

KINDS = {
    tarfile.REGTYPE: "file", tarfile.AREGTYPE: "file", tarfile.LNKTYPE: "hardlink", tarfile.SYMTYPE: "symlink",
    tarfile.CHRTYPE: "char", tarfile.BLKTYPE: "block", tarfile.DIRTYPE: "dir", tarfile.FIFOTYPE: "fifo",
}


def main(path):
    entries = []
    with tarfile.open(path, "r:") as archive:
        for member in archive:
            name = "/" + member.name.lstrip("./").rstrip("/") if member.name not in (".", "./") else "/"
            entry = {
                "path": name,
                "type": KINDS.get(member.type, "other:" + member.type.decode("latin-1")),
                "mode": "%04o" % (member.mode & 0o7777),
                "owner": "%d:%d" % (member.uid, member.gid),
                "size": member.size if member.isreg() else 0,
                "link": ("/" + member.linkname.lstrip("./")) if member.islnk() else member.linkname if member.issym() else "",
                "sha256": "",
            }
            if member.isreg():
                digest = hashlib.sha256()
                stream = archive.extractfile(member)
                for block in iter(lambda: stream.read(1 << 20), b""):
                    digest.update(block)
                entry["sha256"] = digest.hexdigest()
            entries.append(entry)
    entries.sort(key=lambda e: e["path"])
    json.dump(entries, sys.stdout, separators=(",", ":"))


if __name__ == "__main__":
    main(sys.argv[1])
