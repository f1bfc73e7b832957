/*
 * iommufd-sim: interrupts of the simulated device (VFIO_DEVICE_*_IRQ*)
 *
 * Follows vfio-pci: one interrupt type (INTx, MSI or MSI-X) is enabled at
 * a time, enabling another needs the current one disabled first (EINVAL);
 * eventfds are referenced by the kernel, so the caller may close its fds.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "vfio_irqs.h"

#define IRQ_NONE (-1)

static const uint32_t irq_counts[VFIO_PCI_NUM_IRQS] = {
    [VFIO_PCI_INTX_IRQ_INDEX] = 1,
    [VFIO_PCI_MSI_IRQ_INDEX] = 0,       /* no MSI capability */
    [VFIO_PCI_MSIX_IRQ_INDEX] = SIM_MSIX_VECTORS,
    [VFIO_PCI_ERR_IRQ_INDEX] = 1,       /* PCIe device */
    [VFIO_PCI_REQ_IRQ_INDEX] = 1,
};

void sim_irqs_init(struct sim_vfio_irqs *irqs)
{
    irqs->type = IRQ_NONE;
    irqs->intx_fd = irqs->err_fd = irqs->req_fd = -1;
    for (unsigned v = 0; v < SIM_MSIX_VECTORS; v++) {
        irqs->msix_fds[v] = -1;
    }
    irqs->intx_masked = false;
}

static void put_fd(int *fd)
{
    if (*fd >= 0) {
        close(*fd);
        *fd = -1;
    }
}

static void disable_msix(struct sim_vfio_irqs *irqs)
{
    for (unsigned v = 0; v < SIM_MSIX_VECTORS; v++) {
        put_fd(&irqs->msix_fds[v]);
    }
    irqs->type = IRQ_NONE;
}

void sim_irqs_release(struct sim_vfio_irqs *irqs)
{
    disable_msix(irqs);
    put_fd(&irqs->intx_fd);
    put_fd(&irqs->err_fd);
    put_fd(&irqs->req_fd);
    sim_irqs_init(irqs);
}

int sim_irqs_get_info(struct vfio_irq_info *info)
{
    if (info->index >= VFIO_PCI_NUM_IRQS) {
        return -EINVAL;
    }
    info->flags = VFIO_IRQ_INFO_EVENTFD;
    info->count = irq_counts[info->index];
    if (info->index == VFIO_PCI_INTX_IRQ_INDEX) {
        info->flags |= VFIO_IRQ_INFO_MASKABLE | VFIO_IRQ_INFO_AUTOMASKED;
    } else if (info->index != VFIO_PCI_REQ_IRQ_INDEX) {
        info->flags |= VFIO_IRQ_INFO_NORESIZE;
    }
    return 0;
}

/* Takes our own reference to an eventfd: -EBADF, -EINVAL if not one. */
static int get_eventfd(int fd, int *out)
{
    char link[64], target[64];
    ssize_t n;

    snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
    n = readlink(link, target, sizeof(target) - 1);
    if (n < 0) {
        return -EBADF;
    }
    target[n] = '\0';
    if (strcmp(target, "anon_inode:[eventfd]")) {
        return -EINVAL;
    }
    *out = fcntl(fd, F_DUPFD_CLOEXEC, 0);
    return *out < 0 ? -errno : 0;
}

static void signal_fd(int fd)
{
    uint64_t one = 1;

    if (fd >= 0 && write(fd, &one, sizeof(one)) < 0) {
        return; /* a full eventfd counter already signals */
    }
}

static int set_intx(struct sim_vfio_irqs *irqs, uint32_t action,
                    uint32_t data_type, uint32_t start, uint32_t count,
                    const void *data)
{
    bool is_intx = irqs->type == VFIO_PCI_INTX_IRQ_INDEX;
    int fd, ret;

    if (action != VFIO_IRQ_SET_ACTION_TRIGGER) {
        if (!is_intx || start != 0 || count != 1) {
            return -EINVAL;
        }
        if (data_type == VFIO_IRQ_SET_DATA_EVENTFD) {
            /* Unmask through an irqfd: accepted, nothing to model. */
            return action == VFIO_IRQ_SET_ACTION_UNMASK ? 0 : -EINVAL;
        }
        if (data_type == VFIO_IRQ_SET_DATA_NONE || *(const uint8_t *)data) {
            irqs->intx_masked = action == VFIO_IRQ_SET_ACTION_MASK;
        }
        return 0;
    }
    if (is_intx && !count && data_type == VFIO_IRQ_SET_DATA_NONE) {
        put_fd(&irqs->intx_fd);
        irqs->type = IRQ_NONE;
        return 0;
    }
    if (!(is_intx || irqs->type == IRQ_NONE) || start != 0 || count != 1) {
        return -EINVAL;
    }
    if (data_type == VFIO_IRQ_SET_DATA_EVENTFD) {
        memcpy(&fd, data, sizeof(fd));
        put_fd(&irqs->intx_fd);
        if (fd >= 0) {
            ret = get_eventfd(fd, &irqs->intx_fd);
            if (ret) {
                return ret;
            }
        }
        irqs->type = VFIO_PCI_INTX_IRQ_INDEX;
        irqs->intx_masked = false;
        return 0;
    }
    if (!is_intx) {
        return -EINVAL;
    }
    if (data_type == VFIO_IRQ_SET_DATA_NONE || *(const uint8_t *)data) {
        signal_fd(irqs->intx_fd);
    }
    return 0;
}

