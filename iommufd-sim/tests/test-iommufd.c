/*
 * iommufd-sim tests: the iommufd object model through ioctl()
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "sim-helpers.h"
#include "tap.h"
#include "vtd_regs.h"

static void *buf;
#define BUF_SIZE (64 * 4096)

static void test_ids(int fd, uint32_t dev)
{
    uint32_t a, b, c;

    h_ioas_alloc(fd, &a);
    h_ioas_alloc(fd, &b);
    tap_ok(dev == 1 && a == 2 && b == 3, "ids start at 1: dev %u, ioas %u %u",
           dev, a, b);
    TAP_ERRNO(h_destroy(fd, a), 0, "destroy an idle IOAS");
    h_ioas_alloc(fd, &c);
    tap_ok(c == a, "the lowest free id is reused (%u)", c);
    TAP_ERRNO(h_destroy(fd, 99), ENOENT, "destroy of an unknown id: ENOENT");
    TAP_ERRNO(h_destroy(fd, dev), EBUSY, "destroy of a bound device: EBUSY");
    h_destroy(fd, b);
    h_destroy(fd, c);
}

static void test_struct_size(int fd)
{
    struct {
        struct iommu_ioas_alloc cmd;
        uint32_t extra;
    } big = { { .size = sizeof(big) }, 1 };
    struct iommu_ioas_alloc small = { .size = 8 };

    TAP_ERRNO(ioctl(fd, IOMMU_IOAS_ALLOC, &big), E2BIG,
              "non-zero bytes past the known struct: E2BIG");
    big.extra = 0;
    TAP_ERRNO(ioctl(fd, IOMMU_IOAS_ALLOC, &big), 0,
              "zero bytes past the known struct are fine");
    h_destroy(fd, big.cmd.out_ioas_id);
    TAP_ERRNO(ioctl(fd, IOMMU_IOAS_ALLOC, &small), EINVAL,
              "size below the original struct: EINVAL");
    TAP_ERRNO(ioctl(fd, _IO(IOMMUFD_TYPE, 0xfe), &small), ENOTTY,
              "unknown ioctl: ENOTTY");
}

static void test_map_unmap(int fd)
{
    uint64_t unmapped = 0;
    uint32_t ioas;

    h_ioas_alloc(fd, &ioas);
    TAP_ERRNO(h_map(fd, ioas, buf, 4 * 4096, 0x10000, RW_FLAGS), 0, "map");
    TAP_ERRNO(h_map(fd, ioas, buf, 4096, 0x12000, RW_FLAGS), EEXIST,
              "map over an existing mapping: EEXIST");
    TAP_ERRNO(h_map(fd, ioas, buf, 4096, 0x20000,
                    IOMMU_IOAS_MAP_FIXED_IOVA), EINVAL,
              "map without READABLE/WRITEABLE: EINVAL");
    TAP_ERRNO(h_map(fd, ioas, buf, 4096, 0x20000, RW_FLAGS | 0x100),
              EOPNOTSUPP, "unknown map flag: EOPNOTSUPP");
    TAP_ERRNO(h_map(fd, 77, buf, 4096, 0x20000, RW_FLAGS), ENOENT,
              "map into an unknown IOAS: ENOENT");
    TAP_ERRNO(h_map(fd, ioas, buf, 0, 0x20000, RW_FLAGS), EINVAL,
              "zero-length map: EINVAL");
    TAP_ERRNO(h_map(fd, ioas, buf, 4096, 0x20000, RW_FLAGS), 0, "map 2");
    TAP_ERRNO(h_unmap(fd, ioas, 0x11000, 4096, NULL), ENOENT,
              "unmap splitting a mapping: ENOENT");
    TAP_ERRNO(h_unmap(fd, ioas, 0x30000, 4096, NULL), ENOENT,
              "unmap of nothing: ENOENT");
    TAP_ERRNO(h_unmap(fd, ioas, 0x10000, 4 * 4096, &unmapped), 0,
              "unmap a whole mapping");
    tap_ok(unmapped == 4 * 4096, "unmap reports the bytes unmapped");
    TAP_ERRNO(h_unmap(fd, ioas, 0, UINT64_MAX, &unmapped), 0, "unmap all");
    tap_ok(unmapped == 4096, "unmap all reports what was left");
    TAP_ERRNO(h_unmap(fd, ioas, 0, UINT64_MAX, &unmapped), 0,
              "unmap all of an empty IOAS succeeds");
    {
        struct iommu_ioas_map cmd = {
            .size = sizeof(cmd), .ioas_id = ioas, .user_va = (uintptr_t)buf,
            .length = 8192, .flags = IOMMU_IOAS_MAP_READABLE,
        };

        /* iopt_alloc_iova(): from PAGE_SIZE up, aligned to the length's
         * power of two but not past the user address's alignment. */
        uint64_t align = 1ULL << __builtin_ctzll((uintptr_t)buf);
        uint64_t want = (4096 + (align > 8192 ? 8192 : align) - 1) &
                        ~((align > 8192 ? 8192 : align) - 1);

        TAP_ERRNO(ioctl(fd, IOMMU_IOAS_MAP, &cmd), 0, "map without FIXED_IOVA");
        tap_ok(cmd.iova == want, "allocated IOVA 0x%llx is 0x%llx "
               "(iopt_alloc_iova)", (unsigned long long)cmd.iova,
               (unsigned long long)want);
    }
    h_destroy(fd, ioas);
}

