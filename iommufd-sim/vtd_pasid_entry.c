/*
 * iommufd-sim: the first-stage fields of a nested VT-d PASID table entry
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "vtd_pasid_entry.h"
#include "vtd_regs.h"

/* Qword 2 of a scalable-mode PASID table entry (the kernel's pasid.h). */
#define PE2_SRE         (1ULL << 0)     /* bit 128 */
#define PE2_ERE         (1ULL << 1)     /* bit 129 */
#define PE2_FSPM_SHIFT  2               /* bits 131:130 */
#define PE2_FSPM        (3ULL << PE2_FSPM_SHIFT)
#define PE2_WPE         (1ULL << 4)     /* bit 132 */
#define PE2_EAFE        (1ULL << 7)     /* bit 135 */
#define PE2_RSVD        (0xfULL << 8)   /* bits 139:136 */
#define PE2_FSPTPTR     (~0xfffULL)     /* bits 191:140, VTD_PAGE_MASK */

/*
 * intel_pasid_setup_nested(): the entry is cleared, FLPM set for a
 * 57-bit table (pasid_set_flpm()), then pasid_set_flptr() stores
 * pgtbl_addr with pasid_set_bits(&pe->val[2], VTD_PAGE_MASK, value),
 * which writes (old & ~mask) | value: value is not masked, so its bits
 * 11:0 are ORed into the controls.  SRE (WPE only with it) and EAFE
 * follow from the flags.
 */
static uint64_t nested_qword2(const struct iommu_hwpt_vtd_s1 *s1)
{
    uint64_t qw2 = 0;

    if (s1->addr_width == 57) {
        qw2 |= 1ULL << PE2_FSPM_SHIFT;
    }
    qw2 = (qw2 & ~PE2_FSPTPTR) | s1->pgtbl_addr;
    if (s1->flags & IOMMU_VTD_S1_SRE) {
        qw2 |= PE2_SRE;
        if (s1->flags & IOMMU_VTD_S1_WPE) {
            qw2 |= PE2_WPE;
        }
    }
    if (s1->flags & IOMMU_VTD_S1_EAFE) {
        qw2 |= PE2_EAFE;
    }
    return qw2;
}

void sim_vtd_nested_fs_entry(const struct iommu_hwpt_vtd_s1 *s1, uint64_t cap,
                             uint64_t ecap, struct sim_vtd_fs_entry *out)
{
    uint64_t qw2 = nested_qword2(s1);
    unsigned fspm = (qw2 & PE2_FSPM) >> PE2_FSPM_SHIFT;

    /*
     * Reserved: bits 139:136; ERE without ECAP.ERS; FSPM values other
     * than 4- and 5-level, the latter only with CAP.FS5LP; SRE without
     * ECAP.SRS and EAFE without ECAP.EAFS (the controls the driver
     * refuses in the flags, set here through pgtbl_addr).  Bits 134:133
     * are not reserved (nor in QEMU's model of the entry,
     * VTD_SM_PASID_ENTRY_RSVD_VAL2); they cannot affect the user,
     * non-execute requests the simulated device makes.
     */
    out->valid = !(qw2 & PE2_RSVD) &&
                 !((qw2 & PE2_ERE) && !(ecap & VTD_ECAP_ERS)) &&
                 fspm <= 1 && !(fspm == 1 && !(cap & VTD_CAP_FS5LP)) &&
                 !((qw2 & PE2_SRE) && !(ecap & VTD_ECAP_SRS)) &&
                 !((qw2 & PE2_EAFE) && !(ecap & VTD_ECAP_EAFS));
    /*
     * Every bit above 11 is the pointer: one past the second stage's
     * aperture makes the table fetch fault in stage 2.
     */
    out->fsptptr = qw2 & PE2_FSPTPTR;
    out->addr_width = fspm == 1 ? 57 : 48;
    out->vtd_flags = (qw2 & PE2_SRE ? IOMMU_VTD_S1_SRE : 0) |
                     (qw2 & PE2_WPE ? IOMMU_VTD_S1_WPE : 0) |
                     (qw2 & PE2_EAFE ? IOMMU_VTD_S1_EAFE : 0);
}
