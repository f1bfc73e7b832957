/*
 * iommufd-sim tests: the host is as strict as a real one by default
 *
 * Run once per kernel profile (IOMMUFD_SIM_KERNEL).  Every Linux on Intel
 * reports erratum 772415_SPR17 (intel_iommu_hw_info()), and each kernel
 * treats a read-only mapping in a nesting parent its own way: 6.12 refuses
 * it (__domain_mapping(): EINVAL, so IOAS_MAP, IOAS_COPY and the
 * allocation of a parent over read-only areas fail), 7.1 maps it writeable
 * (PT_FEAT_VTDSS_FORCE_WRITEABLE), so the device can write what user space
 * mapped read-only.  A plain paging domain keeps read-only read-only.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "dma_engine.h"
#include "sim-helpers.h"
#include "tap.h"

#define PAGE        4096u
#define RW_IOVA     0x100000ULL
#define RO_IOVA     0x200000ULL
#define RO_FLAGS    (IOMMU_IOAS_MAP_READABLE | IOMMU_IOAS_MAP_FIXED_IOVA)

static void test_erratum_reported(int fd, uint32_t dev)
{
    struct iommu_hw_info_vtd vtd;
    struct iommu_hw_info info = {
        .size = sizeof(info), .dev_id = dev,
        .data_len = sizeof(vtd), .data_uptr = (uintptr_t)&vtd,
    };

    TAP_ERRNO(ioctl(fd, IOMMU_GET_HW_INFO, &info), 0, "GET_HW_INFO");
    tap_ok(info.out_data_type == IOMMU_HW_INFO_TYPE_INTEL_VTD &&
           (vtd.flags & IOMMU_HW_INFO_VTD_ERRATA_772415_SPR17),
           "intel_iommu_hw_info(): ERRATA_772415_SPR17 reported by default");
}

/* A plain (not nesting) domain: read-only is mapped and honoured. */
static void test_plain_domain(int fd, int devfd, uint32_t dev, uint8_t *ro)
{
    uint32_t ioas, hwpt;

    h_ioas_alloc(fd, &ioas);
    h_hwpt_alloc(fd, dev, ioas, 0, &hwpt);
    TAP_ERRNO(h_map(fd, ioas, ro, PAGE, RO_IOVA, RO_FLAGS), 0,
              "plain domain: read-only IOAS_MAP");
    h_attach(devfd, hwpt, false, 0, NULL);
    tap_ok(h_dma(devfd, false, 0, RO_IOVA, 4, SIM_DMA_DIR_TO_DEVICE) ==
           SIM_FAULT_NONE, "plain domain: the device reads read-only memory");
    tap_ok(h_dma(devfd, false, 0, RO_IOVA, 4, SIM_DMA_DIR_FROM_DEVICE) ==
           SIM_FAULT_S2_PERM && ro[0] == 0x5a,
           "plain domain: a write to read-only memory faults");
    h_detach(devfd, false, 0);
    h_destroy(fd, hwpt);
    h_destroy(fd, ioas);
}

/* Linux 6.12: a nesting parent and read-only areas exclude each other. */
static void test_parent_refuses(int fd, uint32_t dev, uint8_t *rw,
                                uint8_t *ro)
{
    struct iommu_ioas_copy copy = {
        .size = sizeof(copy), .flags = RO_FLAGS,
        .dst_iova = RO_IOVA, .length = PAGE, .src_iova = RW_IOVA,
    };
    uint32_t ioas, src, parent;
    uint64_t unmapped;

    h_ioas_alloc(fd, &ioas);
    TAP_ERRNO(h_map(fd, ioas, ro, PAGE, RO_IOVA, RO_FLAGS), 0,
              "6.12: read-only IOAS_MAP before any domain");
    TAP_ERRNO(h_hwpt_alloc(fd, dev, ioas, IOMMU_HWPT_ALLOC_NEST_PARENT,
                           &parent), EINVAL,
              "6.12: iopt_table_add_domain() of a nest parent over a "
              "read-only area: __domain_mapping() EINVAL");
    TAP_ERRNO(h_unmap(fd, ioas, RO_IOVA, PAGE, &unmapped), 0,
              "6.12: unmap the read-only area");
    TAP_ERRNO(h_hwpt_alloc(fd, dev, ioas, IOMMU_HWPT_ALLOC_NEST_PARENT,
                           &parent), 0, "6.12: nest parent on an IOAS "
              "without read-only areas");
    TAP_ERRNO(h_map(fd, ioas, ro, PAGE, RO_IOVA, RO_FLAGS), EINVAL,
              "6.12: read-only IOAS_MAP into a nest parent: EINVAL");
    TAP_ERRNO(h_map(fd, ioas, rw, PAGE, RW_IOVA, RW_FLAGS), 0,
              "6.12: a writeable IOAS_MAP into the nest parent");
    h_ioas_alloc(fd, &src);
    TAP_ERRNO(h_map(fd, src, rw, PAGE, RW_IOVA, RW_FLAGS), 0,
              "6.12: a source IOAS for IOAS_COPY");
    copy.src_ioas_id = src;
    copy.dst_ioas_id = ioas;
    TAP_ERRNO(ioctl(fd, IOMMU_IOAS_COPY, &copy), EINVAL,
              "6.12: read-only IOAS_COPY into a nest parent: EINVAL");
    TAP_ERRNO(h_unmap(fd, ioas, RO_IOVA, PAGE, &unmapped), ENOENT,
              "6.12: the refused calls left nothing mapped (UNMAP: ENOENT)");
    h_destroy(fd, parent);
    h_destroy(fd, src);
    h_destroy(fd, ioas);
}