static void test_iova_ranges(int fd, int devfd, uint32_t dev)
{
    struct iommu_iova_range ranges[2];
    struct iommu_ioas_iova_ranges cmd = { .size = sizeof(cmd) };
    uint32_t ioas, hwpt;

    h_ioas_alloc(fd, &ioas);
    cmd.ioas_id = ioas;
    TAP_ERRNO(ioctl(fd, IOMMU_IOAS_IOVA_RANGES, &cmd), EMSGSIZE,
              "IOVA_RANGES with no room: EMSGSIZE");
    tap_ok(cmd.num_iovas == 1 && cmd.out_iova_alignment == 1,
           "an empty IOAS: one range, alignment 1");
    h_hwpt_alloc(fd, dev, ioas, 0, &hwpt);
    h_attach(devfd, hwpt, false, 0, NULL);
    cmd.num_iovas = 2;
    cmd.allowed_iovas = (uintptr_t)ranges;
    TAP_ERRNO(ioctl(fd, IOMMU_IOAS_IOVA_RANGES, &cmd), 0, "IOVA_RANGES");
    /* paging_domain_alloc(): a first-stage domain of the default 57-bit
     * host ends at 2^(gaw-1) - 1. */
    tap_ok(cmd.num_iovas == 2 && ranges[0].start == 0 &&
           ranges[0].last == 0xfedfffff && ranges[1].start == 0xfef00000 &&
           ranges[1].last == (1ULL << 56) - 1 &&
           cmd.out_iova_alignment == 4096,
           "attached: MSI window and aperture reserved, 4K alignment");
    TAP_ERRNO(h_map(fd, ioas, buf, 4096, 0xfee00000, RW_FLAGS), EINVAL,
              "mapping the MSI window: EINVAL");
    TAP_ERRNO(h_map(fd, ioas, (char *)buf + 1, 4096, 0x1000, RW_FLAGS),
              EINVAL, "unaligned user address with a domain: EINVAL");
    TAP_ERRNO(h_destroy(fd, ioas), EBUSY, "destroy IOAS with a HWPT: EBUSY");
    TAP_ERRNO(h_destroy(fd, hwpt), EBUSY, "destroy attached HWPT: EBUSY");
    h_detach(devfd, false, 0);
    TAP_ERRNO(h_destroy(fd, hwpt), 0, "destroy detached HWPT");
    TAP_ERRNO(h_destroy(fd, ioas), 0, "destroy IOAS");
}

