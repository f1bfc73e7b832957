/*
 * iommufd-sim: VFIO device ioctls other than bind and attach
 *
 * Region, interrupt and reset ioctls answer as vfio-pci does for a PCIe
 * function with one 4 KiB memory BAR, no ROM, no VGA, FLR, and MSI-X.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <errno.h>
#include <stddef.h>

#include <linux/vfio.h>

#include "vfio_device_info.h"

#define MINSZ(type, field) (offsetof(type, field) + sizeof(((type *)0)->field))
#define REGION_OFFSET(index) ((uint64_t)(index) << 40)

const char *sim_vdev_info_ioctl_name(unsigned long request)
{
    switch (request) {
    case VFIO_DEVICE_GET_INFO:
        return "GET_INFO";
    case VFIO_DEVICE_GET_REGION_INFO:
        return "GET_REGION_INFO";
    case VFIO_DEVICE_GET_IRQ_INFO:
        return "GET_IRQ_INFO";
    case VFIO_DEVICE_SET_IRQS:
        return "SET_IRQS";
    case VFIO_DEVICE_RESET:
        return "RESET";
    case VFIO_DEVICE_FEATURE:
        return "FEATURE";
    case VFIO_DEVICE_GET_PCI_HOT_RESET_INFO:
        return "GET_PCI_HOT_RESET_INFO";
    case VFIO_DEVICE_PCI_HOT_RESET:
        return "PCI_HOT_RESET";
    default:
        return NULL;
    }
}

static int get_info(struct vfio_device_info *info)
{
    if (info->argsz < MINSZ(struct vfio_device_info, num_irqs)) {
        return -EINVAL;
    }
    info->flags = VFIO_DEVICE_FLAGS_PCI | VFIO_DEVICE_FLAGS_RESET;
    info->num_regions = VFIO_PCI_NUM_REGIONS;
    info->num_irqs = VFIO_PCI_NUM_IRQS;
    if (info->argsz >= sizeof(*info)) {
        info->cap_offset = 0;
        info->pad = 0;
    }
    return 0;
}

static int get_region_info(struct vfio_region_info *info,
                           struct sim_log_rec *log)
{
    if (info->argsz < MINSZ(struct vfio_region_info, offset)) {
        return -EINVAL;
    }
    sim_log_u64(log, "index", info->index);
    info->cap_offset = 0;
    info->offset = REGION_OFFSET(info->index);
    switch (info->index) {
    case VFIO_PCI_CONFIG_REGION_INDEX:
        info->size = SIM_PCI_CONFIG_SIZE;
        info->flags = VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE;
        return 0;
    case VFIO_PCI_BAR0_REGION_INDEX:
        /* Not mmappable: register writes must trap to run the doorbell. */
        info->size = SIM_BAR0_SIZE;
        info->flags = VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE;
        return 0;
    case VFIO_PCI_BAR1_REGION_INDEX ... VFIO_PCI_BAR5_REGION_INDEX:
    case VFIO_PCI_ROM_REGION_INDEX:
        info->size = 0;
        info->flags = 0;
        return 0;
    default:
        /* No VGA and no device-specific regions. */
        return -EINVAL;
    }
}

static int get_irq_info(struct vfio_irq_info *info, struct sim_log_rec *log)
{
    if (info->argsz < MINSZ(struct vfio_irq_info, count)) {
        return -EINVAL;
    }
    sim_log_u64(log, "index", info->index);
    return sim_irqs_get_info(info);
}

static int set_irqs(struct sim_vdev *vdev, struct vfio_irq_set *hdr,
                    struct sim_log_rec *log)
{
    sim_log_u64(log, "index", hdr->index);
    sim_log_u64(log, "flags", hdr->flags);
    sim_log_u64(log, "start", hdr->start);
    sim_log_u64(log, "count", hdr->count);
    return sim_irqs_set(&vdev->irqs, hdr);
}

/* The feature framework's common checks (vfio_check_feature()). */
static int check_feature(uint32_t flags, uint32_t supported_ops)
{
    if ((flags & (VFIO_DEVICE_FEATURE_GET | VFIO_DEVICE_FEATURE_SET)) &
        ~supported_ops) {
        return -EINVAL;
    }
    if (flags & VFIO_DEVICE_FEATURE_PROBE) {
        return 0;
    }
    if (!(flags & (VFIO_DEVICE_FEATURE_GET | VFIO_DEVICE_FEATURE_SET))) {
        return -EINVAL;
    }
    return 1;
}

/*
 * A plain vfio-pci function: no migration driver, no dirty logging, not a
 * PF with a VF token (all ENOTTY); only the low-power features exist, and
 * entering low power is accepted without modelling D3.
 */
static int device_feature(struct vfio_device_feature *f,
                          struct sim_log_rec *log)
{
    uint32_t known = VFIO_DEVICE_FEATURE_MASK | VFIO_DEVICE_FEATURE_GET |
                     VFIO_DEVICE_FEATURE_SET | VFIO_DEVICE_FEATURE_PROBE;
    int ret;

    if (f->argsz < MINSZ(struct vfio_device_feature, flags)) {
        return -EINVAL;
    }
    sim_log_u64(log, "flags", f->flags);
    if (f->flags & ~known) {
        return -EINVAL;
    }
    if (!(f->flags & VFIO_DEVICE_FEATURE_PROBE) &&
        (f->flags & VFIO_DEVICE_FEATURE_SET) &&
        (f->flags & VFIO_DEVICE_FEATURE_GET)) {
        return -EINVAL;
    }
    switch (f->flags & VFIO_DEVICE_FEATURE_MASK) {
    case VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY:
    case VFIO_DEVICE_FEATURE_LOW_POWER_EXIT:
        ret = check_feature(f->flags, VFIO_DEVICE_FEATURE_SET);
        return ret > 0 ? 0 : ret;
    default:
        return -ENOTTY;
    }
}

static int hot_reset_info(struct vfio_pci_hot_reset_info *info)
{
    if (info->argsz < MINSZ(struct vfio_pci_hot_reset_info, count)) {
        return -EINVAL;
    }
    /* The simulated slot and bus cannot be reset. */
    return -ENODEV;
}

static int hot_reset(struct vfio_pci_hot_reset *reset)
{
    if (reset->argsz < MINSZ(struct vfio_pci_hot_reset, count) ||
        reset->flags) {
        return -EINVAL;
    }
    /* A cdev-opened device proves ownership by its iommufd, not by fds. */
    if (reset->count) {
        return -EINVAL;
    }
    return -ENODEV;
}

int sim_vdev_info_ioctl(struct sim_vdev *vdev, unsigned long request,
                        void *arg, struct sim_log_rec *log)
{
    switch (request) {
    case VFIO_DEVICE_GET_INFO:
        return get_info(arg);
    case VFIO_DEVICE_GET_REGION_INFO:
        return get_region_info(arg, log);
    case VFIO_DEVICE_GET_IRQ_INFO:
        return get_irq_info(arg, log);
    case VFIO_DEVICE_SET_IRQS:
        return set_irqs(vdev, arg, log);
    case VFIO_DEVICE_RESET:
        sim_vdev_reset(vdev);
        return 0;
    case VFIO_DEVICE_FEATURE:
        return device_feature(arg, log);
    case VFIO_DEVICE_GET_PCI_HOT_RESET_INFO:
        return hot_reset_info(arg);
    case VFIO_DEVICE_PCI_HOT_RESET:
        return hot_reset(arg);
    default:
        return -ENOTTY;
    }
}
