#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Run the iptables project's translation pairs through masqrule translate.

Each iptables-translate / ip6tables-translate line of the .txlate files is
run as `masqrule translate --dialect iptables|ip6tables -- ARGS` and its
output compared with the expected nft text.  Prints pass / differs /
unsupported counts per file and in total; exits 1 if a core file has a
pair that does not pass, or fewer than MIN_PASS of all pairs pass.
"""
import argparse
import os
import shlex
import subprocess
import sys

CORE = [
    "generic", "libipt_MASQUERADE", "libip6t_MASQUERADE", "libipt_SNAT",
    "libip6t_SNAT", "libxt_DNAT", "libxt_REDIRECT", "libxt_tcp", "libxt_udp",
    "libipt_icmp", "libip6t_icmp6", "libxt_multiport", "libxt_conntrack",
    "libxt_iprange", "libxt_mark", "libxt_comment", "libxt_limit",
    "libxt_mac", "libipt_REJECT", "libip6t_REJECT", "libipt_LOG",
    "libip6t_LOG",
]
MIN_PASS = 0.95


def pairs(path):
    """Yield (tool, args, expected) as upstream's xlate-test.py reads them."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        words = line.split(None, 1)
        if not words or words[0] not in ("iptables-translate",
                                         "ip6tables-translate",
                                         "arptables-translate",
                                         "ebtables-translate"):
            if line.startswith("iptables "):
                i += 1  # upstream skips this line and its expectation
            continue
        src = line.split(";", 1)[0]
        expected = []
        while i < len(lines) and lines[i].startswith("nft"):
            expected.append(lines[i].rstrip())
            i += 1
        if words[0] in ("iptables-translate", "ip6tables-translate"):
            yield words[0], shlex.split(src)[1:], "\n".join(expected)


def run(masqrule, tool, args):
    dialect = "ip6tables" if tool.startswith("ip6") else "iptables"
    p = subprocess.run([masqrule, "translate", "--dialect", dialect, "--"] +
                       args, capture_output=True, text=True, timeout=20)
    out = "\n".join(l.rstrip() for l in p.stdout.rstrip().split("\n"))
    return p.returncode, out, p.stderr


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--masqrule", default=os.environ.get(
        "MASQRULE", "build/cli/masqrule"))
    ap.add_argument("--dir", default=os.environ.get(
        "TXLATE_DIR", "../shared/conformance/iptables-txlate"))
    ap.add_argument("--only", action="append", default=[],
                    help="file name (without .txlate); repeatable")
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args()

    files = sorted(f[:-7] for f in os.listdir(a.dir) if f.endswith(".txlate"))
    if a.only:
        files = [f for f in files if f in a.only]
    total = {"pass": 0, "differs": 0, "unsupported": 0}
    core_bad = []
    for name in files:
        counts = {"pass": 0, "differs": 0, "unsupported": 0}
        for tool, args, expected in pairs(os.path.join(a.dir, name + ".txlate")):
            rc, out, err = run(a.masqrule, tool, args)
            if rc == 0 and out == expected:
                res = "pass"
            elif rc != 0 or out.startswith("nft #"):
                res = "unsupported"
            else:
                res = "differs"
            counts[res] += 1
            if res != "pass" and a.verbose:
                print("  %s: %s %s" % (res, tool, " ".join(shlex.quote(x) for x in args)))
                print("    want: %s" % expected.replace("\n", "\n          "))
                print("    got:  %s" % (out or err.strip()).replace("\n", "\n          "))
            if res != "pass" and name in CORE:
                core_bad.append("%s: %s" % (name, " ".join(args)))
        for k in total:
            total[k] += counts[k]
        print("%-22s pass %3d  differs %3d  unsupported %3d" % (
            name, counts["pass"], counts["differs"], counts["unsupported"]))
    n = sum(total.values())
    ratio = total["pass"] / n if n else 0
    print("conformance: %d pairs: pass %d (%.1f%%), differs %d, unsupported %d"
          % (n, total["pass"], 100 * ratio, total["differs"],
             total["unsupported"]))
    ok = not core_bad and (a.only or ratio >= MIN_PASS)
    for c in core_bad:
        print("core pair not passing: " + c)
    print("%d passed, %d failed" % (total["pass"], n - total["pass"]))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
