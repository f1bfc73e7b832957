/*
 * iommufd-sim: the selftest's mock IOMMU driver
 *
 * A kernel built with CONFIG_IOMMUFD_TEST carries a second IOMMU driver
 * next to the hardware one, for devices IOMMU_TEST_CMD creates
 * (drivers/iommu/iommufd/selftest.c, Linux 6.12): mock devices without
 * PCI config space or DMA, paging domains with 2 KiB pages and the
 * aperture [2^24, 2^31 - 1], nested domains of type
 * IOMMU_HWPT_DATA_SELFTEST holding a 4-entry mock IOTLB, dirty bits set
 * by the test itself.  The simulator models it, so that the kernel's
 * selftest can run; QEMU never meets it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef IOMMUFD_SIM_MOCK_IOMMU_H
#define IOMMUFD_SIM_MOCK_IOMMU_H

#include <stdbool.h>
#include <stdint.h>

#include "objects.h"
#include "test_cmd.h"
#include "ucmd.h"

#define SIM_MOCK_IO_PAGE_SIZE 2048ULL           /* PAGE_SIZE / 2 */
#define SIM_MOCK_HUGE_PAGE_SIZE (512 * SIM_MOCK_IO_PAGE_SIZE)
#define SIM_MOCK_IOTLB_NUM 4
#define SIM_MOCK_PASID_WIDTH 20

/* IOMMU_HWPT_DATA_SELFTEST and its invalidation type */
#define SIM_HWPT_DATA_SELFTEST 0xdead
#define SIM_HWPT_INVALIDATE_DATA_SELFTEST 0xdeadbeef
#define SIM_HW_INFO_TYPE_SELFTEST 0xfeedbeef

/* A mock domain's state (struct mock_iommu_domain, _nested). */
struct sim_mock_domain {
    bool dirty_ops;             /* paging, allocated with DIRTY_TRACKING */
    bool dirty_tracking;        /* MOCK_DIRTY_TRACK */
    bool huge;                  /* MOCK_HUGE_PAGE_SIZE in pgsize_bitmap */
    uint64_t *dirty;            /* bitmap of entries (IOVA / 2 KiB) that
                                 * carry the dirty bit, made at first use */
    uint32_t iotlb[SIM_MOCK_IOTLB_NUM];    /* nested */
};

/* IOMMU_TEST_OP_MOCK_DOMAIN{,_FLAGS,_REPLACE} and the selftest object. */
int sim_mock_domain_cmd(struct sim_ucmd *u, struct sim_test_cmd *cmd);
int sim_mock_domain_replace_cmd(struct sim_ucmd *u, struct sim_test_cmd *cmd);
void sim_mock_selftest_free(struct sim_obj *obj);

/* mock_domain_alloc_user() for a paging domain: its state and geometry. */
int sim_mock_paging_new(const struct sim_idev *idev, uint32_t flags,
                        struct sim_hwpt *hwpt);
/* ... for a nested domain on a mock parent. */
int sim_mock_nested_new(const struct iommu_hwpt_alloc *cmd,
                        struct sim_hwpt *hwpt);
void sim_mock_domain_free(struct sim_hwpt *hwpt);

/* mock_domain_nop_attach(): 0 or -EINVAL. */
int sim_mock_check_attach(const struct sim_idev *idev,
                          const struct sim_hwpt *hwpt);

/* mock_domain_hw_info() and mock_domain_capable() for GET_HW_INFO. */
void sim_mock_hw_info(const struct sim_idev *idev, void *data,
                      uint32_t *len, uint32_t *type, uint64_t *caps);

/* mock_domain_cache_invalidate_user(); *done: entries handled. */
int sim_mock_invalidate(struct sim_hwpt *hwpt,
                        const struct iommu_hwpt_invalidate *cmd,
                        uint32_t *done);

/* Dirty bits (mock_dirty.c): IOMMU_TEST_OP_DIRTY, SET_DIRTY_TRACKING,
 * GET_DIRTY_BITMAP of a mock paging HWPT, and what an unmap drops. */
int sim_mock_dirty_cmd(struct sim_ucmd *u, struct sim_test_cmd *cmd);
void sim_mock_set_dirty_tracking(struct sim_hwpt *hwpt, bool enable);
int sim_mock_read_dirty(struct sim_hwpt *hwpt,
                        const struct iommu_hwpt_get_dirty_bitmap *cmd);
void sim_mock_unmapped(struct sim_ictx *ictx, const struct sim_ioas *ioas,
                       uint64_t first, uint64_t last);

/* IOMMU_TEST_OP_MD_CHECK_MAP and _MD_CHECK_IOTLB. */
int sim_mock_check_map_cmd(struct sim_ucmd *u, struct sim_test_cmd *cmd);
int sim_mock_check_iotlb_cmd(struct sim_ucmd *u, struct sim_test_cmd *cmd);

#endif /* IOMMUFD_SIM_MOCK_IOMMU_H */
