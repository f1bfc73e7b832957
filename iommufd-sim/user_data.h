/*
 * iommufd-sim: driver data copied from the caller
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef IOMMUFD_SIM_USER_DATA_H
#define IOMMUFD_SIM_USER_DATA_H

#include <stddef.h>

/*
 * Copies one driver structure from the caller as the kernel's
 * __iommu_copy_struct_from_user() does: shorter than the struct's first
 * version (min_len) or longer than the kernel's struct is EINVAL -- even
 * with a zero tail, since the length is checked before
 * copy_struct_from_user() could accept one -- a NULL pointer EFAULT, and
 * a short one is zero-extended.
 */
int sim_copy_user_data(void *dst, size_t dst_size, size_t min_len,
                       const void *src, size_t src_size);

#endif /* IOMMUFD_SIM_USER_DATA_H */
