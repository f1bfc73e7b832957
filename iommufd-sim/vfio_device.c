/*
 * iommufd-sim: the VFIO cdev of a simulated PCI device
 *
 * A device file grants nothing until it is bound to an iommufd: every
 * other ioctl, read or write before that fails with EINVAL, as in the
 * kernel.  Only one open file can bind a device at a time.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>

#include <linux/vfio.h>

#include "config.h"
#include "fail_inject.h"
#include "fd_table.h"
#include "idev.h"
#include "log.h"
#include "vfio_device.h"
#include "vfio_device_info.h"
#include "vtd_regs.h"

#define REGION_SHIFT 40
#define REGION_OFFSET_MASK ((1ULL << REGION_SHIFT) - 1)

static struct sim_vdev devices[SIM_MAX_DEVICES];
static bool devices_ready[SIM_MAX_DEVICES];

void sim_vdev_reset(struct sim_vdev *vdev)
{
    sim_dma_reset(&vdev->dma);
    sim_dma_stream_reset(&vdev->stream);
}

/* Where a request of the stream goes now (its thread holds the lock) */
static struct sim_hwpt *stream_resolve(void *opaque, bool witness,
                                       bool has_pasid, uint32_t pasid,
                                       bool *bus_master)
{
    struct sim_vdev *vdev = opaque;

    *bus_master = witness || sim_pci_bus_master(&vdev->cfg);
    if (!vdev->idev) {
        return NULL;
    }
    return witness ? sim_ictx_nest_parent(vdev->idev->ictx) :
                     sim_idev_attached(vdev->idev, has_pasid, pasid);
}

void sim_vdev_streams_pass(void)
{
    for (unsigned i = 0; i < SIM_MAX_DEVICES; i++) {
        if (devices_ready[i]) {
            sim_dma_stream_pass(&devices[i].stream);
        }
    }
}

struct sim_vdev *sim_vdev_get(unsigned index)
{
    struct sim_vdev *vdev;

    if (index >= sim_config.num_devices) {
        return NULL;
    }
    vdev = &devices[index];
    if (!devices_ready[index]) {
        vdev->index = index;
        vdev->bound_fd = -1;
        sim_pci_config_init(&vdev->cfg, sim_config.pasid_cap);
        sim_irqs_init(&vdev->irqs);
        sim_dma_stream_init(&vdev->stream, index, stream_resolve, vdev);
        sim_vdev_reset(vdev);
        devices_ready[index] = true;
    }
    return vdev;
}

void sim_vdev_close(struct sim_vdev *vdev, int fd)
{
    if (vdev->bound_fd != fd) {
        return;
    }
    /* The kernel tears interrupts down and resets the device on close. */
    sim_idev_unbind(vdev->idev);
    vdev->idev = NULL;
    vdev->bound_fd = -1;
    sim_irqs_release(&vdev->irqs);
    sim_vdev_reset(vdev);
}

/* What the host enabled: the device's PASID width, capped by the IOMMU. */
static void pasid_caps(struct sim_idev_pasid_caps *caps)
{
    uint16_t cap = sim_config.pasid_cap;
    unsigned width = SIM_PASID_CAP_WIDTH(cap);
    unsigned iommu = VTD_ECAP_PSS_BITS(sim_config.vtd_ecap);

    *caps = (struct sim_idev_pasid_caps) { 0 };
    if (!cap || !(sim_config.vtd_ecap & VTD_ECAP_PASID)) {
        return;
    }
    caps->max_pasid_log2 = width < iommu ? width : iommu;
    if (sim_config.max_pasid_log2 >= 0) {
        caps->max_pasid_log2 = sim_config.max_pasid_log2;
    }
    caps->exec = cap & SIM_PASID_CAP_EXEC;
    caps->priv = cap & SIM_PASID_CAP_PRIV;
}

static int bind_iommufd(struct sim_vdev *vdev, int fd,
                        struct vfio_device_bind_iommufd *user,
                        struct sim_log_rec *log)
{
    size_t minsz = offsetof(struct vfio_device_bind_iommufd, token_uuid_ptr);
    uint32_t valid = sim_config.profile->bind_token ?
                     VFIO_DEVICE_BIND_FLAG_TOKEN : 0;
    struct sim_idev_pasid_caps caps;
    struct sim_fd *ifd;
    int ret;

