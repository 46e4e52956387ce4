#!/usr/bin/python3
"""The incident report over a large history: 100,000 records in two files (two hosts), each
chain valid, made from real records the binary wrote on a sandbox. Prints the wall time and the
peak resident memory of `history report` for each format beside the goal (under 2 s and 200 MB).

Usage: python3 bench/report.py BINARY   (bench/run builds the release binary)
Not a test: nothing here asserts. Talks to an embedded sandbox on 127.0.0.1 only.
"""
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

BINARY = sys.argv[1] if len(sys.argv) > 1 else ".build/release/ecgrid-console"
WORK = tempfile.mkdtemp(prefix="ecgrid-bench-report-")
ENV = {"PATH": "/usr/bin:/bin", "HOME": WORK, "LANG": "C.UTF-8", "SOURCE_DATE_EPOCH": "1764662400"}


def templates():
    """Real records: a containment of 20 users with a failed notice, on an embedded sandbox."""
    history = os.path.join(WORK, "template", "history.jsonl")
    env = dict(ENV, ECGRID_CONSOLE_HISTORY=history)
    ids = [str(40001 + n) for n in range(20)]
    subprocess.run([BINARY, "contain", "-", "--sandbox", "--yes", "--reason", "INC-BENCH", "--steps",
                    "password,sessions,keys,notify", "--notify", "Support reset your login.", "--password-file",
                    os.path.join(WORK, "pw.tsv"), "--quiet"], input="\n".join(ids), text=True, env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    with open(history, "rb") as source:
        return [json.loads(line) for line in source if line.strip()]


def write_history(path, records, count, host):
    """`count` records cycling through `records`, each action given a new ID, numbered and chained."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    prev = "0" * 64
    with open(path, "wb") as out:
        for seq in range(1, count + 1):
            record = dict(records[(seq - 1) % len(records)])
            cycle = (seq - 1) // len(records)
            record["actionId"] = f"{record['actionId']}-{host}-{cycle}"
            if "playbook" in record:
                record["playbook"] = dict(record["playbook"], id=f"{record['playbook']['id']}-{host}-{cycle}")
            record["seq"] = seq
            record["prev"] = prev
            line = json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
            out.write(line + b"\n")
            prev = hashlib.sha256(line).hexdigest()
    with open(path + ".tip", "w") as tip:
        tip.write(f"{count} {prev}\n")


def measured(argv):
    """Wall time in ms and peak resident memory in MB of one run."""
    start = time.monotonic()
    process = subprocess.Popen(argv, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = (time.monotonic() - start) * 1000
    return elapsed, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def main():
    records = templates()
    if not records:
        print("the template history is empty: the sandbox run failed")
        sys.exit(1)
    files = [os.path.join(WORK, host, "history.jsonl") for host in ("jump1", "jump2")]
    for path, host in zip(files, ("jump1", "jump2")):
        write_history(path, records, 50_000, host)
    print(f"incident report over 100,000 records in two files ({len(records)} distinct real records as templates): {BINARY}")
    for form in ("md", "json", "html"):
        out = os.path.join(WORK, f"report.{form}")
        runs = []
        for _ in range(3):
            if os.path.exists(out):
                os.remove(out)
            runs.append(measured([BINARY, "history", "report", "--file", files[0], "--file", files[1], "--format", form, "-o", out]))
        runs.sort()
        ms, mb, code = runs[1]
        size = os.path.getsize(out) / 1e6 if os.path.exists(out) else 0
        print(f"  report --format {form:<4}  median of 3: {ms:8.0f} ms  peak {max(r[1] for r in runs):6.1f} MB  "
              f"exit {code}  {size:.1f} MB written   goal < 2000 ms and < 200 MB: "
              f"{'met' if ms < 2000 and mb < 200 else 'NOT met'}")
    shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    main()
