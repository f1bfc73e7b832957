/*
 * iommufd-sim tests: fault injection
 *
 * Run with IOMMUFD_SIM_FAIL=IOAS_ALLOC:2:ENOMEM,ATTACH_IOMMUFD_PT:1:5,
 *                           HWPT_INVALIDATE:1:EIO
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <errno.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/iommufd.h>

#include "sim-helpers.h"
#include "tap.h"

int main(void)
{
    int fd = h_open_iommufd(), devfd = h_open_dev(0);
    uint32_t dev, a, b, c, hwpt;

    h_bind(devfd, fd, &dev);
    TAP_ERRNO(h_ioas_alloc(fd, &a), 0, "first IOAS_ALLOC succeeds");
    TAP_ERRNO(h_ioas_alloc(fd, &b), ENOMEM, "second IOAS_ALLOC: ENOMEM");
    TAP_ERRNO(h_ioas_alloc(fd, &c), 0, "third IOAS_ALLOC succeeds");
    tap_ok(c == a + 1, "the injected failure allocated no id");
    h_hwpt_alloc(fd, dev, a, 0, &hwpt);
    TAP_ERRNO(h_attach(devfd, hwpt, false, 0, NULL), EIO,
              "first attach fails with errno 5 (given by number)");
    TAP_ERRNO(h_destroy(fd, hwpt), 0, "the failed attach took no reference");
    {
        struct iommu_hwpt_vtd_s1_invalidate inv[3] = { { 0 } };
        struct iommu_hwpt_invalidate cmd = {
            .size = sizeof(cmd),
            .hwpt_id = hwpt,
            .data_uptr = (uintptr_t)inv,
            .data_type = IOMMU_HWPT_INVALIDATE_DATA_VTD_S1,
            .entry_len = sizeof(inv[0]),
            .entry_num = 3,
        };

        tap_ok(ioctl(fd, IOMMU_HWPT_INVALIDATE, &cmd) < 0 && errno == EIO,
               "injected HWPT_INVALIDATE fails with EIO");
        tap_ok(cmd.entry_num == 0,
               "... and reports entry_num 0 (no entry handled), as the "
               "kernel writes it back on failure");
    }
    close(devfd);
    close(fd);
    return tap_done();
}
