/*
 * iommufd-sim: interrupts of the simulated device (VFIO_DEVICE_*_IRQ*)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef IOMMUFD_SIM_VFIO_IRQS_H
#define IOMMUFD_SIM_VFIO_IRQS_H

#include <linux/vfio.h>

#include "dma_engine.h"

struct sim_vfio_irqs {
    int type;                           /* VFIO_PCI_*_IRQ_INDEX or -1 */
    int intx_fd;                        /* our dup of each eventfd, or -1 */
    int msix_fds[SIM_MSIX_VECTORS];
    int err_fd;
    int req_fd;
    bool intx_masked;
};

void sim_irqs_init(struct sim_vfio_irqs *irqs);
/* Drops every eventfd (device close). */
void sim_irqs_release(struct sim_vfio_irqs *irqs);

/* 0 or -errno; info->argsz already checked. */
int sim_irqs_get_info(struct vfio_irq_info *info);
/* hdr->argsz covers the data that follows hdr.  0 or -errno. */
int sim_irqs_set(struct sim_vfio_irqs *irqs, const struct vfio_irq_set *hdr);

/* Signals MSI-X vector if MSI-X is enabled and the vector has an eventfd. */
void sim_irqs_raise_msix(struct sim_vfio_irqs *irqs, unsigned vector);

#endif /* IOMMUFD_SIM_VFIO_IRQS_H */
