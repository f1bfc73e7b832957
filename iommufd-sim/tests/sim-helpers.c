/*
 * iommufd-sim tests: thin wrappers around the uapi calls
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <fcntl.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "dma_engine.h"
#include "sim-helpers.h"

int h_open_iommufd(void)
{
    return open("/dev/iommu", O_RDWR | O_CLOEXEC);
}

int h_open_dev(unsigned index)
{
    char path[64];

    snprintf(path, sizeof(path), "/dev/vfio/devices/vfio%u", index);
    return open(path, O_RDWR | O_CLOEXEC);
}

int h_bind(int devfd, int iommufd, uint32_t *devid)
{
    struct vfio_device_bind_iommufd bind = {
        .argsz = sizeof(bind), .iommufd = iommufd,
    };
    int ret = ioctl(devfd, VFIO_DEVICE_BIND_IOMMUFD, &bind);

    *devid = bind.out_devid;
    return ret;
}

int h_ioas_alloc(int fd, uint32_t *id)
{
    struct iommu_ioas_alloc cmd = { .size = sizeof(cmd) };
    int ret = ioctl(fd, IOMMU_IOAS_ALLOC, &cmd);

    *id = cmd.out_ioas_id;
    return ret;
}

int h_map(int fd, uint32_t ioas, void *va, uint64_t len, uint64_t iova,
          uint32_t flags)
{
    struct iommu_ioas_map cmd = {
        .size = sizeof(cmd), .flags = flags, .ioas_id = ioas,
        .user_va = (uintptr_t)va, .length = len, .iova = iova,
    };

    return ioctl(fd, IOMMU_IOAS_MAP, &cmd);
}

int h_unmap(int fd, uint32_t ioas, uint64_t iova, uint64_t len,
            uint64_t *unmapped)
{
    struct iommu_ioas_unmap cmd = {
        .size = sizeof(cmd), .ioas_id = ioas, .iova = iova, .length = len,
    };
    int ret = ioctl(fd, IOMMU_IOAS_UNMAP, &cmd);

    if (unmapped) {
        *unmapped = cmd.length;
    }
    return ret;
}

int h_hwpt_alloc(int fd, uint32_t dev, uint32_t pt, uint32_t flags,
                 uint32_t *out)
{
    struct iommu_hwpt_alloc cmd = {
        .size = sizeof(cmd), .flags = flags, .dev_id = dev, .pt_id = pt,
    };
    int ret = ioctl(fd, IOMMU_HWPT_ALLOC, &cmd);

    *out = cmd.out_hwpt_id;
    return ret;
}

int h_hwpt_nested(int fd, uint32_t dev, uint32_t parent, uint32_t flags,
                  uint64_t pgtbl, uint32_t addr_width, uint32_t *out)
{
    struct iommu_hwpt_vtd_s1 s1 = {
        .pgtbl_addr = pgtbl, .addr_width = addr_width,
    };
    struct iommu_hwpt_alloc cmd = {
        .size = sizeof(cmd), .flags = flags, .dev_id = dev, .pt_id = parent,
        .data_type = IOMMU_HWPT_DATA_VTD_S1, .data_len = sizeof(s1),
        .data_uptr = (uintptr_t)&s1,
    };
    int ret = ioctl(fd, IOMMU_HWPT_ALLOC, &cmd);

    *out = cmd.out_hwpt_id;
    return ret;
}

int h_attach(int devfd, uint32_t pt, bool has_pasid, uint32_t pasid,
             uint32_t *out)
{
    struct vfio_device_attach_iommufd_pt cmd = {
        .argsz = sizeof(cmd), .pt_id = pt, .pasid = pasid,
        .flags = has_pasid ? VFIO_DEVICE_ATTACH_PASID : 0,
    };
    int ret = ioctl(devfd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &cmd);

    if (out) {
        *out = cmd.pt_id;
    }
    return ret;
}

int h_detach(int devfd, bool has_pasid, uint32_t pasid)
{
    struct vfio_device_detach_iommufd_pt cmd = {
        .argsz = sizeof(cmd), .pasid = pasid,
        .flags = has_pasid ? VFIO_DEVICE_DETACH_PASID : 0,
    };

    return ioctl(devfd, VFIO_DEVICE_DETACH_IOMMUFD_PT, &cmd);
}

int h_destroy(int fd, uint32_t id)
{
    struct iommu_destroy cmd = { .size = sizeof(cmd), .id = id };

    return ioctl(fd, IOMMU_DESTROY, &cmd);
}

int h_invalidate(int fd, uint32_t hwpt, uint64_t addr, uint64_t npages)
{
    return h_invalidate_flags(fd, hwpt, addr, npages, 0);
}

int h_invalidate_flags(int fd, uint32_t hwpt, uint64_t addr, uint64_t npages,
                       uint32_t flags)
{
    struct iommu_hwpt_vtd_s1_invalidate inv = {
        .addr = addr, .npages = npages, .flags = flags,
    };
    struct iommu_hwpt_invalidate cmd = {
        .size = sizeof(cmd), .hwpt_id = hwpt,
        .data_uptr = (uintptr_t)&inv,
        .data_type = IOMMU_HWPT_INVALIDATE_DATA_VTD_S1,
        .entry_len = sizeof(inv), .entry_num = 1,
    };

    return ioctl(fd, IOMMU_HWPT_INVALIDATE, &cmd);
}

int h_enable_device(int devfd)
{
    uint16_t cmd = 0x6;     /* memory space, bus master */

    return pwrite(devfd, &cmd, sizeof(cmd),
                  REGION_OFFSET(VFIO_PCI_CONFIG_REGION_INDEX) + 4) ==
           sizeof(cmd) ? 0 : -1;
}

uint32_t h_bar_read32(int devfd, uint32_t off)
{
    uint32_t val = ~0u;

    if (pread(devfd, &val, sizeof(val), REGION_OFFSET(0) + off) !=
        sizeof(val)) {
        return ~0u;
    }
    return val;
}

void h_bar_write32(int devfd, uint32_t off, uint32_t val)
{
    if (pwrite(devfd, &val, sizeof(val), REGION_OFFSET(0) + off) !=
        sizeof(val)) {
        perror("BAR0 write");
    }
}

uint32_t h_dma(int devfd, bool has_pasid, uint32_t pasid, uint64_t iova,
               uint32_t len, uint32_t dir)
{
    h_bar_write32(devfd, SIM_DMA_REG_PASID,
                  has_pasid ? SIM_DMA_PASID_VALID | pasid : 0);
    h_bar_write32(devfd, SIM_DMA_REG_IOVA_LO, (uint32_t)iova);
    h_bar_write32(devfd, SIM_DMA_REG_IOVA_HI, iova >> 32);
    h_bar_write32(devfd, SIM_DMA_REG_LEN, len);
    h_bar_write32(devfd, SIM_DMA_REG_DIR, dir);
    h_bar_write32(devfd, SIM_DMA_REG_DOORBELL, 1);
    return h_bar_read32(devfd, SIM_DMA_REG_FAULT_REASON);
}
