#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Run the iptables project's .t acceptance files through masqrule save.

A line `rule;save;OK` must be accepted and come back from `masqrule save
--iptables` as `-A CHAIN <save>` (`=`: the rule itself); `rule;;FAIL` must
be rejected.  NOMATCH lines and lines marked for the legacy backend only
are skipped.  Prints pass / fail counts; exits 1 below MIN_PASS.
"""
import argparse
import os
import shlex
import subprocess
import sys

MIN_PASS = 0.95


def cases(path):
    table, chains = "filter", ["INPUT"]
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#") or line[0] in "@%":
                continue
            if line.startswith(":"):
                chains = line[1:].split(",")
                continue
            if line.startswith("*"):
                table = line[1:]
                continue
            fields = line.split(";")
            if len(fields) < 3:
                continue
            rule, save, result = fields[0], fields[1], fields[2]
            variant = fields[3] if len(fields) > 3 else ""
            if result == "NOMATCH" or variant == "LEGACY":
                continue
            yield table, chains[0], rule, (rule if save == "=" else save), result


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--masqrule", default=os.environ.get(
        "MASQRULE", "build/cli/masqrule"))
    ap.add_argument("--dir", default=os.environ.get(
        "TXLATE_DIR", "../shared/conformance/iptables-txlate") + "/t")
    ap.add_argument("--only", action="append", default=[])
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args()

    npass = nfail = 0
    for fname in sorted(os.listdir(a.dir)):
        if not fname.endswith(".t") or (a.only and fname[:-2] not in a.only):
            continue
        dialects = ["ip6tables"] if fname.startswith("libip6t_") else \
            ["iptables"] if fname.startswith("libipt_") else \
            ["iptables", "ip6tables"]
        fp = ff = 0
        for table, chain, rule, save, result in cases(os.path.join(a.dir, fname)):
            for d in dialects:
                cmd = [a.masqrule, "save", "--iptables", "--dialect", d, "--",
                       "-t", table, "-A", chain] + shlex.split(rule)
                p = subprocess.run(cmd, capture_output=True, text=True,
                                   timeout=20)
                want = ("-A %s %s" % (chain, save)).rstrip()
                if result == "OK":
                    ok = p.returncode == 0 and want in \
                        [l.rstrip() for l in p.stdout.split("\n")]
                else:
                    ok = p.returncode != 0
                if ok:
                    fp += 1
                else:
                    ff += 1
                    if a.verbose:
                        print("  %s %s: %s (%s)" % (fname, d, rule, result))
                        print("    want: %s" % (want if result == "OK" else "an error"))
                        got = [l for l in p.stdout.split("\n") if l.startswith("-A")]
                        print("    got:  rc=%d %s %s" % (p.returncode, got,
                              p.stderr.strip().split("\n")[0] if p.stderr else ""))
        print("%-24s pass %3d  fail %3d" % (fname, fp, ff))
        npass += fp
        nfail += ff
    n = npass + nfail
    print("acceptance (.t): %d cases: pass %d (%.1f%%), fail %d" % (
        n, npass, 100.0 * npass / n if n else 0, nfail))
    return 0 if a.only or (n and npass / n >= MIN_PASS) else 1


if __name__ == "__main__":
    sys.exit(main())
