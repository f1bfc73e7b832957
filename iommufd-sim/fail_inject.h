/*
 * iommufd-sim: fault injection (IOMMUFD_SIM_FAIL)
 *
 * "OP:N:ERRNO[,OP:N:ERRNO...]" makes the Nth call (counting from 1) of the
 * operation named OP (as in the log's "op" field) fail with ERRNO, given
 * by name (ENOMEM) or number, before the call has any effect.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef IOMMUFD_SIM_FAIL_INJECT_H
#define IOMMUFD_SIM_FAIL_INJECT_H

#include <stdbool.h>

/* Parses spec; on error prints why to stderr and returns false. */
bool sim_fail_parse(const char *spec);

/* Counts a call of op; returns the errno to inject, or 0. */
int sim_fail_check(const char *op);

/* Frees the parsed rules. */
void sim_fail_reset(void);

/* errno by name ("ENOMEM") or number; false if neither. */
bool sim_errno_parse(const char *s, int *err);

#endif /* IOMMUFD_SIM_FAIL_INJECT_H */