    sim_log_i64(log, "iommufd", user->iommufd);
    if (user->argsz < minsz || (user->flags & ~valid) || user->iommufd < 0) {
        return -EINVAL;
    }
    if ((user->flags & VFIO_DEVICE_BIND_FLAG_TOKEN) &&
        user->argsz < sizeof(*user)) {
        return -EINVAL;
    }
    /* One bind per device: the cdev path cannot share an open device. */
    if (vdev->bound_fd >= 0) {
        return -EINVAL;
    }
    ifd = sim_fd_lookup(user->iommufd);
    if (!ifd) {
        return fcntl(user->iommufd, F_GETFD) < 0 ? -EBADF : -EBADFD;
    }
    if (ifd->kind != SIM_FD_IOMMUFD) {
        return -EBADFD;
    }
    sim_log_u64(log, "ctx", ifd->ictx->serial);
    pasid_caps(&caps);
    ret = sim_idev_bind(ifd->ictx, &caps, &vdev->idev);
    if (ret) {
        return ret;
    }
    vdev->bound_fd = fd;
    user->out_devid = vdev->idev->obj.id;
    sim_log_u64(log, "id", user->out_devid);
    return 0;
}

static int attach_pt(struct sim_vdev *vdev,
                     struct vfio_device_attach_iommufd_pt *user,
                     struct sim_log_rec *log)
{
    size_t minsz = offsetof(struct vfio_device_attach_iommufd_pt, pasid);
    uint32_t valid = sim_config.profile->attach_pasid ?
                     VFIO_DEVICE_ATTACH_PASID : 0;
    bool has_pasid;
    uint32_t pt_id;
    int ret;

    if (user->argsz < minsz || (user->flags & ~valid)) {
        return -EINVAL;
    }
    has_pasid = user->flags & VFIO_DEVICE_ATTACH_PASID;
    if (has_pasid && user->argsz < sizeof(*user)) {
        return -EINVAL;
    }
    pt_id = user->pt_id;
    sim_log_u64(log, "pt_id", pt_id);
    if (has_pasid) {
        sim_log_u64(log, "pasid", user->pasid);
    }
    ret = sim_idev_attach(vdev->idev, has_pasid, user->pasid, &pt_id);
    if (ret) {
        return ret;
    }
    user->pt_id = pt_id;
    sim_log_u64(log, "out_pt_id", pt_id);
    return 0;
}

static int detach_pt(struct sim_vdev *vdev,
                     struct vfio_device_detach_iommufd_pt *user,
                     struct sim_log_rec *log)
{
    size_t minsz = offsetof(struct vfio_device_detach_iommufd_pt, pasid);
    uint32_t valid = sim_config.profile->attach_pasid ?
                     VFIO_DEVICE_DETACH_PASID : 0;
    bool has_pasid;

    if (user->argsz < minsz || (user->flags & ~valid)) {
        return -EINVAL;
    }
    has_pasid = user->flags & VFIO_DEVICE_DETACH_PASID;
    if (has_pasid && user->argsz < sizeof(*user)) {
        return -EINVAL;
    }
    if (has_pasid) {
        sim_log_u64(log, "pasid", user->pasid);
    }
    sim_idev_detach(vdev->idev, has_pasid, user->pasid);
    return 0;
}

static const char *ioctl_name(unsigned long request)
{
    switch (request) {
    case VFIO_DEVICE_BIND_IOMMUFD:
        return "BIND_IOMMUFD";
    case VFIO_DEVICE_ATTACH_IOMMUFD_PT:
        return "ATTACH_IOMMUFD_PT";
    case VFIO_DEVICE_DETACH_IOMMUFD_PT:
        return "DETACH_IOMMUFD_PT";
    default:
        return sim_vdev_info_ioctl_name(request);
    }
}

int sim_vdev_ioctl(struct sim_vdev *vdev, int fd, unsigned long request,
                   void *arg)
{
    const char *name = ioctl_name(request);
    struct sim_log_rec log;
    int ret, err;

    sim_log_begin(&log, name ? name : "UNKNOWN_IOCTL");
    sim_log_u64(&log, "dev", vdev->index);
    if (!name) {
        sim_log_u64(&log, "cmd", request);
    }
    err = name ? sim_fail_check(name) : 0;
    if (err) {
        sim_log_bool(&log, "injected", true);
        ret = -err;
    } else if (request == VFIO_DEVICE_BIND_IOMMUFD) {
        ret = arg ? bind_iommufd(vdev, fd, arg, &log) : -EFAULT;
    } else if (vdev->bound_fd != fd) {
        /*
         * vfio_device_fops_unl_ioctl(): access is not granted before bind,
         * which it checks before looking at the request: EINVAL, for an
         * unknown request too.
         */
        ret = -EINVAL;
    } else if (!name) {
        ret = -ENOTTY;
    } else if (!arg && request != VFIO_DEVICE_RESET) {
        ret = -EFAULT;
    } else if (request == VFIO_DEVICE_ATTACH_IOMMUFD_PT) {
        ret = attach_pt(vdev, arg, &log);
    } else if (request == VFIO_DEVICE_DETACH_IOMMUFD_PT) {
        ret = detach_pt(vdev, arg, &log);
    } else {
        ret = sim_vdev_info_ioctl(vdev, request, arg, &log);
    }
    sim_log_end(&log, ret);
    return ret;
}

