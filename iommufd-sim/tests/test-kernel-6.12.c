/*
 * iommufd-sim tests: the Linux 6.12 host profile (IOMMUFD_SIM_KERNEL=6.12)
 *
 * What Debian's 6.12.117 answers, each check naming the function of
 * linux-source-6.12 6.12.117-1~deb12u1 it mirrors.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <errno.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "sim-helpers.h"
#include "tap.h"

/* Before any bind: what a fresh device file answers. */
static void test_unbound(void)
{
    int devfd = h_open_dev(1);

    TAP_ERRNO(ioctl(devfd, _IO(VFIO_TYPE, VFIO_BASE + 60), NULL), EINVAL,
              "vfio_device_fops_unl_ioctl(): unknown ioctl before bind: "
              "EINVAL");
    close(devfd);
}

int main(void)
{
    int fd = h_open_iommufd(), devfd = h_open_dev(0);
    struct iommu_iova_range ranges[2];
    struct iommu_ioas_iova_ranges rcmd = {
        .size = sizeof(rcmd), .num_iovas = 2,
        .allowed_iovas = (uintptr_t)ranges,
    };
    struct iommu_hwpt_get_dirty_bitmap dirty = {
        .size = sizeof(dirty), .page_size = 4096,
    };
    struct iommu_hwpt_invalidate inv = {
        .size = sizeof(inv),
        .data_type = IOMMU_HWPT_INVALIDATE_DATA_VTD_S1,
    };
    struct iommu_ioas_change_process cp = { .size = sizeof(cp) };
    struct iommu_ioas_map_file mf = { .size = sizeof(mf) };
    struct iommu_hw_info info = { .size = sizeof(info) };
    struct vfio_device_detach_iommufd_pt detach = {
        .argsz = sizeof(detach), .flags = VFIO_DEVICE_DETACH_PASID,
    };
    uint32_t dev, ioas, hwpt, parent, nested;

    h_bind(devfd, fd, &dev);
    h_ioas_alloc(fd, &ioas);
    TAP_ERRNO(ioctl(fd, IOMMU_IOAS_CHANGE_PROCESS, &cp), ENOTTY,
              "no IOAS_CHANGE_PROCESS: ENOTTY");
    TAP_ERRNO(ioctl(fd, IOMMU_IOAS_MAP_FILE, &mf), ENOTTY,
              "no IOAS_MAP_FILE: ENOTTY");
    TAP_ERRNO(h_hwpt_alloc(fd, dev, ioas, IOMMU_HWPT_ALLOC_PASID, &hwpt),
              EOPNOTSUPP, "no IOMMU_HWPT_ALLOC_PASID: EOPNOTSUPP");
    TAP_ERRNO(h_hwpt_alloc(fd, dev, ioas, IOMMU_HWPT_FAULT_ID_VALID, &hwpt),
              EOPNOTSUPP, "iommufd_hwpt_paging_alloc(): FAULT_ID_VALID on a "
              "paging HWPT is not among 6.12's valid flags: EOPNOTSUPP");
    TAP_ERRNO(h_hwpt_alloc(fd, dev, ioas, 0, &hwpt), 0, "paging HWPT");
    TAP_ERRNO(h_attach(devfd, hwpt, true, 5, NULL), EINVAL,
              "no VFIO_DEVICE_ATTACH_PASID: EINVAL");
    TAP_ERRNO(ioctl(devfd, VFIO_DEVICE_DETACH_IOMMUFD_PT, &detach), EINVAL,
              "no VFIO_DEVICE_DETACH_PASID: EINVAL");
    TAP_ERRNO(h_attach(devfd, hwpt, false, 0, NULL), 0, "RID attach");
    rcmd.ioas_id = ioas;
    TAP_ERRNO(ioctl(fd, IOMMU_IOAS_IOVA_RANGES, &rcmd), 0, "IOVA_RANGES");
    tap_ok(rcmd.num_iovas == 2 && ranges[1].last == (1ULL << 57) - 1,
           "intel_iommu_domain_alloc_user(): a plain paging domain is "
           "second stage, its aperture ends at 2^gaw - 1 (57 bits)");
    inv.hwpt_id = hwpt;
    TAP_ERRNO(ioctl(fd, IOMMU_HWPT_INVALIDATE, &inv), ENOENT,
              "iommufd_hwpt_invalidate(): a paging HWPT is no nested HWPT: "
              "ENOENT");
    dirty.hwpt_id = hwpt;
    TAP_ERRNO(ioctl(fd, IOMMU_HWPT_GET_DIRTY_BITMAP, &dirty), EINVAL,
              "iommufd_check_iova_range(): GET_DIRTY_BITMAP of length 0: "
              "EINVAL");
    info.dev_id = dev;
    TAP_ERRNO(ioctl(fd, IOMMU_GET_HW_INFO, &info), 0, "GET_HW_INFO");
    tap_ok(info.out_max_pasid_log2 == 20 &&
           (info.out_capabilities & IOMMU_HW_CAP_PCI_PASID_EXEC) &&
           (info.out_capabilities & IOMMU_HW_CAP_PCI_PASID_PRIV),
           "iommufd_get_hw_info(): 6.12.117 reports the PASID width and "
           "capabilities (backported in 6.12.31)");
    info.flags = IOMMU_HW_INFO_FLAG_INPUT_TYPE;
    TAP_ERRNO(ioctl(fd, IOMMU_GET_HW_INFO, &info), EOPNOTSUPP,
              "no IOMMU_HW_INFO_FLAG_INPUT_TYPE: EOPNOTSUPP");
    h_hwpt_alloc(fd, dev, ioas, IOMMU_HWPT_ALLOC_NEST_PARENT, &parent);
    TAP_ERRNO(h_hwpt_nested(fd, dev, parent, 0, 0x1000, 48, &nested), 0,
              "nested VTD_S1 HWPTs exist");
    TAP_ERRNO(h_invalidate(fd, nested, 0, UINT64_MAX), 0,
              "HWPT_INVALIDATE exists");
    close(devfd);
    close(fd);
    test_unbound();
    return tap_done();
}
