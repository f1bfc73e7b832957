/*
 * iommufd-sim tests: the VFIO cdev device through ioctl() and pread()
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "config.h"
#include "dma_engine.h"
#include "pci_config.h"
#include "sim-helpers.h"
#include "tap.h"

#define CFG REGION_OFFSET(VFIO_PCI_CONFIG_REGION_INDEX)

static void test_before_bind(int devfd, int fd)
{
    struct vfio_device_info info = { .argsz = sizeof(info) };
    struct stat st;
    uint32_t val;
    uint32_t dev;

    tap_ok(fstat(devfd, &st) == 0 && S_ISCHR(st.st_mode) &&
           st.st_rdev == makedev(SIM_VFIO_CDEV_MAJOR, 0),
           "fstat: a character device numbered %d:0", SIM_VFIO_CDEV_MAJOR);
    TAP_ERRNO(ioctl(devfd, VFIO_DEVICE_GET_INFO, &info), EINVAL,
              "GET_INFO before bind: EINVAL");
    TAP_ERRNO((int)pread(devfd, &val, 4, CFG), EINVAL,
              "config read before bind: EINVAL");
    TAP_ERRNO(h_bind(devfd, devfd, &dev), EBADFD,
              "bind to a non-iommufd fd: EBADFD");
    TAP_ERRNO(h_bind(devfd, 1000, &dev), EBADF, "bind to a closed fd: EBADF");
    TAP_ERRNO(h_bind(devfd, fd, &dev), 0, "bind");
    TAP_ERRNO(h_bind(devfd, fd, &dev), EINVAL, "second bind: EINVAL");
}

static void test_info(int devfd)
{
    struct vfio_device_info info = { .argsz = sizeof(info) };
    struct vfio_region_info reg = { .argsz = sizeof(reg) };
    struct vfio_irq_info irq = { .argsz = sizeof(irq) };
    struct vfio_device_feature feat = {
        .argsz = sizeof(feat),
        .flags = VFIO_DEVICE_FEATURE_PROBE | VFIO_DEVICE_FEATURE_GET |
                 VFIO_DEVICE_FEATURE_MIGRATION,
    };
    struct vfio_pci_hot_reset_info hri = { .argsz = sizeof(hri) };

    TAP_ERRNO(ioctl(devfd, VFIO_DEVICE_GET_INFO, &info), 0, "GET_INFO");
    tap_ok(info.flags == (VFIO_DEVICE_FLAGS_PCI | VFIO_DEVICE_FLAGS_RESET) &&
           info.num_regions == VFIO_PCI_NUM_REGIONS &&
           info.num_irqs == VFIO_PCI_NUM_IRQS, "PCI, reset, 9 regions, 5 irqs");
    reg.index = VFIO_PCI_BAR0_REGION_INDEX;
    TAP_ERRNO(ioctl(devfd, VFIO_DEVICE_GET_REGION_INFO, &reg), 0, "BAR0 info");
    tap_ok(reg.size == 4096 && !(reg.flags & VFIO_REGION_INFO_FLAG_MMAP),
           "BAR0: 4 KiB, not mmappable");
    reg.index = VFIO_PCI_CONFIG_REGION_INDEX;
    ioctl(devfd, VFIO_DEVICE_GET_REGION_INFO, &reg);
    tap_ok(reg.size == 4096 && reg.offset == CFG, "config: 4 KiB at 7<<40");
    reg.index = VFIO_PCI_VGA_REGION_INDEX;
    TAP_ERRNO(ioctl(devfd, VFIO_DEVICE_GET_REGION_INFO, &reg), EINVAL,
              "no VGA region: EINVAL");
    irq.index = VFIO_PCI_MSIX_IRQ_INDEX;
    TAP_ERRNO(ioctl(devfd, VFIO_DEVICE_GET_IRQ_INFO, &irq), 0, "MSI-X info");
    tap_ok(irq.count == SIM_MSIX_VECTORS, "%u MSI-X vectors", irq.count);
    irq.index = VFIO_PCI_MSI_IRQ_INDEX;
    ioctl(devfd, VFIO_DEVICE_GET_IRQ_INFO, &irq);
    tap_ok(irq.count == 0, "no MSI");
    TAP_ERRNO(ioctl(devfd, VFIO_DEVICE_FEATURE, &feat), ENOTTY,
              "migration feature probe: ENOTTY");
    feat.flags = VFIO_DEVICE_FEATURE_PROBE | VFIO_DEVICE_FEATURE_SET |
                 VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY;
    TAP_ERRNO(ioctl(devfd, VFIO_DEVICE_FEATURE, &feat), 0,
              "low power entry probe");
    TAP_ERRNO(ioctl(devfd, VFIO_DEVICE_GET_PCI_HOT_RESET_INFO, &hri), ENODEV,
              "hot reset info: ENODEV");
    TAP_ERRNO(ioctl(devfd, VFIO_DEVICE_RESET), 0, "RESET");
    TAP_ERRNO(ioctl(devfd, _IO(VFIO_TYPE, VFIO_BASE + 60), &feat), ENOTTY,
              "unknown ioctl: ENOTTY");
}

static void test_config(int devfd)
{
    uint32_t val = 0, ones = ~0u;
    uint16_t cmd = 0xffff;

    pread(devfd, &val, 4, CFG);
    tap_ok(val == (SIM_PCI_DEVICE_ID << 16 | SIM_PCI_VENDOR_ID),
           "vendor/device id %08x", val);
    pwrite(devfd, &ones, 4, CFG);
    pread(devfd, &val, 4, CFG);
    tap_ok(val == (SIM_PCI_DEVICE_ID << 16 | SIM_PCI_VENDOR_ID),
           "vendor/device id is read-only");
    pwrite(devfd, &ones, 4, CFG + 0x10);
    pread(devfd, &val, 4, CFG + 0x10);
    tap_ok(val == 0xfffff000, "BAR0 sizing reads back the size mask");
    pwrite(devfd, &ones, 4, CFG + 0x14);
    pread(devfd, &val, 4, CFG + 0x14);
    tap_ok(val == 0, "BAR1 is not implemented");
    pwrite(devfd, &cmd, 2, CFG + 4);
    pread(devfd, &cmd, 2, CFG + 4);
    tap_ok(cmd == 0x547, "command register keeps only its writable bits");
    pread(devfd, &val, 4, CFG + SIM_PCI_ECAP_PASID);
    tap_ok((val & 0xffff) == 0x1b, "PASID extended capability at 0x100");
    TAP_ERRNO((int)pread(devfd, &val, 4, CFG + 4096), EINVAL,
              "read past config space: EINVAL");
}

static void test_attach(int fd, int devfd, uint32_t dev)
{
    uint32_t ioas, a, b, pasid_hwpt, out = 0, ioas2, c;

    h_ioas_alloc(fd, &ioas);
    h_hwpt_alloc(fd, dev, ioas, 0, &a);
    h_hwpt_alloc(fd, dev, ioas, 0, &b);
    TAP_ERRNO(h_attach(devfd, a, false, 0, &out), 0, "attach HWPT a");
    TAP_ERRNO(h_attach(devfd, b, false, 0, &out), 0, "replace with HWPT b");
    TAP_ERRNO(h_destroy(fd, a), 0, "replaced HWPT lost its reference");
    TAP_ERRNO(h_destroy(fd, b), EBUSY, "attached HWPT: EBUSY");
    TAP_ERRNO(h_attach(devfd, 99, false, 0, NULL), ENOENT,
              "attach to an unknown id: ENOENT");
    TAP_ERRNO(h_attach(devfd, b, true, 5, NULL), EINVAL,
              "PASID attach of a HWPT without ALLOC_PASID: EINVAL");
    h_hwpt_alloc(fd, dev, ioas, IOMMU_HWPT_ALLOC_PASID, &pasid_hwpt);
    TAP_ERRNO(h_attach(devfd, pasid_hwpt, true, 5, NULL), EINVAL,
              "PASID attach while the RID HWPT is not PASID-capable: EINVAL");
    TAP_ERRNO(h_attach(devfd, pasid_hwpt, false, 0, NULL), 0,
              "RID replaced with the PASID-capable HWPT");
    TAP_ERRNO(h_attach(devfd, pasid_hwpt, true, 0, NULL), EINVAL,
              "PASID 0: EINVAL");
    TAP_ERRNO(h_attach(devfd, pasid_hwpt, true, 1u << 20, NULL), EINVAL,
              "PASID beyond 20 bits: EINVAL");
    TAP_ERRNO(h_attach(devfd, pasid_hwpt, true, 5, NULL), 0, "PASID 5 attach");
    TAP_ERRNO(h_attach(devfd, b, false, 0, NULL), EINVAL,
              "RID to a plain HWPT while a PASID is attached: EINVAL");
    TAP_ERRNO(h_detach(devfd, true, 5), 0, "PASID detach");
    TAP_ERRNO(h_detach(devfd, true, 5), 0, "PASID detach again succeeds");
    TAP_ERRNO(h_detach(devfd, false, 0), 0, "RID detach");
    TAP_ERRNO(h_destroy(fd, pasid_hwpt), 0, "detached HWPT destroyed");
    h_destroy(fd, b);

    h_ioas_alloc(fd, &ioas2);
    TAP_ERRNO(h_attach(devfd, ioas2, false, 0, &out), 0, "attach to an IOAS");
    tap_ok(out != ioas2, "an automatic HWPT %u was made", out);
    TAP_ERRNO(h_destroy(fd, out), EBUSY, "attached auto HWPT: EBUSY");
    h_hwpt_alloc(fd, dev, ioas, 0, &c);
    TAP_ERRNO(h_attach(devfd, c, false, 0, NULL), 0,
              "replace into another IOAS");
    TAP_ERRNO(h_destroy(fd, out), ENOENT, "the unused auto HWPT is gone");
    h_detach(devfd, false, 0);
    h_destroy(fd, c);
    h_destroy(fd, ioas2);
    h_destroy(fd, ioas);
}

static void test_msix(int devfd)
{
    struct {
        struct vfio_irq_set hdr;
        int32_t fds[2];
    } set = { { .argsz = sizeof(set), .index = VFIO_PCI_MSIX_IRQ_INDEX,
                .flags = VFIO_IRQ_SET_DATA_EVENTFD |
                         VFIO_IRQ_SET_ACTION_TRIGGER,
                .start = 0, .count = 2 }, { -1, -1 } };
    int efd = eventfd(0, EFD_NONBLOCK);
    uint64_t n = 0;

    set.fds[1] = efd;
    TAP_ERRNO(ioctl(devfd, VFIO_DEVICE_SET_IRQS, &set), 0,
              "MSI-X eventfd for vector 1");
    close(efd);     /* the device holds its own reference */
    set.hdr.index = VFIO_PCI_INTX_IRQ_INDEX;
    set.hdr.count = 1;
    TAP_ERRNO(ioctl(devfd, VFIO_DEVICE_SET_IRQS, &set), EINVAL,
              "INTx while MSI-X is enabled: EINVAL");
    h_enable_device(devfd);
    h_bar_write32(devfd, SIM_DMA_REG_MSIX_VECTOR, 1);
    efd = eventfd(0, EFD_NONBLOCK);
    set.hdr.index = VFIO_PCI_MSIX_IRQ_INDEX;
    set.hdr.start = 1;
    set.fds[0] = efd;
    ioctl(devfd, VFIO_DEVICE_SET_IRQS, &set);
    h_dma(devfd, false, 0, 0, 16, SIM_DMA_DIR_TO_DEVICE);
    tap_ok(read(efd, &n, sizeof(n)) == sizeof(n) && n == 1,
           "DMA completion raises the MSI-X vector");
    set.hdr.flags = VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER;
    set.hdr.start = 0;
    set.hdr.count = 0;
    TAP_ERRNO(ioctl(devfd, VFIO_DEVICE_SET_IRQS, &set), 0, "MSI-X disable");
    close(efd);
}

int main(void)
{
    int fd = h_open_iommufd(), devfd = h_open_dev(0);
    uint32_t dev;

    tap_ok(h_open_dev(SIM_MAX_DEVICES) < 0, "vfio%u does not exist",
           SIM_MAX_DEVICES);
    test_before_bind(devfd, fd);
    dev = 1;
    test_info(devfd);
    test_config(devfd);
    test_attach(fd, devfd, dev);
    test_msix(devfd);
    close(fd);
    TAP_ERRNO(close(devfd), 0, "close the device (unbinds, frees the ctx)");
    return tap_done();
}
