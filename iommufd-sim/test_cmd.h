/*
 * iommufd-sim: IOMMU_TEST_CMD, the kernel's test-only iommufd ioctl
 *
 * A kernel built with CONFIG_IOMMUFD_TEST answers IOMMU_TEST_CMD
 * (drivers/iommu/iommufd/selftest.c, iommufd_test()); its own selftest
 * (tools/testing/selftests/iommu) cannot run without it.  The simulator
 * offers it only when IOMMUFD_SIM_TEST_CMD=1, as a distribution kernel
 * (which lacks it) answers ENOTTY.  The layout below is the ABI of
 * drivers/iommu/iommufd/iommufd_test.h, written for the operations the
 * simulator models.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef IOMMUFD_SIM_TEST_CMD_H
#define IOMMUFD_SIM_TEST_CMD_H

#include <stdint.h>

#include <linux/iommufd.h>

#define SIM_IOMMU_TEST_CMD _IO(IOMMUFD_TYPE, IOMMUFD_CMD_BASE + 32)

enum sim_test_op {
    SIM_TEST_OP_ADD_RESERVED = 1,
    SIM_TEST_OP_MOCK_DOMAIN = 2,
    SIM_TEST_OP_MD_CHECK_MAP = 3,
    SIM_TEST_OP_MD_CHECK_REFS = 4,
    SIM_TEST_OP_CREATE_ACCESS = 5,
    SIM_TEST_OP_DESTROY_ACCESS_PAGES = 6,
    SIM_TEST_OP_ACCESS_PAGES = 7,
    SIM_TEST_OP_ACCESS_RW = 8,
    SIM_TEST_OP_SET_TEMP_MEMORY_LIMIT = 9,
    SIM_TEST_OP_MOCK_DOMAIN_REPLACE = 10,
    SIM_TEST_OP_ACCESS_REPLACE_IOAS = 11,
    SIM_TEST_OP_MOCK_DOMAIN_FLAGS = 12,
    SIM_TEST_OP_DIRTY = 13,
    SIM_TEST_OP_MD_CHECK_IOTLB = 14,
};

/* Mock device flags (mock_domain_flags.dev_flags). */
#define SIM_MOCK_DEVICE_NO_DIRTY (1u << 0)
#define SIM_MOCK_DEVICE_HUGE_IOVA (1u << 1)
#define SIM_MOCK_DEVICE_PASID (1u << 2)     /* since Linux 6.15 */

struct sim_test_cmd {
    uint32_t size;
    uint32_t op;
    uint32_t id;
    uint32_t reserved;
    union {
        struct {
            uint64_t start;
            uint64_t length;
        } add_reserved;
        struct {
            uint32_t out_stdev_id;
            uint32_t out_hwpt_id;
            uint32_t out_idev_id;
            uint32_t dev_flags;
        } mock_domain_flags;
        struct {
            uint32_t pt_id;
        } mock_domain_replace;
        struct {
            uint64_t iova;
            uint64_t length;
            uint64_t uptr;
        } check_map;
        struct {
            uint64_t length;
            uint64_t uptr;
            uint32_t refs;
        } check_refs;
        struct {
            uint32_t out_access_fd;
            uint32_t flags;
        } create_access;
        struct {
            uint32_t access_pages_id;
        } destroy_access_pages;
        struct {
            uint32_t flags;
            uint32_t out_access_pages_id;
            uint64_t iova;
            uint64_t length;
            uint64_t uptr;
        } access_pages;
        struct {
            uint64_t iova;
            uint64_t length;
            uint64_t uptr;
            uint32_t flags;
        } access_rw;
        struct {
            uint32_t limit;
        } memory_limit;
        struct {
            uint32_t ioas_id;
        } access_replace_ioas;
        struct {
            uint32_t flags;
            uint64_t iova;
            uint64_t length;
            uint64_t page_size;
            uint64_t uptr;
            uint64_t out_nr_dirty;
        } dirty;
        struct {
            uint32_t id;
            uint32_t iotlb;
        } check_iotlb;
        /* The largest member, iommufd_test.h's "dirty": 48 bytes. */
        uint64_t layout[6];
    };
    uint32_t last;
};

_Static_assert(sizeof(struct sim_test_cmd) == 72,
               "struct iommu_test_cmd is 72 bytes");

#endif /* IOMMUFD_SIM_TEST_CMD_H */
