#!/usr/bin/env bash
# Start-up breakdown: where the time from exec to the first frame goes, from strace timestamps
# (seccomp-bpf filtered to a few syscalls, so the process is barely slowed): layout and rule files
# read, first query or scrape sent, the latency histogram's bucket range query sent and answered
# (server mode's critical path), last answer, frame written, exit. Medians over RUNS.
#   scripts/profile-startup.sh BINARY RUNS ARGS...      (run from anywhere; lookout runs in the repo)
#   e.g. scripts/profile-startup.sh .build-startup/release/lookout 9 snapshot --prometheus "$PROMETHEUS_URL" \
#          --layout executive --size 120x40 --color never
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1"); RUNS=$2; shift 2
command -v strace >/dev/null || { echo "needs strace" >&2; exit 2; }
python3 - "$ROOT" "$BIN" "$RUNS" "$@" <<'PY'
import re, sys, statistics, subprocess, os, urllib.parse
root, binary, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
args = sys.argv[4:]
rows = []
for i in range(runs):
    out = f"/tmp/lookout-profile-startup-{os.getpid()}.txt"
    subprocess.run(["strace", "-f", "--seccomp-bpf", "-ttt", "-s", "300", "-e", "trace=execve,openat,sendto,recvfrom,write,exit_group", "-o", out, binary] + args, cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    lines = open(out).read().splitlines(); os.remove(out)
    t0 = float(lines[0].split()[1]); ev = {}; pend = {}; last_answer = 0; rules_last = 0
    for l in lines:
        p = l.split(None, 2)
        if len(p) < 3: continue
        t = (float(p[1]) - t0) * 1000; r = p[2]
        if 'executive.json' in r and 'openat' in r: ev.setdefault('layout read', t)
        if 'perfect21-alerts.yml' in r: ev.setdefault('rules read', t)
        m = re.match(r'sendto\((\d+), "GET (\S+)', r)
        if m:
            pend[m.group(1)] = (t, m.group(2))
            if '/query' in m.group(2): ev.setdefault('first query sent', t)
            if 'GET /metrics' in r: ev.setdefault('scrape sent', t)
        if 'GET /metrics' in r: ev.setdefault('scrape sent', t)
        m = re.match(r'recvfrom\((\d+), "HTTP', r)
        if m and m.group(1) in pend:
            s, u = pend.pop(m.group(1)); last_answer = t
            if 'query_range' in u and 'le%29%20%28rate' in u:
                ev['bucket range sent'] = s; ev['bucket range answered'] = t
        if r.startswith('write(1,'): ev.setdefault('frame written', t)
        if 'exit_group' in r: ev['exit'] = t
    ev['last answer'] = last_answer
    rows.append(ev)
keys = ['layout read', 'rules read', 'scrape sent', 'first query sent', 'bucket range sent', 'bucket range answered', 'last answer', 'frame written', 'exit']
for k in keys:
    vals = [r[k] for r in rows if k in r and r[k] > 0]
    if vals: print(f"{k:24s} median {statistics.median(vals):6.1f} ms  (min {min(vals):.1f}, max {max(vals):.1f})")
PY
