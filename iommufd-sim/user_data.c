/*
 * iommufd-sim: driver data copied from the caller
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <errno.h>
#include <string.h>

#include "user_data.h"

int sim_copy_user_data(void *dst, size_t dst_size, size_t min_len,
                       const void *src, size_t src_size)
{
    if (src_size < min_len || src_size > dst_size) {
        return -EINVAL;
    }
    if (!src) {
        return -EFAULT;
    }
    memset(dst, 0, dst_size);
    memcpy(dst, src, src_size);
    return 0;
}
