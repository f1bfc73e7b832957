#!/bin/sh
# iommufd-sim tests: end-to-end check of the iommufd-sim-run launcher.
# usage: test-run-script.sh PATH-TO-iommufd-sim-run
#
# SPDX-License-Identifier: GPL-2.0-or-later

run=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
n=0
failed=0

check() {
    n=$((n + 1))
    if [ "$1" = 0 ]; then
        echo "ok $n - $2"
    else
        echo "not ok $n - $2"
        failed=1
    fi
}

"$run" --help | grep -q -- '--devices'
check $? "--help describes the options"

"$run" --root "$work/root" --devices 2 --log "$work/log" -- sh -c '
    test "$(cat "$IOMMUFD_SIM_SYSFSDEV_1/vfio-dev/vfio1/dev")" = 511:1 &&
    test -d "$IOMMUFD_SIM_SYSFSDEV_0" && exit 7
    exit 1'
check $(( $? != 7 )) "sysfs tree built, command status propagated"

test ! -e "$work/root/sys"
check $? "the sysfs tree is removed afterwards"

! grep -q '"op":"\(START\|EXIT\)"' "$work/log"
check $? "processes that never open a simulated file log no START/EXIT"

"$run" --log "$work/log2" -- cat /dev/iommu
grep -q '"op":"OPEN","path":"/dev/iommu"' "$work/log2"
check $? "opening /dev/iommu under the launcher is simulated and logged"

tail -n 1 "$work/log2" | grep -q '"op":"EXIT"' &&
    test "$(grep -c '"op":"START"' "$work/log2")" = 1
check $? "the process that used the simulator logs START once and ends with EXIT"

IOMMUFD_SIM_KERNEL=bogus "$run" -- /bin/true 2>"$work/err"
check $(( $? != 1 )) "a bad profile stops the program with status 1"

grep -q 'IOMMUFD_SIM_KERNEL' "$work/err"
check $? "... and says which variable is wrong"

# Ids repeat across iommufd contexts and descriptor numbers are reused:
# the log's "ctx" is what tells two contexts apart.
"$run" --log "$work/log3" -- python3 -c '
import os
os.close(os.open("/dev/iommu", os.O_RDWR))
os.open("/dev/iommu", os.O_RDWR)'
set -- $(sed -n 's|.*"op":"OPEN","path":"/dev/iommu","fd":\([0-9]*\),"ctx":\([0-9]*\).*|\1 \2|p' \
         "$work/log3")
test "$#" = 4 && test "$1" = "$3" && test "$2" = 1 && test "$4" = 2 &&
    grep -q '"op":"IOMMUFD_RELEASE","ctx":1,' "$work/log3"
check $? "a reopened /dev/iommu is a new context, logged as such"

"$run" --fail 'IOAS_ALLOC:x:ENOMEM' -- /bin/true 2>/dev/null
check $(( $? != 1 )) "a bad --fail rule is refused"

"$run" --test-cmd --replace-window-us 5 -- sh -c \
    'test "$IOMMUFD_SIM_TEST_CMD" = 1 &&
     test "$IOMMUFD_SIM_REPLACE_WINDOW_US" = 5'
check $? "--test-cmd and --replace-window-us reach the environment"

"$run" --cache=minimal -- sh -c 'test "$IOMMUFD_SIM_CACHE" = minimal' &&
    "$run" --cache architectural -- sh -c \
        'test "$IOMMUFD_SIM_CACHE" = architectural'
check $? "--cache reaches the environment"

"$run" --cache=none -- /bin/true 2>"$work/err"
check $(( $? != 1 )) "an unknown cache mode stops the program with status 1"

grep -q 'IOMMUFD_SIM_CACHE="none"' "$work/err"
check $? "... and says which variable is wrong"

echo "1..$n"
exit $failed
