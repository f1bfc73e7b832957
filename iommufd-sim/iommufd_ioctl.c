/*
 * iommufd-sim: ioctls on a simulated /dev/iommu file
 *
 * Every command starts with its struct's size.  Like the kernel: a size
 * below the command's original struct is EINVAL; a larger one must be zero
 * past what the kernel knows (E2BIG); a shorter one is zero-extended.  What
 * goes back is cut to the caller's size.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "config.h"
#include "fail_inject.h"
#include "iommufd_ioctl.h"
#include "test_cmd.h"
#include "ucmd.h"
#include "vfio_device.h"
#include "vfio_compat.h"

#define MINSZ(type, field) (offsetof(type, field) + sizeof(((type *)0)->field))

struct iommufd_op {
    unsigned long request;
    const char *name;
    size_t size;                /* the struct in the uapi headers */
    size_t min_size;            /* the struct as first merged */
    int (*handler)(struct sim_ucmd *u);
    /* Offset of the profile flag saying the kernel has the ioctl, or 0. */
    size_t profile_flag;
};

static int destroy_ioctl(struct sim_ucmd *u)
{
    struct iommu_destroy *cmd = u->cmd;

    sim_log_u64(u->log, "id", cmd->id);
    return sim_obj_destroy_user(u->ictx, cmd->id);
}

#define OP(req, nm, type, first_last, fn, flag) \
    { req, nm, sizeof(type), MINSZ(type, first_last), fn, flag }
#define HAS(field) offsetof(struct sim_profile, field)

static const struct iommufd_op ops[] = {
    OP(IOMMU_DESTROY, "DESTROY", struct iommu_destroy, id, destroy_ioctl, 0),
    OP(IOMMU_IOAS_ALLOC, "IOAS_ALLOC", struct iommu_ioas_alloc, out_ioas_id,
       sim_ioas_alloc_ioctl, 0),
    OP(IOMMU_IOAS_IOVA_RANGES, "IOAS_IOVA_RANGES",
       struct iommu_ioas_iova_ranges, out_iova_alignment,
       sim_ioas_iova_ranges_ioctl, 0),
    OP(IOMMU_IOAS_ALLOW_IOVAS, "IOAS_ALLOW_IOVAS",
       struct iommu_ioas_allow_iovas, allowed_iovas,
       sim_ioas_allow_iovas_ioctl, 0),
    OP(IOMMU_IOAS_MAP, "IOAS_MAP", struct iommu_ioas_map, iova,
       sim_ioas_map_ioctl, 0),
    OP(IOMMU_IOAS_MAP_FILE, "IOAS_MAP_FILE", struct iommu_ioas_map_file, iova,
       sim_ioas_map_file_ioctl, HAS(ioas_map_file)),
    OP(IOMMU_IOAS_COPY, "IOAS_COPY", struct iommu_ioas_copy, src_iova,
       sim_ioas_copy_ioctl, 0),
    OP(IOMMU_IOAS_UNMAP, "IOAS_UNMAP", struct iommu_ioas_unmap, length,
       sim_ioas_unmap_ioctl, 0),
    OP(IOMMU_IOAS_CHANGE_PROCESS, "IOAS_CHANGE_PROCESS",
       struct iommu_ioas_change_process, __reserved,
       sim_ioas_change_process_ioctl, HAS(ioas_change_process)),
    OP(IOMMU_OPTION, "OPTION", struct iommu_option, val64, sim_option_ioctl,
       0),
    OP(IOMMU_VFIO_IOAS, "VFIO_IOAS", struct iommu_vfio_ioas, __reserved,
       sim_vfio_ioas_ioctl, 0),
    OP(IOMMU_HWPT_ALLOC, "HWPT_ALLOC", struct iommu_hwpt_alloc, __reserved,
       sim_hwpt_alloc_ioctl, 0),
    OP(IOMMU_GET_HW_INFO, "GET_HW_INFO", struct iommu_hw_info, __reserved,
       sim_get_hw_info_ioctl, 0),
    OP(IOMMU_HWPT_SET_DIRTY_TRACKING, "HWPT_SET_DIRTY_TRACKING",
       struct iommu_hwpt_set_dirty_tracking, __reserved,
       sim_hwpt_set_dirty_tracking_ioctl, 0),
    OP(IOMMU_HWPT_GET_DIRTY_BITMAP, "HWPT_GET_DIRTY_BITMAP",
       struct iommu_hwpt_get_dirty_bitmap, data,
       sim_hwpt_get_dirty_bitmap_ioctl, 0),
    OP(IOMMU_HWPT_INVALIDATE, "HWPT_INVALIDATE", struct iommu_hwpt_invalidate,
       __reserved, sim_hwpt_invalidate_ioctl, 0),
    OP(IOMMU_VIOMMU_ALLOC, "VIOMMU_ALLOC", struct iommu_viommu_alloc,
       data_uptr, sim_viommu_alloc_ioctl, HAS(viommu)),
    /* Only with IOMMUFD_SIM_TEST_CMD=1, see in_profile(). */
    OP(SIM_IOMMU_TEST_CMD, "TEST_CMD", struct sim_test_cmd, last,
       sim_test_cmd_ioctl, 0),
};

