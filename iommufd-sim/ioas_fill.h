/*
 * iommufd-sim: filling a new paging domain from an IOAS's areas
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef IOMMUFD_SIM_IOAS_FILL_H
#define IOMMUFD_SIM_IOAS_FILL_H

#include "objects.h"

/*
 * iopt_fill_domain(), area by area from the lowest IOVA: pinned (unless
 * a domain of this IOAS holds the pages already; a file's pages through
 * the file, memfd_pin_folios(), not the process), then mapped, which
 * __domain_mapping() refuses for a read-only area in a 6.12 nest parent.
 * 0, -EFAULT (a pin the kernel would refuse, user_pin.h), -EINVAL or
 * -ENOMEM.
 */
int sim_ioas_fill_domain(const struct sim_ioas *ioas,
                         const struct sim_domain_geometry *geo);

#endif /* IOMMUFD_SIM_IOAS_FILL_H */
