#!/usr/bin/env bash
# Every test, as root on Debian 12: installs and builds what is missing,
# reserves hugepages, runs "make check" (Check unit suites and the integration
# tests with real processes) and "make distcheck", and prints one summary line.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/setup.sh"
cd "$top/build"
rc=0
make -j"$(nproc)" check || rc=$?
for f in tests/unit/*.log tests/integration/*.log; do
	[ -f "$f" ] && [ "${f%test-suite.log}" = "$f" ] && grep -h -E '^[0-9]+%: Checks|PASS$' "$f" || true
done
pass=$(grep -h '^# PASS:' test-suite.log | awk '{ print $3 }')
failed=$(grep -h -E '^# (FAIL|ERROR|XPASS):' test-suite.log | awk '{ s += $3 } END { print s + 0 }')
skipped=$(grep -h '^# SKIP:' test-suite.log | awk '{ print $3 }')
if [ "$rc" -ne 0 ]; then
	cat test-suite.log
else
	make -j"$(nproc)" distcheck >distcheck.log 2>&1 || { tail -50 distcheck.log; rc=1; }
	[ "$rc" -eq 0 ] && echo "distcheck: $(grep -m1 'archives ready for distribution' -A1 distcheck.log | tail -1)"
fi
# A machine that can run the tests must not skip any: a skip is a failure here.
[ "${skipped:-0}" -eq 0 ] || { echo "test.sh: $skipped tests skipped" >&2; rc=1; }
echo "${pass:-0} passed, $((failed + ${skipped:-0})) failed"
exit "$rc"