static void test_hwpt(int fd, uint32_t dev)
{
    uint32_t ioas, plain, parent, nested, none;
    struct iommu_hwpt_alloc cmd = { .size = sizeof(cmd), .dev_id = dev };

    h_ioas_alloc(fd, &ioas);
    TAP_ERRNO(h_hwpt_alloc(fd, dev, ioas, 0, &plain), 0, "paging HWPT");
    TAP_ERRNO(h_hwpt_alloc(fd, dev, ioas, IOMMU_HWPT_ALLOC_NEST_PARENT,
                           &parent), 0, "nesting parent HWPT");
    TAP_ERRNO(h_hwpt_alloc(fd, dev, ioas, 1u << 20, &none), EOPNOTSUPP,
              "unknown HWPT flag: EOPNOTSUPP");
    TAP_ERRNO(h_hwpt_alloc(fd, dev, ioas, IOMMU_HWPT_ALLOC_DIRTY_TRACKING,
                           &none), EOPNOTSUPP,
              "dirty tracking without SSADS: EOPNOTSUPP");
    TAP_ERRNO(h_hwpt_alloc(fd, 77, ioas, 0, &none), ENOENT,
              "unknown dev_id: ENOENT");
    TAP_ERRNO(h_hwpt_alloc(fd, ioas, ioas, 0, &none), ENOENT,
              "dev_id naming an IOAS: ENOENT");
    TAP_ERRNO(h_hwpt_alloc(fd, dev, dev, 0, &none), EINVAL,
              "pt_id naming a device: EINVAL");
    TAP_ERRNO(h_hwpt_nested(fd, dev, plain, 0, 0x1000, 48, &none), EINVAL,
              "nested on a parent without NEST_PARENT: EINVAL");
    /* intel_nested_domain_alloc() does not look at the alignment. */
    TAP_ERRNO(h_hwpt_nested(fd, dev, parent, 0, 0x1001, 48, &none), 0,
              "nested with a misaligned table: accepted");
    h_destroy(fd, none);
    TAP_ERRNO(h_hwpt_nested(fd, dev, parent, 0, 0x1000, 48, &nested), 0,
              "nested VTD_S1 HWPT");
    cmd.pt_id = parent;
    cmd.data_type = IOMMU_HWPT_DATA_VTD_S1;
    TAP_ERRNO(ioctl(fd, IOMMU_HWPT_ALLOC, &cmd), EINVAL,
              "VTD_S1 data type with no data: EINVAL");
    TAP_ERRNO(h_destroy(fd, parent), EBUSY, "destroy parent of nested: EBUSY");
    TAP_ERRNO(h_destroy(fd, nested), 0, "destroy nested");
    TAP_ERRNO(h_destroy(fd, parent), 0, "destroy parent after its child");
    h_destroy(fd, plain);
    h_destroy(fd, ioas);
}

static void test_hw_info(int fd, uint32_t dev)
{
    struct iommu_hw_info_vtd vtd;
    unsigned char big[40];
    struct iommu_hw_info cmd = { .size = sizeof(cmd), .dev_id = dev };

    TAP_ERRNO(ioctl(fd, IOMMU_GET_HW_INFO, &cmd), 0, "GET_HW_INFO, no data");
    tap_ok(cmd.data_len == sizeof(vtd) &&
           cmd.out_data_type == IOMMU_HW_INFO_TYPE_INTEL_VTD,
           "reports the VT-d data length and type");
    tap_ok(cmd.out_max_pasid_log2 == 20 &&
           (cmd.out_capabilities & IOMMU_HW_CAP_PCI_PASID_EXEC) &&
           !(cmd.out_capabilities & IOMMU_HW_CAP_DIRTY_TRACKING),
           "20-bit PASIDs with EXEC, no dirty tracking");
    memset(big, 0xaa, sizeof(big));
    cmd.data_len = sizeof(big);
    cmd.data_uptr = (uintptr_t)big;
    TAP_ERRNO(ioctl(fd, IOMMU_GET_HW_INFO, &cmd), 0, "GET_HW_INFO, 40 bytes");
    memcpy(&vtd, big, sizeof(vtd));
    tap_ok(vtd.cap_reg == VTD_SIM_DEFAULT_CAP &&
           vtd.ecap_reg == VTD_SIM_DEFAULT_ECAP && big[39] == 0 &&
           big[24] == 0 && cmd.data_len == sizeof(vtd),
           "cap/ecap copied, tail zeroed, kernel length reported");
    memset(big, 0xaa, sizeof(big));
    cmd.data_len = 4;
    TAP_ERRNO(ioctl(fd, IOMMU_GET_HW_INFO, &cmd), 0, "GET_HW_INFO, 4 bytes");
    tap_ok(big[4] == 0xaa && cmd.data_len == sizeof(vtd),
           "a short buffer is not overrun");
    cmd.flags = 1u << 5;
    TAP_ERRNO(ioctl(fd, IOMMU_GET_HW_INFO, &cmd), EOPNOTSUPP,
              "unknown GET_HW_INFO flag: EOPNOTSUPP");
}

