"""Lists every layer entry of a docker-format image archive with Python's own tarfile module, a tar
reader that shares no code with LayerBuilder: one JSON object per entry, in archive order.

With --details, each object also has: layer (its number), name_hex (the name's bytes), devmajor and
devminor, mtime_exact (the PAX mtime record as written, or the header's whole seconds), and pax (every
PAX record of the entry, values as hex of their exact bytes)."""
import hashlib
import json
import sys
import tarfile

KINDS = {tarfile.REGTYPE: "file", tarfile.AREGTYPE: "file", tarfile.DIRTYPE: "dir",
         tarfile.SYMTYPE: "symlink", tarfile.LNKTYPE: "hardlink"}
DETAIL_KINDS = {tarfile.CHRTYPE: "char", tarfile.BLKTYPE: "block", tarfile.FIFOTYPE: "fifo"}


def raw(text):
    """The bytes tarfile decoded (names and PAX values are byte strings in a tar)."""
    return text.encode("utf-8", "surrogateescape")


details = "--details" in sys.argv[1:]
path = [a for a in sys.argv[1:] if a != "--details"][0]
with tarfile.open(path, mode="r:") as outer:
    manifest = json.load(outer.extractfile("manifest.json"))
    for number, layer_name in enumerate(manifest[0]["Layers"]):
        with tarfile.open(fileobj=outer.extractfile(layer_name), mode="r:", encoding="utf-8", errors="surrogateescape") as layer:
            for entry in layer:
                content = layer.extractfile(entry).read() if entry.isreg() else b""
                line = {
                    "name": entry.name, "kind": KINDS.get(entry.type, repr(entry.type)),
                    "mode": entry.mode, "uid": entry.uid, "gid": entry.gid, "mtime": int(entry.mtime),
                    "size": entry.size, "sha256": hashlib.sha256(content).hexdigest(),
                    "link": entry.linkname, "uname": entry.uname, "gname": entry.gname,
                }
                if details:
                    line["name"] = raw(entry.name).decode("utf-8", "replace")
                    line["link"] = raw(entry.linkname).decode("utf-8", "replace")
                    line.update({
                        "layer": number, "name_hex": raw(entry.name).hex(),
                        "kind": DETAIL_KINDS.get(entry.type, line["kind"]),
                        "devmajor": entry.devmajor, "devminor": entry.devminor,
                        "mtime_exact": entry.pax_headers.get("mtime", str(int(entry.mtime))),
                        "pax": {k: raw(v).hex() for k, v in entry.pax_headers.items()},
                    })
                print(json.dumps(line, sort_keys=True))
