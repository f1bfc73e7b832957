/*
 * iommufd-sim: the VFIO cdev of a simulated PCI device
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef IOMMUFD_SIM_VFIO_DEVICE_H
#define IOMMUFD_SIM_VFIO_DEVICE_H

#include <stdint.h>
#include <sys/types.h>

#include "dma_engine.h"
#include "dma_stream.h"
#include "pci_config.h"
#include "vfio_irqs.h"

struct sim_idev;

struct sim_vdev {
    unsigned index;             /* N of /dev/vfio/devices/vfioN */
    int bound_fd;               /* the open file that did BIND, or -1 */
    struct sim_idev *idev;
    struct sim_pci_config cfg;
    struct sim_dma_engine dma;
    struct sim_dma_stream stream;
    struct sim_vfio_irqs irqs;
};

/* Function-level reset: the DMA engine and its stream stop and clear. */
void sim_vdev_reset(struct sim_vdev *vdev);

/* Every running stream reads all its slots once (simulator lock held). */
void sim_vdev_streams_pass(void);

/* The device vfioN, or NULL if N is not simulated. */
struct sim_vdev *sim_vdev_get(unsigned index);

/* The file fd closes: unbinds (if it bound) and releases what it set up. */
void sim_vdev_close(struct sim_vdev *vdev, int fd);

/* Return 0 or -errno. */
int sim_vdev_ioctl(struct sim_vdev *vdev, int fd, unsigned long request,
                   void *arg);
/* Return bytes transferred or -errno. */
ssize_t sim_vdev_pread(struct sim_vdev *vdev, int fd, void *buf, size_t count,
                       uint64_t offset);
ssize_t sim_vdev_pwrite(struct sim_vdev *vdev, int fd, const void *buf,
                        size_t count, uint64_t offset);

#endif /* IOMMUFD_SIM_VFIO_DEVICE_H */