static int set_msix(struct sim_vfio_irqs *irqs, uint32_t action,
                    uint32_t data_type, uint32_t start, uint32_t count,
                    const void *data)
{
    bool is_msix = irqs->type == VFIO_PCI_MSIX_IRQ_INDEX;

    if (action != VFIO_IRQ_SET_ACTION_TRIGGER) {
        return -ENOTTY;     /* vfio-pci cannot mask MSI-X vectors */
    }
    if (is_msix && !count && data_type == VFIO_IRQ_SET_DATA_NONE) {
        disable_msix(irqs);
        return 0;
    }
    if (!(is_msix || irqs->type == IRQ_NONE)) {
        return -EINVAL;
    }
    if (data_type == VFIO_IRQ_SET_DATA_EVENTFD) {
        int fds[SIM_MSIX_VECTORS];

        for (uint32_t i = 0; i < count; i++) {
            int fd, ret;

            memcpy(&fd, (const char *)data + i * sizeof(fd), sizeof(fd));
            fds[i] = -1;
            ret = fd >= 0 ? get_eventfd(fd, &fds[i]) : 0;
            if (ret) {
                while (i--) {
                    put_fd(&fds[i]);
                }
                if (!is_msix) {
                    irqs->type = IRQ_NONE;
                }
                return ret;
            }
        }
        for (uint32_t i = 0; i < count; i++) {
            put_fd(&irqs->msix_fds[start + i]);
            irqs->msix_fds[start + i] = fds[i];
        }
        irqs->type = VFIO_PCI_MSIX_IRQ_INDEX;
        return 0;
    }
    if (!is_msix) {
        return -EINVAL;
    }
    for (uint32_t i = 0; i < count; i++) {
        if (data_type == VFIO_IRQ_SET_DATA_NONE ||
            ((const uint8_t *)data)[i]) {
            signal_fd(irqs->msix_fds[start + i]);
        }
    }
    return 0;
}

static int set_single(int *slot, uint32_t data_type, uint32_t count,
                      const void *data)
{
    int fd;

    if (data_type == VFIO_IRQ_SET_DATA_NONE) {
        if (*slot >= 0) {
            if (count) {
                signal_fd(*slot);
            } else {
                put_fd(slot);
            }
            return 0;
        }
        return -EINVAL;
    }
    if (!count) {
        return -EINVAL;
    }
    if (data_type == VFIO_IRQ_SET_DATA_BOOL) {
        if (*(const uint8_t *)data) {
            signal_fd(*slot);
        }
        return 0;
    }
    memcpy(&fd, data, sizeof(fd));
    if (fd == -1) {
        put_fd(slot);
        return 0;
    }
    if (fd < 0) {
        return -EINVAL;
    }
    {
        int new_fd, ret = get_eventfd(fd, &new_fd);

        if (ret) {
            return ret;
        }
        put_fd(slot);
        *slot = new_fd;
    }
    return 0;
}

int sim_irqs_set(struct sim_vfio_irqs *irqs, const struct vfio_irq_set *hdr)
{
    size_t minsz = offsetof(struct vfio_irq_set, data);
    uint32_t data_type = hdr->flags & VFIO_IRQ_SET_DATA_TYPE_MASK;
    uint32_t action = hdr->flags & VFIO_IRQ_SET_ACTION_TYPE_MASK;
    uint32_t max, size;

    if (hdr->argsz < minsz || hdr->index >= VFIO_PCI_NUM_IRQS) {
        return -EINVAL;
    }
    max = irq_counts[hdr->index];
    if (hdr->count >= UINT32_MAX - hdr->start ||
        (hdr->flags & ~(VFIO_IRQ_SET_DATA_TYPE_MASK |
                        VFIO_IRQ_SET_ACTION_TYPE_MASK))) {
        return -EINVAL;
    }
    switch (data_type) {
    case VFIO_IRQ_SET_DATA_NONE:
        size = 0;
        break;
    case VFIO_IRQ_SET_DATA_BOOL:
        size = 1;
        break;
    case VFIO_IRQ_SET_DATA_EVENTFD:
        size = 4;
        break;
    default:
        return -EINVAL;
    }
    if (size && hdr->argsz - minsz < (uint64_t)hdr->count * size) {
        return -EINVAL;
    }
    if (hdr->start >= max || hdr->start + hdr->count > max) {
        return -EINVAL;
    }
    if (action != VFIO_IRQ_SET_ACTION_MASK &&
        action != VFIO_IRQ_SET_ACTION_UNMASK &&
        action != VFIO_IRQ_SET_ACTION_TRIGGER) {
        return -ENOTTY;
    }
    switch (hdr->index) {
    case VFIO_PCI_INTX_IRQ_INDEX:
        return set_intx(irqs, action, data_type, hdr->start, hdr->count,
                        hdr->data);
    case VFIO_PCI_MSIX_IRQ_INDEX:
        return set_msix(irqs, action, data_type, hdr->start, hdr->count,
                        hdr->data);
    case VFIO_PCI_ERR_IRQ_INDEX:
    case VFIO_PCI_REQ_IRQ_INDEX:
        if (action != VFIO_IRQ_SET_ACTION_TRIGGER) {
            return -ENOTTY;
        }
        if (hdr->start != 0 || hdr->count > 1) {
            return -EINVAL;
        }
        return set_single(hdr->index == VFIO_PCI_ERR_IRQ_INDEX ?
                          &irqs->err_fd : &irqs->req_fd,
                          data_type, hdr->count, hdr->data);
    default:
        return -ENOTTY;
    }
}

void sim_irqs_raise_msix(struct sim_vfio_irqs *irqs, unsigned vector)
{
    if (irqs->type == VFIO_PCI_MSIX_IRQ_INDEX && vector < SIM_MSIX_VECTORS) {
        signal_fd(irqs->msix_fds[vector]);
    }
}
