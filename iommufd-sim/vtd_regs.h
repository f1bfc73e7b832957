/*
 * iommufd-sim: Intel VT-d capability register fields the simulator uses
 *
 * Bit positions from the VT-d specification, sections 11.4.2 (Capability
 * Register) and 11.4.3 (Extended Capability Register).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef IOMMUFD_SIM_VTD_REGS_H
#define IOMMUFD_SIM_VTD_REGS_H

#include <stdbool.h>
#include <stdint.h>

/* Capability Register */
#define VTD_CAP_ND(n)           ((uint64_t)(n) & 7)
#define VTD_CAP_CM              (1ULL << 7)
#define VTD_CAP_SAGAW_48        (1ULL << 10)    /* 4-level second stage */
#define VTD_CAP_SAGAW_57        (1ULL << 11)    /* 5-level second stage */
#define VTD_CAP_MGAW(aw)        ((uint64_t)((aw) - 1) << 16)
#define VTD_CAP_MGAW_OF(cap)    ((unsigned)(((cap) >> 16) & 0x3f) + 1)
#define VTD_CAP_FRO(off16)      ((uint64_t)(off16) << 24)
#define VTD_CAP_SLLPS_2M        (1ULL << 34)
#define VTD_CAP_SLLPS_1G        (1ULL << 35)
#define VTD_CAP_PSI             (1ULL << 39)
#define VTD_CAP_NFR(n)          ((uint64_t)((n) - 1) << 40)
#define VTD_CAP_MAMV(n)         ((uint64_t)(n) << 48)
#define VTD_CAP_DWD             (1ULL << 54)
#define VTD_CAP_DRD             (1ULL << 55)
#define VTD_CAP_FS1GP           (1ULL << 56)
#define VTD_CAP_PI              (1ULL << 59)
#define VTD_CAP_FS5LP           (1ULL << 60)
#define VTD_CAP_ESIRTPS         (1ULL << 62)
#define VTD_CAP_ESRTPS          (1ULL << 63)

/* Extended Capability Register */
#define VTD_ECAP_QI             (1ULL << 1)
#define VTD_ECAP_DT             (1ULL << 2)
#define VTD_ECAP_IR             (1ULL << 3)
#define VTD_ECAP_EIM            (1ULL << 4)
#define VTD_ECAP_PT             (1ULL << 6)
#define VTD_ECAP_SC             (1ULL << 7)
#define VTD_ECAP_IRO(off16)     ((uint64_t)(off16) << 8)
#define VTD_ECAP_MHMV(n)        ((uint64_t)(n) << 20)
#define VTD_ECAP_NEST           (1ULL << 26)
#define VTD_ECAP_PRS            (1ULL << 29)
#define VTD_ECAP_ERS            (1ULL << 30)
#define VTD_ECAP_SRS            (1ULL << 31)
#define VTD_ECAP_EAFS           (1ULL << 34)
#define VTD_ECAP_PSS(bits)      ((uint64_t)((bits) - 1) << 35)
#define VTD_ECAP_PSS_BITS(ecap) ((unsigned)(((ecap) >> 35) & 0x1f) + 1)
#define VTD_ECAP_PASID          (1ULL << 40)
#define VTD_ECAP_DIT            (1ULL << 41)
#define VTD_ECAP_SMTS           (1ULL << 43)
#define VTD_ECAP_SSADS          (1ULL << 45)    /* the kernel's ecap_slads() */
#define VTD_ECAP_SSTS           (1ULL << 46)
#define VTD_ECAP_FSTS           (1ULL << 47)
/* Scalable-mode page-walk coherency */
#define VTD_ECAP_SMPWC          (1ULL << 48)

/*
 * A nesting-capable scalable-mode host like a Sapphire Rapids server: first
 * and second stage, nesting, 20-bit PASIDs, 4- and 5-level tables, 1G pages
 * in both stages.  No second-stage A/D (so no dirty tracking) and no EAFS,
 * as on the parts the kernel's nesting support was developed on.
 */
#define VTD_SIM_DEFAULT_CAP \
    (VTD_CAP_ND(2) | VTD_CAP_SAGAW_48 | VTD_CAP_SAGAW_57 | VTD_CAP_MGAW(57) | \
     VTD_CAP_FRO(0x40) | VTD_CAP_SLLPS_2M | VTD_CAP_SLLPS_1G | VTD_CAP_PSI | \
     VTD_CAP_NFR(8) | VTD_CAP_MAMV(18) | VTD_CAP_DWD | VTD_CAP_DRD | \
     VTD_CAP_FS1GP | VTD_CAP_PI | VTD_CAP_FS5LP | VTD_CAP_ESIRTPS | \
     VTD_CAP_ESRTPS)

#define VTD_SIM_DEFAULT_ECAP \
    (VTD_ECAP_QI | VTD_ECAP_DT | VTD_ECAP_IR | VTD_ECAP_EIM | VTD_ECAP_PT | \
     VTD_ECAP_SC | VTD_ECAP_IRO(0x50) | VTD_ECAP_MHMV(15) | VTD_ECAP_NEST | \
     VTD_ECAP_PRS | VTD_ECAP_SRS | VTD_ECAP_PSS(20) | VTD_ECAP_PASID | \
     VTD_ECAP_DIT | VTD_ECAP_SMTS | VTD_ECAP_SSTS | VTD_ECAP_FSTS)

/*
 * Whether the IOMMU can track dirty pages: the Intel driver's
 * ssads_supported() (scalable mode, second-stage A/D bits and page-walk
 * coherency of scalable-mode structures), which
 * intel_iommu_capable(IOMMU_CAP_DIRTY_TRACKING) answers.  It decides both
 * GET_HW_INFO's IOMMU_HW_CAP_DIRTY_TRACKING (iommufd_get_hw_info()) and
 * whether HWPT_ALLOC takes IOMMU_HWPT_ALLOC_DIRTY_TRACKING
 * (iommufd_hwpt_paging_alloc(), intel_iommu_domain_alloc_user()).
 */
static inline bool vtd_ssads_supported(uint64_t ecap)
{
    return (ecap & VTD_ECAP_SMTS) && (ecap & VTD_ECAP_SSADS) &&
           (ecap & VTD_ECAP_SMPWC);
}

#endif /* IOMMUFD_SIM_VTD_REGS_H */