static void test_invalidate(int fd, uint32_t dev)
{
    struct iommu_hwpt_vtd_s1_invalidate inv[3] = {
        { .addr = 0x1000, .npages = 1 },
        { .addr = 0x1001, .npages = 1 },
        { .addr = 0x2000, .npages = 1 },
    };
    struct iommu_hwpt_invalidate cmd = {
        .size = sizeof(cmd), .data_uptr = (uintptr_t)inv,
        .data_type = IOMMU_HWPT_INVALIDATE_DATA_VTD_S1,
        .entry_len = sizeof(inv[0]), .entry_num = 3,
    };
    uint32_t ioas, parent, nested;

    h_ioas_alloc(fd, &ioas);
    h_hwpt_alloc(fd, dev, ioas, IOMMU_HWPT_ALLOC_NEST_PARENT, &parent);
    h_hwpt_nested(fd, dev, parent, 0, 0x1000, 48, &nested);
    cmd.hwpt_id = nested;
    TAP_ERRNO(ioctl(fd, IOMMU_HWPT_INVALIDATE, &cmd), EINVAL,
              "invalidate with an unaligned entry: EINVAL");
    tap_ok(cmd.entry_num == 1, "entry_num reports the entries handled (%u)",
           cmd.entry_num);
    inv[1].addr = 0;
    inv[1].npages = UINT64_MAX;
    inv[2].flags = 2;
    cmd.entry_num = 3;
    TAP_ERRNO(ioctl(fd, IOMMU_HWPT_INVALIDATE, &cmd), EOPNOTSUPP,
              "invalidate with an unknown entry flag: EOPNOTSUPP");
    tap_ok(cmd.entry_num == 2, "two entries handled");
    cmd.entry_num = 0;
    cmd.data_uptr = 0;
    TAP_ERRNO(ioctl(fd, IOMMU_HWPT_INVALIDATE, &cmd), 0,
              "an empty array probes the data type");
    cmd.data_type = 7;
    TAP_ERRNO(ioctl(fd, IOMMU_HWPT_INVALIDATE, &cmd), EINVAL,
              "unknown data type: EINVAL");
    cmd.data_type = IOMMU_HWPT_INVALIDATE_DATA_VTD_S1;
    cmd.hwpt_id = parent;
    TAP_ERRNO(ioctl(fd, IOMMU_HWPT_INVALIDATE, &cmd), EINVAL,
              "invalidate a paging HWPT: EINVAL");
    cmd.hwpt_id = 99;
    TAP_ERRNO(ioctl(fd, IOMMU_HWPT_INVALIDATE, &cmd), ENOENT,
              "invalidate an unknown id: ENOENT");
    h_destroy(fd, nested);
    h_destroy(fd, parent);
    h_destroy(fd, ioas);
}

static void test_change_process_and_option(int fd)
{
    struct iommu_ioas_change_process cp = { .size = sizeof(cp) };
    struct iommu_option opt = {
        .size = sizeof(opt), .option_id = IOMMU_OPTION_HUGE_PAGES,
        .op = IOMMU_OPTION_OP_GET,
    };
    uint32_t ioas;

    TAP_ERRNO(ioctl(fd, IOMMU_IOAS_CHANGE_PROCESS, &cp), 0,
              "CHANGE_PROCESS with nothing mapped");
    h_ioas_alloc(fd, &ioas);
    h_map(fd, ioas, buf, 4096, 0, RW_FLAGS);
    TAP_ERRNO(ioctl(fd, IOMMU_IOAS_CHANGE_PROCESS, &cp), EINVAL,
              "CHANGE_PROCESS with a memory (non-file) mapping: EINVAL");
    opt.object_id = ioas;
    TAP_ERRNO(ioctl(fd, IOMMU_OPTION, &opt), 0, "OPTION get huge pages");
    tap_ok(opt.val64 == 1, "huge pages on by default");
    opt.option_id = IOMMU_OPTION_RLIMIT_MODE;
    opt.op = IOMMU_OPTION_OP_SET;
    opt.object_id = 0;
    TAP_ERRNO(ioctl(fd, IOMMU_OPTION, &opt), EBUSY,
              "RLIMIT_MODE set with objects alive: EBUSY");
    h_destroy(fd, ioas);
}

int main(void)
{
    int fd = h_open_iommufd(), devfd = h_open_dev(0), fd2;
    uint32_t dev, ioas;

    buf = mmap(NULL, BUF_SIZE, PROT_READ | PROT_WRITE,
               MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    tap_ok(fd >= 0 && devfd >= 0, "open /dev/iommu and vfio0");
    TAP_ERRNO(h_bind(devfd, fd, &dev), 0, "bind");
    test_ids(fd, dev);
    test_struct_size(fd);
    test_map_unmap(fd);
    test_iova_ranges(fd, devfd, dev);
    test_hwpt(fd, dev);
    test_hw_info(fd, dev);
    test_invalidate(fd, dev);
    test_change_process_and_option(fd);

    /* Closing an iommufd frees what it holds (ASan reports leaks). */
    fd2 = h_open_iommufd();
    h_ioas_alloc(fd2, &ioas);
    h_map(fd2, ioas, buf, 4096, 0, RW_FLAGS);
    TAP_ERRNO(close(fd2), 0, "close an iommufd holding an IOAS");
    close(devfd);
    close(fd);
    munmap(buf, BUF_SIZE);
    return tap_done();
}
