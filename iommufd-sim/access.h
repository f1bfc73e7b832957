/*
 * iommufd-sim: access objects of IOMMU_TEST_CMD
 *
 * An access is an in-kernel user of an IOAS that is no device: it pins
 * pages of the IOAS and reads or writes through it (mdev-like drivers do;
 * drivers/iommu/iommufd/device.c, iommufd_access_*()).  The selftest makes
 * them with IOMMU_TEST_OP_CREATE_ACCESS, each behind a file of its own
 * (selftest.c, iommufd_test_create_access()); closing the file destroys
 * the access.  The access is an object of the context and holds it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef IOMMUFD_SIM_ACCESS_H
#define IOMMUFD_SIM_ACCESS_H

#include <stdbool.h>
#include <stdint.h>

#include "objects.h"
#include "test_cmd.h"
#include "ucmd.h"

/* A range the selftest's access pinned (struct selftest_access_item). */
struct sim_access_item {
    uint64_t iova;
    uint64_t length;
    uint32_t id;
};

struct sim_access {
    struct sim_obj obj;         /* SIM_OBJ_ACCESS */
    struct sim_ictx *ictx;
    struct sim_ioas *ioas;      /* NULL once detached */
    bool needs_pin;             /* selftest_access_ops_pin */
    struct sim_access_item *items;
    size_t num_items;
    uint32_t next_id;
};

/* IOMMU_TEST_OP_CREATE_ACCESS, _ACCESS_REPLACE_IOAS, _ACCESS_PAGES,
 * _DESTROY_ACCESS_PAGES, _ACCESS_RW. */
int sim_access_create_cmd(struct sim_ucmd *u, struct sim_test_cmd *cmd);
int sim_access_replace_ioas_cmd(struct sim_ucmd *u, struct sim_test_cmd *cmd);
int sim_access_pages_cmd(struct sim_ucmd *u, struct sim_test_cmd *cmd);
int sim_access_destroy_pages_cmd(struct sim_ucmd *u, struct sim_test_cmd *cmd);
int sim_access_rw_cmd(struct sim_ucmd *u, struct sim_test_cmd *cmd);

/* The access file is closed (iommufd_test_staccess_release()). */
void sim_access_release(struct sim_access *access);

/*
 * iommufd_access_notify_unmap(): [iova, last] of ioas goes away; every
 * access drops the pinned items that meet it.
 */
void sim_access_notify_unmap(struct sim_ioas *ioas, uint64_t iova,
                             uint64_t last);

/* Whether an access of ioas has the IOVA pinned. */
bool sim_access_pinned(const struct sim_ioas *ioas, uint64_t iova);

#endif /* IOMMUFD_SIM_ACCESS_H */
