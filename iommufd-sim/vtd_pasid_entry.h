/*
 * iommufd-sim: the first-stage fields of a nested VT-d PASID table entry
 *
 * What hardware walks for a nested VTD_S1 HWPT is not iommu_hwpt_vtd_s1
 * but the scalable-mode PASID table entry the Intel driver builds from it
 * (intel_pasid_setup_nested()).  That driver checks only the struct's
 * flags and addr_width, and ORs pgtbl_addr into the entry unmasked, so a
 * caller's table address can set first-stage controls or reserved bits
 * the flags never asked for.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef IOMMUFD_SIM_VTD_PASID_ENTRY_H
#define IOMMUFD_SIM_VTD_PASID_ENTRY_H

#include <stdbool.h>
#include <stdint.h>

#include <linux/iommufd.h>

/* Qword 2 of the entry (bits 191:128) as the walk reads it. */
struct sim_vtd_fs_entry {
    /*
     * False if a reserved bit is set or a control the host lacks is
     * enabled (VT-d spec: a PASID-entry fault on every request using it).
     */
    bool valid;
    uint64_t fsptptr;      /* FSPTPTR, bits 63:12: GPA of the top table */
    uint32_t addr_width;   /* FSPM 0: 48 (4 levels), 1: 57 (5 levels) */
    uint64_t vtd_flags;    /* SRE, WPE, EAFE set in it, as IOMMU_VTD_S1_* */
};

/*
 * The entry intel_pasid_setup_nested() writes for @s1 (which passed its
 * addr_width/SRE/EAFE checks), decoded against the host's @cap and @ecap.
 */
void sim_vtd_nested_fs_entry(const struct iommu_hwpt_vtd_s1 *s1, uint64_t cap,
                             uint64_t ecap, struct sim_vtd_fs_entry *out);

#endif /* IOMMUFD_SIM_VTD_PASID_ENTRY_H */
