/*
 * iommufd-sim: IOMMU_TEST_CMD operations
 *
 * Each operation mirrors the function of drivers/iommu/iommufd/selftest.c
 * (Linux 6.12) named above it.  What the kernel checks against its own
 * memory (page reference counts) the simulator checks against its own
 * model of that memory: the pins the kernel would hold.  The mock devices
 * and domains are mock_iommu.c's, the access objects access.c's.  IOPF is
 * not modelled: TRIGGER_IOPF answers EOPNOTSUPP, as the kernel does for
 * an operation it does not know.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <errno.h>
#include <stdint.h>

#include "access.h"
#include "ioas.h"
#include "mock_iommu.h"
#include "test_cmd.h"
#include "ucmd.h"

#define SIM_PAGE_SIZE 4096ULL
/* Distinct iopt_pages that can pin one page in a test: plenty. */
#define MAX_PINS 64

/* iommufd_test_add_reserved() */
static int add_reserved(struct sim_ucmd *u, struct sim_test_cmd *cmd)
{
    uint64_t start = cmd->add_reserved.start, len = cmd->add_reserved.length;
    struct sim_obj *obj;

    if (!len) {
        return -EINVAL;
    }
    if (start + (len - 1) < start) {
        return -EOVERFLOW;
    }
    obj = sim_obj_find(u->ictx, cmd->id, SIM_OBJ_IOAS);
    if (!obj) {
        return -ENOENT;
    }
    return sim_ioas_add_test_reserved(to_ioas(obj), start, start + len - 1);
}

/* How many pins the kernel would hold on the page at uaddr. */
static unsigned page_pins(uint64_t uaddr)
{
    uint64_t ids[MAX_PINS];
    size_t n = 0;

    for (struct sim_ictx *ictx = sim_ictx_all(); ictx; ictx = ictx->next) {
        for (uint32_t id = 1; id < ictx->objects.next; id++) {
            struct sim_obj *obj = sim_id_lookup(&ictx->objects, id);

            if (obj && obj->type == SIM_OBJ_IOAS) {
                sim_ioas_page_pins(to_ioas(obj), uaddr, ids, &n, MAX_PINS);
            }
        }
    }
    return n;
}

/*
 * iommufd_test_md_check_refs(): every page of the range must carry refs
 * pins (the kernel divides the page's count by GUP_PIN_COUNTING_BIAS),
 * else EIO.
 */
static int check_refs(struct sim_test_cmd *cmd)
{
    uint64_t uptr = cmd->check_refs.uptr, len = cmd->check_refs.length;

    if (len % SIM_PAGE_SIZE || uptr % SIM_PAGE_SIZE || uptr + len < uptr) {
        return -EINVAL;
    }
    for (uint64_t off = 0; off < len; off += SIM_PAGE_SIZE) {
        if (page_pins(uptr + off) != cmd->check_refs.refs) {
            return -EIO;
        }
    }
    return 0;
}

int sim_test_cmd_ioctl(struct sim_ucmd *u)
{
    struct sim_test_cmd *cmd = u->cmd;

    sim_log_u64(u->log, "op_code", cmd->op);
    sim_log_u64(u->log, "id", cmd->id);
    switch (cmd->op) {
    case SIM_TEST_OP_ADD_RESERVED:
        return add_reserved(u, cmd);
    case SIM_TEST_OP_MOCK_DOMAIN:
    case SIM_TEST_OP_MOCK_DOMAIN_FLAGS:
        return sim_mock_domain_cmd(u, cmd);
    case SIM_TEST_OP_MOCK_DOMAIN_REPLACE:
        return sim_mock_domain_replace_cmd(u, cmd);
    case SIM_TEST_OP_MD_CHECK_MAP:
        return sim_mock_check_map_cmd(u, cmd);
    case SIM_TEST_OP_CREATE_ACCESS:
        return sim_access_create_cmd(u, cmd);
    case SIM_TEST_OP_ACCESS_REPLACE_IOAS:
        return sim_access_replace_ioas_cmd(u, cmd);
    case SIM_TEST_OP_ACCESS_PAGES:
        return sim_access_pages_cmd(u, cmd);
    case SIM_TEST_OP_DESTROY_ACCESS_PAGES:
        return sim_access_destroy_pages_cmd(u, cmd);
    case SIM_TEST_OP_ACCESS_RW:
        return sim_access_rw_cmd(u, cmd);
    case SIM_TEST_OP_DIRTY:
        return sim_mock_dirty_cmd(u, cmd);
    case SIM_TEST_OP_MD_CHECK_IOTLB:
        return sim_mock_check_iotlb_cmd(u, cmd);
    case SIM_TEST_OP_MD_CHECK_REFS:
        return check_refs(cmd);
    case SIM_TEST_OP_SET_TEMP_MEMORY_LIMIT:
        /*
         * The limit sizes the kernel's page batches (_batch_init() needs
         * room for one element), which the simulator does not have: only
         * the check is left.
         */
        if (cmd->memory_limit.limit < sizeof(unsigned long) + sizeof(uint32_t)) {
            return -EINVAL;
        }
        return 0;
    default:
        return -EOPNOTSUPP;
    }
}
