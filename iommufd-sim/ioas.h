/*
 * iommufd-sim: IO address spaces
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef IOMMUFD_SIM_IOAS_H
#define IOMMUFD_SIM_IOAS_H

#include <stdbool.h>
#include <stdint.h>

#include "objects.h"
#include "vtd_fs_walk.h"

/* x86 interrupt window, reserved in an IOAS while a device's RID uses it. */
#define SIM_MSI_WINDOW_FIRST 0xfee00000ULL
#define SIM_MSI_WINDOW_LAST  0xfeefffffULL

/* Where a DMA access lands in this process. */
struct sim_host_range {
    void *hva;              /* IOAS_MAP: memory of this process, or NULL */
    int file_fd;            /* IOAS_MAP_FILE: file and offset */
    uint64_t file_off;
    uint64_t len;           /* contiguous bytes available from addr */
    /*
     * A write the domain forces onto pages pinned read-only: the device
     * writes the page whatever the process's own mapping of it allows.
     */
    bool forced_write;
};

void sim_ioas_free(struct sim_ioas *ioas);

/*
 * A paging domain joins the IOAS (iopt_table_add_domain()): existing
 * mappings must be inside its aperture and aligned to its page size, and
 * no allowed range may lie outside the aperture (-EADDRINUSE).
 */
int sim_ioas_add_domain(struct sim_ioas *ioas,
                        const struct sim_domain_geometry *geo);
void sim_ioas_remove_domain(struct sim_ioas *ioas,
                            const struct sim_domain_geometry *geo);

/* A device RID attaches: reserves the MSI window (-EADDRINUSE if mapped). */
int sim_ioas_rid_attach(struct sim_ioas *ioas);
void sim_ioas_rid_detach(struct sim_ioas *ioas);

/*
 * iopt_reserve_iova() without owner (IOMMU_TEST_OP_ADD_RESERVED):
 * -EADDRINUSE over a mapping, -ENOMEM.
 */
int sim_ioas_add_test_reserved(struct sim_ioas *ioas, uint64_t first,
                               uint64_t last);

/*
 * Pins the kernel would hold on the user page at uaddr because of this
 * IOAS: the iopt_pages ids (distinct, at most max, stored in ids) of the
 * areas mapping that page, while a domain needs them pinned.  Returns how
 * many ids were added to ids[0..*n).
 */
void sim_ioas_page_pins(const struct sim_ioas *ioas, uint64_t uaddr,
                        uint64_t *ids, size_t *n, size_t max);

/*
 * IOAS_MAP of process memory at *iova (IOMMU_IOAS_MAP_FIXED_IOVA in
 * flags) or at an IOVA found and returned in *iova.  0 or -errno.
 */
int sim_ioas_map_user(struct sim_ioas *ioas, uint32_t flags, uint64_t *iova,
                      uint64_t uva, uint64_t length);

/*
 * Unmaps the whole areas inside [first, last] (iopt_unmap_iova_range()):
 * ENOENT at an area sticking out, areas below it already gone; nothing
 * mapped is success.  *unmapped: bytes unmapped.
 */
int sim_ioas_unmap(struct sim_ictx *ictx, struct sim_ioas *ioas,
                   uint64_t first, uint64_t last, uint64_t *unmapped);

/* iopt_cut_iova(): splits the areas holding iovas after them. */
int sim_ioas_cut(struct sim_ioas *ioas, const uint64_t *iovas, size_t n);

/* iopt_disable_large_pages() (IOMMU_OPTION_HUGE_PAGES = 0, VFIO TYPE1). */
int sim_ioas_disable_large_pages(struct sim_ioas *ioas);

/* The allowed IOVA ranges (the complement of the reserved ones),
 * ascending, into *out (to free); their count or -ENOMEM. */
long sim_ioas_allowed_ranges(const struct sim_ioas *ioas,
                             struct sim_iova_range **out);

/* The IOAS's IOVA alignment (iopt->iova_alignment). */
uint64_t sim_ioas_iova_alignment(const struct sim_ioas *ioas);

/*
 * An access joins or leaves the IOAS (iopt_add_access(), _remove_access()):
 * one that pins pages raises the IOVA alignment to PAGE_SIZE (EADDRINUSE
 * over misaligned areas).
 */
int sim_ioas_add_access(struct sim_ioas *ioas, struct sim_access *access);
void sim_ioas_remove_access(struct sim_ioas *ioas, struct sim_access *access);

/*
 * Stage-2 lookup of addr in @domain, a paging domain of the IOAS (its
 * IOPTEs hold the areas' permissions, except where it forces them
 * writeable): SIM_FAULT_NONE, _S2_MISS or _S2_PERM.
 */
enum sim_fault sim_ioas_translate(struct sim_ioas *ioas,
                                  const struct sim_domain_geometry *domain,
                                  uint64_t addr, bool write,
                                  struct sim_host_range *out);

/* Reads/writes len bytes at a translated range (pread/pwrite for files). */
bool sim_host_read(const struct sim_host_range *r, void *buf, uint64_t len);
bool sim_host_write(const struct sim_host_range *r, const void *buf,
                    uint64_t len);

#endif /* IOMMUFD_SIM_IOAS_H */
