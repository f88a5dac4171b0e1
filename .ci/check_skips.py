"""Reads TRX files and fails on any test outcome other than Passed/Failed that the allow-list does not
name. Failed tests already fail `dotnet test`; they are counted here only for the summary.

Allow-list lines: `PATTERN | REASON`, PATTERN an fnmatch pattern over `Namespace.Class.TestName`
(test name with its arguments, as the TRX file has it); blank lines and `#` comments are ignored.
A line without a reason is itself an error: every skip must say why it may happen.
"""
import argparse
import fnmatch
import glob
import os
import sys
import xml.etree.ElementTree as ElementTree

NS = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}


def read_allow_list(path):
    entries = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            pattern, _, reason = (part.strip() for part in line.partition("|"))
            if not pattern or not reason:
                sys.exit(f"{path}:{number}: an allowed skip needs a pattern and a reason: `PATTERN | REASON`")
            entries.append((pattern, reason))
    return entries


def results(folder):
    files = sorted(glob.glob(os.path.join(folder, "**", "*.trx"), recursive=True))
    if not files:
        sys.exit(f"no .trx files under {folder}: did dotnet test run with --logger trx --results-directory {folder}?")
    for path in files:
        root = ElementTree.parse(path).getroot()
        classes = {}
        for test in root.iterfind("t:TestDefinitions/t:UnitTest", NS):
            method = test.find("t:TestMethod", NS)
            classes[test.get("id")] = method.get("className") if method is not None else ""
        for result in root.iterfind("t:Results/t:UnitTestResult", NS):
            message = result.find("t:Output/t:ErrorInfo/t:Message", NS)
            name = result.get("testName")
            class_name = classes.get(result.get("testId"), "")
            full = name if name.startswith(class_name + ".") else f"{class_name}.{name}"
            yield full, result.get("outcome"), (message.text or "").strip() if message is not None else ""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--allow-list", required=True)
    parser.add_argument("--min-tests", type=int, default=0)
    parser.add_argument("folder")
    args = parser.parse_args()

    allowed = read_allow_list(args.allow_list)
    counts = {}
    unlisted = []
    for full, outcome, message in results(args.folder):
        counts[outcome] = counts.get(outcome, 0) + 1
        if outcome in ("Passed", "Failed"):
            continue
        reason = next((r for p, r in allowed if fnmatch.fnmatchcase(full, p)), None)
        if reason is None:
            unlisted.append(f"  {outcome}: {full}\n    {message}")
        else:
            print(f"allowed {outcome.lower()}: {full} ({reason})")

    total = sum(counts.values())
    print("test outcomes: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) + f"; {total} in all")
    status = 0
    if unlisted:
        print(f"{len(unlisted)} test(s) did not run to a result and are not in {args.allow_list}:", file=sys.stderr)
        print("\n".join(unlisted), file=sys.stderr)
        status = 1
    if total < args.min_tests:
        print(f"only {total} tests ran; at least {args.min_tests} were expected (a rename or a lost category?)", file=sys.stderr)
        status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
