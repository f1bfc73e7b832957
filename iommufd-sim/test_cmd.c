/*
 * iommufd-sim: IOMMU_TEST_CMD operations
 *
 * Each operation mirrors the function of drivers/iommu/iommufd/selftest.c
 * (Linux 6.12) named above it.  What the kernel checks against its own
 * memory (page reference counts) the simulator checks against its own
 * model of that memory: the pins the kernel would hold.  The mock IOMMU
 * driver (mock domains and devices, access objects, dirty and IOTLB
 * checks, IOPF) is not modelled: past their argument checks those
 * operations answer EOPNOTSUPP, as the kernel does for an operation it
 * does not know.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <errno.h>
#include <stdint.h>

#include "config.h"
#include "ioas.h"
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

/*
 * iommufd_test_mock_domain(): the checks it makes before the mock driver
 * is involved -- mock_dev_create() refuses unknown device flags (EINVAL;
 * Linux 6.12 knows NO_DIRTY and HUGE_IOVA, later kernels PASID too) and
 * iommufd_device_attach() an id that is no IOAS or HWPT (ENOENT).  Past
 * them a mock device would be attached: not modelled, EOPNOTSUPP.
 */
static int mock_domain(struct sim_ucmd *u, struct sim_test_cmd *cmd)
{
    uint32_t known = SIM_MOCK_DEVICE_NO_DIRTY | SIM_MOCK_DEVICE_HUGE_IOVA;
    struct sim_obj *pt;

    if (sim_config.profile->mock_dev_pasid) {
        known |= SIM_MOCK_DEVICE_PASID;
    }
    if (cmd->op == SIM_TEST_OP_MOCK_DOMAIN_FLAGS &&
        (cmd->mock_domain_flags.dev_flags & ~known)) {
        return -EINVAL;
    }
    pt = sim_obj_find(u->ictx, cmd->id, SIM_OBJ_ANY);
    if (!pt || (pt->type != SIM_OBJ_IOAS && pt->type != SIM_OBJ_HWPT_PAGING &&
                pt->type != SIM_OBJ_HWPT_NESTED)) {
        return -ENOENT;
    }
    return -EOPNOTSUPP;
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
        return mock_domain(u, cmd);
    case SIM_TEST_OP_MOCK_DOMAIN_REPLACE:
        /*
         * iommufd_test_mock_domain_replace() looks the id up as a selftest
         * object; the simulator never creates one.
         */
        return -ENOENT;
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