/*
 * Linux 6.12: iopt_fill_domain() takes the areas from the lowest IOVA up
 * and pins each (pfn_reader_user_pin()) before mapping it: a read-only
 * area the pin refuses is EFAULT, not __domain_mapping()'s EINVAL, and a
 * read-only area below an area the pin refuses is EINVAL.
 */
static void test_pin_before_map(int fd, uint32_t dev, uint8_t *ro)
{
    uint8_t *none = mmap(NULL, PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
                         -1, 0);
    uint32_t ioas, parent;

    h_ioas_alloc(fd, &ioas);
    h_map(fd, ioas, none, PAGE, RO_IOVA, RO_FLAGS);
    TAP_ERRNO(h_hwpt_alloc(fd, dev, ioas, IOMMU_HWPT_ALLOC_NEST_PARENT,
                           &parent), EFAULT,
              "6.12: nest parent over a read-only area of PROT_NONE memory: "
              "the pin fails first, EFAULT");
    h_map(fd, ioas, ro, PAGE, RW_IOVA, RO_FLAGS);
    TAP_ERRNO(h_hwpt_alloc(fd, dev, ioas, IOMMU_HWPT_ALLOC_NEST_PARENT,
                           &parent), EINVAL,
              "6.12: ... with a pinnable read-only area below it, that one "
              "is mapped first: EINVAL");
    h_destroy(fd, ioas);
    munmap(none, PAGE);
}

/* Linux 7.1: read-only areas are writeable through a nesting parent. */
static void test_parent_forces_writeable(int fd, int devfd, uint32_t dev,
                                         uint8_t *ro)
{
    uint32_t ioas, parent, plain;

    h_ioas_alloc(fd, &ioas);
    TAP_ERRNO(h_hwpt_alloc(fd, dev, ioas, IOMMU_HWPT_ALLOC_NEST_PARENT,
                           &parent), 0, "7.1: nest parent");
    TAP_ERRNO(h_hwpt_alloc(fd, dev, ioas, 0, &plain), 0,
              "7.1: a plain domain on the same IOAS");
    TAP_ERRNO(h_map(fd, ioas, ro, PAGE, RO_IOVA, RO_FLAGS), 0,
              "7.1: read-only IOAS_MAP into a nest parent is accepted");
    h_attach(devfd, parent, false, 0, NULL);
    h_bar_write32(devfd, SIM_DMA_DATA_OFFSET, 0x11223344);
    tap_ok(h_dma(devfd, false, 0, RO_IOVA, 4, SIM_DMA_DIR_FROM_DEVICE) ==
           SIM_FAULT_NONE && ro[0] == 0x44,
           "7.1: the device writes a read-only area through the nest "
           "parent, even where the process may not");
    h_attach(devfd, plain, false, 0, NULL);
    tap_ok(h_dma(devfd, false, 0, RO_IOVA + 4, 4, SIM_DMA_DIR_FROM_DEVICE) ==
           SIM_FAULT_S2_PERM && ro[4] == 0x5a,
           "7.1: through the plain domain of the same IOAS it faults");
    h_detach(devfd, false, 0);
    h_destroy(fd, plain);
    h_destroy(fd, parent);
    h_destroy(fd, ioas);
}

int main(void)
{
    const char *kernel = getenv("IOMMUFD_SIM_KERNEL");
    bool v612 = kernel && !strcmp(kernel, "6.12");
    int fd = h_open_iommufd(), devfd = h_open_dev(0);
    uint8_t *rw = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    uint8_t *ro = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    uint32_t dev;

    memset(ro, 0x5a, PAGE);
    /* Like a guest ROM: the process itself may not write it. */
    mprotect(ro, PAGE, PROT_READ);
    h_bind(devfd, fd, &dev);
    h_enable_device(devfd);
    test_erratum_reported(fd, dev);
    test_plain_domain(fd, devfd, dev, ro);
    if (v612) {
        test_parent_refuses(fd, dev, rw, ro);
        test_pin_before_map(fd, dev, ro);
    } else {
        test_parent_forces_writeable(fd, devfd, dev, ro);
    }
    close(devfd);
    close(fd);
    munmap(rw, PAGE);
    munmap(ro, PAGE);
    return tap_done();
}
