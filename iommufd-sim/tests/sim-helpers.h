/*
 * iommufd-sim tests: thin wrappers around the uapi calls
 *
 * Each returns what the ioctl returned (0, or -1 with errno set), so tests
 * can check errno values directly.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef IOMMUFD_SIM_TEST_HELPERS_H
#define IOMMUFD_SIM_TEST_HELPERS_H

#include <stdbool.h>
#include <stdint.h>

#include <linux/iommufd.h>
#include <linux/vfio.h>

#define RW_FLAGS (IOMMU_IOAS_MAP_READABLE | IOMMU_IOAS_MAP_WRITEABLE | \
                  IOMMU_IOAS_MAP_FIXED_IOVA)
#define REGION_OFFSET(i) ((uint64_t)(i) << 40)

int h_open_iommufd(void);
int h_open_dev(unsigned index);
int h_bind(int devfd, int iommufd, uint32_t *devid);
int h_ioas_alloc(int fd, uint32_t *id);
int h_map(int fd, uint32_t ioas, void *va, uint64_t len, uint64_t iova,
          uint32_t flags);
int h_unmap(int fd, uint32_t ioas, uint64_t iova, uint64_t len,
            uint64_t *unmapped);
int h_hwpt_alloc(int fd, uint32_t dev, uint32_t pt, uint32_t flags,
                 uint32_t *out);
int h_hwpt_nested(int fd, uint32_t dev, uint32_t parent, uint32_t flags,
                  uint64_t pgtbl, uint32_t addr_width, uint32_t *out);
int h_attach(int devfd, uint32_t pt, bool has_pasid, uint32_t pasid,
             uint32_t *out);
int h_detach(int devfd, bool has_pasid, uint32_t pasid);
int h_destroy(int fd, uint32_t id);
int h_invalidate(int fd, uint32_t hwpt, uint64_t addr, uint64_t npages);
/* flags: IOMMU_VTD_INV_FLAGS_LEAF or 0 */
int h_invalidate_flags(int fd, uint32_t hwpt, uint64_t addr, uint64_t npages,
                       uint32_t flags);

/* Sets Memory Space and Bus Master Enable in the command register. */
int h_enable_device(int devfd);
uint32_t h_bar_read32(int devfd, uint32_t off);
void h_bar_write32(int devfd, uint32_t off, uint32_t val);
/* Runs one DMA; returns the FAULT_REASON (0: success). */
uint32_t h_dma(int devfd, bool has_pasid, uint32_t pasid, uint64_t iova,
               uint32_t len, uint32_t dir);

#endif /* IOMMUFD_SIM_TEST_HELPERS_H */
