/*
 * iommufd-sim: the mappings of one IOAS
 *
 * A sorted array of non-overlapping areas: lookup by address is a binary
 * search; insertion and removal move the tail, which is cheap for the
 * usual pattern of mapping guest RAM in ascending order.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef IOMMUFD_SIM_IOVA_MAP_H
#define IOMMUFD_SIM_IOVA_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sim_area {
    uint64_t iova;
    uint64_t last;          /* inclusive */
    uint64_t user_va;       /* IOAS_MAP: process address of iova */
    int file_fd;            /* IOAS_MAP_FILE: our own dup of the memfd, else -1 */
    uint64_t file_start;    /* file offset of iova */
    uint32_t prot;          /* IOMMU_IOAS_MAP_READABLE | _WRITEABLE */
    bool backing_writable;  /* the pinned pages were mapped writeable (a
                             * read-only copy of them stays writeable) */
    uint64_t pages_id;      /* the kernel's iopt_pages: one per IOAS_MAP,
                             * shared by IOAS_COPY; pins count once per id */
};

struct sim_iova_map {
    struct sim_area *areas;
    size_t num;
    size_t cap;
};

void sim_iova_map_init(struct sim_iova_map *m);
/* Frees the array; the caller has released the areas' files. */
void sim_iova_map_destroy(struct sim_iova_map *m);

/* Index of the first area whose last >= addr (num if none). */
size_t sim_iova_map_lower_bound(const struct sim_iova_map *m, uint64_t addr);
/* The area containing addr, or NULL. */
struct sim_area *sim_iova_map_find(const struct sim_iova_map *m,
                                   uint64_t addr);
/* The lowest area intersecting [first, last], or NULL. */
struct sim_area *sim_iova_map_first_in(const struct sim_iova_map *m,
                                       uint64_t first, uint64_t last);
/* Inserts a non-overlapping area; 0 or -ENOMEM. */
int sim_iova_map_insert(struct sim_iova_map *m, const struct sim_area *area);
/* Removes the area at index i. */
void sim_iova_map_remove(struct sim_iova_map *m, size_t i);

#endif /* IOMMUFD_SIM_IOVA_MAP_H */