static void log_config(const char *op, struct sim_vdev *vdev, uint64_t pos,
                       const void *buf, size_t count)
{
    struct sim_log_rec log;
    uint64_t val = 0;

    if (!sim_config.log_config) {
        return;
    }
    memcpy(&val, buf, count < sizeof(val) ? count : sizeof(val));
    sim_log_begin(&log, op);
    sim_log_u64(&log, "dev", vdev->index);
    sim_log_u64(&log, "offset", pos);
    sim_log_u64(&log, "length", count);
    sim_log_u64(&log, "value", val);
    sim_log_end(&log, 0);
}

/* Clips an access to a region of size; -EINVAL if it starts outside. */
static ssize_t clip(uint64_t pos, size_t count, uint64_t size)
{
    if (pos >= size) {
        return -EINVAL;
    }
    return count < size - pos ? count : size - pos;
}

static ssize_t region_rw(struct sim_vdev *vdev, int fd, void *buf,
                         size_t count, uint64_t offset, bool write)
{
    unsigned index = offset >> REGION_SHIFT;
    uint64_t pos = offset & REGION_OFFSET_MASK;
    ssize_t n;

    if (vdev->bound_fd != fd) {
        return -EINVAL;
    }
    if (index == VFIO_PCI_CONFIG_REGION_INDEX) {
        n = clip(pos, count, SIM_PCI_CONFIG_SIZE);
        if (n < 0) {
            return n;
        }
        if (!write) {
            sim_pci_config_read(&vdev->cfg, pos, buf, n);
            log_config("CONFIG_READ", vdev, pos, buf, n);
        } else {
            log_config("CONFIG_WRITE", vdev, pos, buf, n);
            if (sim_pci_config_write(&vdev->cfg, pos, buf, n)) {
                sim_vdev_reset(vdev);
            }
        }
        return n;
    }
    if (index != VFIO_PCI_BAR0_REGION_INDEX) {
        return -EINVAL;
    }
    n = clip(pos, count, SIM_BAR0_SIZE);
    if (n < 0) {
        return n;
    }
    /* vfio-pci refuses BAR access while memory decode is off. */
    if (!sim_pci_memory_enabled(&vdev->cfg)) {
        return -EIO;
    }
    if (pos >= SIM_DMA_STREAM_FIRST && pos <= SIM_DMA_STREAM_LAST) {
        /* the stream's registers: aligned 32-bit accesses only */
        uint32_t val = 0;

        if (n == sizeof(val) && !(pos & 3)) {
            if (write) {
                memcpy(&val, buf, sizeof(val));
                sim_dma_stream_reg_write(&vdev->stream, pos, val);
            } else {
                val = sim_dma_stream_reg_read(&vdev->stream, pos);
                memcpy(buf, &val, sizeof(val));
            }
        }
        return n;
    }
    if (!write) {
        sim_dma_mmio_read(&vdev->dma, pos, buf, n);
    } else if (sim_dma_mmio_write(&vdev->dma, pos, buf, n)) {
        struct sim_dma_engine *e = &vdev->dma;
        bool has_pasid = e->pasid & SIM_DMA_PASID_VALID;
        struct sim_hwpt *hwpt = sim_idev_attached(vdev->idev, has_pasid,
                                                  e->pasid & SIM_DMA_PASID_MASK);

        sim_dma_run(e, hwpt, sim_pci_bus_master(&vdev->cfg),
                    vdev->idev->pasid_priv, vdev->index);
        sim_irqs_raise_msix(&vdev->irqs, e->msix_vector);
    }
    return n;
}

ssize_t sim_vdev_pread(struct sim_vdev *vdev, int fd, void *buf, size_t count,
                       uint64_t offset)
{
    return region_rw(vdev, fd, buf, count, offset, false);
}

ssize_t sim_vdev_pwrite(struct sim_vdev *vdev, int fd, const void *buf,
                        size_t count, uint64_t offset)
{
    return region_rw(vdev, fd, (void *)buf, count, offset, true);
}