static const struct iommufd_op *find_op(unsigned long request)
{
    for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
        if (ops[i].request == request) {
            return &ops[i];
        }
    }
    return NULL;
}

static bool in_profile(const struct iommufd_op *op)
{
    if (op->request == SIM_IOMMU_TEST_CMD) {
        return sim_config.test_cmd;     /* CONFIG_IOMMUFD_TEST */
    }
    return !op->profile_flag ||
           *(const bool *)((const char *)sim_config.profile +
                           op->profile_flag);
}

static int run_op(const struct iommufd_op *op, struct sim_ictx *ictx,
                  void *arg, struct sim_log_rec *log)
{
    unsigned char buf[128] = { 0 };
    struct sim_ucmd u = { .ictx = ictx, .cmd = buf, .log = log };
    const unsigned char *user = arg;
    uint32_t user_size;
    int ret;

    if (!arg) {
        return -EFAULT;
    }
    memcpy(&user_size, arg, sizeof(user_size));
    if (user_size < op->min_size) {
        return -EINVAL;
    }
    for (size_t i = op->size; i < user_size; i++) {
        if (user[i]) {
            return -E2BIG;
        }
    }
    memcpy(buf, arg, user_size < op->size ? user_size : op->size);
    ret = op->handler(&u);
    if (u.respond) {
        memcpy(arg, buf, user_size < op->size ? user_size : op->size);
    }
    return ret;
}

int sim_iommufd_ioctl(struct sim_ictx *ictx, int fd, unsigned long request,
                      void *arg)
{
    const struct iommufd_op *op = find_op(request);
    struct sim_log_rec log;
    int ret, err;

    /* iommufd_fops_ioctl(): numbers outside iommufd's go to vfio_compat.c. */
    if (sim_vfio_compat_request(request)) {
        return sim_vfio_compat_ioctl(ictx, fd, request, arg);
    }
    /* The devices' free-running streams get in first (dma_stream.h) */
    sim_vdev_streams_pass();
    sim_log_begin(&log, op ? op->name : "UNKNOWN_IOCTL");
    sim_log_i64(&log, "fd", fd);
    sim_log_u64(&log, "ctx", ictx->serial);
    if (!op || !in_profile(op)) {
        /* Unknown here, or newer than the profile's kernel. */
        sim_log_u64(&log, "cmd", request);
        sim_log_end(&log, -ENOTTY);
        return -ENOTTY;
    }
    err = sim_fail_check(op->name);
    if (err) {
        sim_log_bool(&log, "injected", true);
        ret = -err;
        /*
         * An injected failure happens before any work; the kernel still
         * writes back how many invalidation entries it handled: none.
         */
        if (request == IOMMU_HWPT_INVALIDATE && arg) {
            ((struct iommu_hwpt_invalidate *)arg)->entry_num = 0;
        }
    } else {
        ret = run_op(op, ictx, arg, &log);
    }
    sim_log_end(&log, ret);
    return ret;
}
