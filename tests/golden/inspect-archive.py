#!/usr/bin/env python3
"""Reads an image archive with Python's tarfile, hashlib, gzip and the zstd command (none of them the
product's code) and prints what the golden values describe, as JSON:

  archiveSha256   sha256 of the whole archive file
  imageId         sha256 of the config blob that manifest.json names
  manifestDigest  the OCI manifest's digest from index.json, checked against its blob (null for docker)
  diffIds         the config's rootfs.diff_ids, each checked against the sha256 of its layer, decompressed

Any inconsistency (a blob whose bytes do not hash to its name, a diff id that does not match its
layer) is an error: exit 1 with the reason.
Usage: inspect-archive.py ARCHIVE
"""
import gzip
import hashlib
import json
import subprocess
import sys
import tarfile


def sha256(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


def fail(message):
    print(message, file=sys.stderr)
    sys.exit(1)


def uncompressed(data, media_type):
    if media_type.endswith("+gzip") or data[:2] == b"\x1f\x8b":
        return gzip.decompress(data)
    if media_type.endswith("+zstd") or data[:4] == b"\x28\xb5\x2f\xfd":
        return subprocess.run(["zstd", "-dc"], input=data, capture_output=True, check=True, timeout=120).stdout
    return data


def main(path):
    with open(path, "rb") as archive_file:
        whole = archive_file.read()
    with tarfile.open(path, "r:") as archive:
        members = {m.name: archive.extractfile(m).read() for m in archive.getmembers() if m.isfile()}

    manifest = json.loads(members["manifest.json"])
    if len(manifest) != 1:
        fail(f"manifest.json lists {len(manifest)} images, not one")
    config_bytes = members[manifest[0]["Config"]]
    config = json.loads(config_bytes)
    image_id = sha256(config_bytes)

    manifest_digest = None
    media_types = {}
    if "index.json" in members:
        index = json.loads(members["index.json"])
        manifest_digest = index["manifests"][0]["digest"]
        manifest_blob = members["blobs/sha256/" + manifest_digest.split(":", 1)[1]]
        if sha256(manifest_blob) != manifest_digest:
            fail(f"the manifest blob does not hash to {manifest_digest}")
        oci_manifest = json.loads(manifest_blob)
        if oci_manifest["config"]["digest"] != image_id:
            fail(f"the OCI manifest names config {oci_manifest['config']['digest']}, manifest.json {image_id}")
        media_types = {layer["digest"]: layer["mediaType"] for layer in oci_manifest["layers"]}
        for blob_name, blob in members.items():
            if blob_name.startswith("blobs/sha256/") and sha256(blob) != "sha256:" + blob_name.rsplit("/", 1)[1]:
                fail(f"{blob_name} does not hash to its name")

    diff_ids = config["rootfs"]["diff_ids"]
    layers = manifest[0]["Layers"]
    if len(layers) != len(diff_ids):
        fail(f"{len(layers)} layers but {len(diff_ids)} diff ids")
    for layer_name, diff_id in zip(layers, diff_ids):
        blob = members[layer_name]
        media_type = media_types.get(sha256(blob), "")
        if sha256(uncompressed(blob, media_type)) != diff_id:
            fail(f"{layer_name} does not decompress to {diff_id}")

    print(json.dumps({
        "archiveSha256": hashlib.sha256(whole).hexdigest(),
        "imageId": image_id,
        "manifestDigest": manifest_digest,
        "diffIds": diff_ids,
    }, indent=2))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        fail(__doc__)
    main(sys.argv[1])
