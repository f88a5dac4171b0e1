"""Lists every layer entry of a docker-format image archive with Python's own tarfile module, a tar
reader that shares no code with LayerBuilder: one JSON object per entry, in archive order."""
import hashlib
import json
import sys
import tarfile

KINDS = {tarfile.REGTYPE: "file", tarfile.AREGTYPE: "file", tarfile.DIRTYPE: "dir",
         tarfile.SYMTYPE: "symlink", tarfile.LNKTYPE: "hardlink"}

with tarfile.open(sys.argv[1], mode="r:") as outer:
    manifest = json.load(outer.extractfile("manifest.json"))
    for layer_name in manifest[0]["Layers"]:
        with tarfile.open(fileobj=outer.extractfile(layer_name), mode="r:") as layer:
            for entry in layer:
                content = layer.extractfile(entry).read() if entry.isreg() else b""
                print(json.dumps({
                    "name": entry.name, "kind": KINDS.get(entry.type, repr(entry.type)),
                    "mode": entry.mode, "uid": entry.uid, "gid": entry.gid, "mtime": int(entry.mtime),
                    "size": entry.size, "sha256": hashlib.sha256(content).hexdigest(),
                    "link": entry.linkname, "uname": entry.uname, "gname": entry.gname,
                }, sort_keys=True))
