/*
 * iommufd-sim: whether the kernel could pin ranges of process memory
 *
 * iommufd pins process pages for a domain with pin_user_pages_fast(),
 * FOLL_LONGTERM and, for pages mapped writeable, FOLL_WRITE
 * (iommufd/pages.c: pfn_reader_user_init(), pfn_reader_user_pin()).
 * That fails with EFAULT where mm/gup.c's check_vma_flags() refuses the
 * mapping: no mapping at all, a write pin without VM_WRITE, a read pin
 * without VM_READ.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef IOMMUFD_SIM_USER_PIN_H
#define IOMMUFD_SIM_USER_PIN_H

#include <stdbool.h>
#include <stdint.h>

/* The process's mappings at one moment. */
struct sim_user_maps;

/* Reads them; 0, or -ENOMEM if that fails. */
int sim_user_maps_read(struct sim_user_maps **out);
void sim_user_maps_free(struct sim_user_maps *maps);

/*
 * 0 if every page of [uaddr, uaddr + len) could be pinned, for writing
 * if @write; -EFAULT if not.
 */
int sim_user_pin_check(const struct sim_user_maps *maps, uint64_t uaddr,
                       uint64_t len, bool write);

#endif /* IOMMUFD_SIM_USER_PIN_H */
