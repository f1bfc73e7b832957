/*
 * iommufd-sim tests: DMA through paging and nested HWPTs
 *
 * Guest "RAM" is a buffer of this process mapped into an IOAS at GPA
 * GPA_BASE; the nested tests build a 4-level first-stage table in it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "config.h"
#include "dma_engine.h"
#include "sim-helpers.h"
#include "tap.h"
#include "vtd_fs_walk.h"
#include "vtd_regs.h"

#define RAM_SIZE    (16 * 4096)
#define GPA_BASE    0x100000ULL
#define PML4_GPA    (GPA_BASE + 0x0000)
#define PDPT_GPA    (GPA_BASE + 0x1000)
#define PD_GPA      (GPA_BASE + 0x2000)
#define PT_GPA      (GPA_BASE + 0x3000)
#define PAGE_A_GPA  (GPA_BASE + 0x4000)
#define PAGE_B_GPA  (GPA_BASE + 0x5000)
#define S1_IOVA     0x40000000ULL   /* PML4[0] PDPT[1] PD[0] PT[0] */
#define S1_1G_IOVA  0x80000000ULL   /* PML4[0] PDPT[2]: a 1 GiB page at GPA 0 */
#define PTE_PRW_US  0x7ULL          /* present, writable, user */
#define PTE_PS      0x80ULL         /* a large page */

static uint8_t *ram;

static uint64_t *table(uint64_t gpa)
{
    return (uint64_t *)(ram + (gpa - GPA_BASE));
}

static void build_tables(void)
{
    table(PML4_GPA)[0] = PDPT_GPA | PTE_PRW_US;
    table(PDPT_GPA)[1] = PD_GPA | PTE_PRW_US;
    table(PD_GPA)[0] = PT_GPA | PTE_PRW_US;
    table(PT_GPA)[0] = PAGE_A_GPA | PTE_PRW_US;
    memset(ram + (PAGE_A_GPA - GPA_BASE), 0xaa, 4096);
    memset(ram + (PAGE_B_GPA - GPA_BASE), 0xbb, 4096);
}

static uint32_t data_byte(int devfd)
{
    return h_bar_read32(devfd, SIM_DMA_DATA_OFFSET) & 0xff;
}

static void test_paging(int fd, int devfd, uint32_t dev, uint32_t ioas)
{
    uint32_t hwpt;

    h_hwpt_alloc(fd, dev, ioas, 0, &hwpt);
    tap_ok(h_dma(devfd, false, 0, GPA_BASE, 64, SIM_DMA_DIR_TO_DEVICE) ==
           SIM_FAULT_BLOCKED, "DMA with nothing attached is blocked");
    h_attach(devfd, hwpt, false, 0, NULL);
    memset(ram, 0x5a, 64);
    tap_ok(h_dma(devfd, false, 0, GPA_BASE, 64, SIM_DMA_DIR_TO_DEVICE) ==
           SIM_FAULT_NONE && data_byte(devfd) == 0x5a,
           "DMA read through a paging HWPT");
    h_bar_write32(devfd, SIM_DMA_DATA_OFFSET, 0x11223344);
    tap_ok(h_dma(devfd, false, 0, GPA_BASE + 0x100, 4,
                 SIM_DMA_DIR_FROM_DEVICE) == SIM_FAULT_NONE &&
           ram[0x100] == 0x44 && ram[0x103] == 0x11,
           "DMA write through a paging HWPT");
    tap_ok(h_dma(devfd, false, 0, GPA_BASE + RAM_SIZE - 8, 16,
                 SIM_DMA_DIR_TO_DEVICE) == SIM_FAULT_S2_MISS &&
           h_bar_read32(devfd, SIM_DMA_REG_FAULT_ADDR_LO) ==
           GPA_BASE + RAM_SIZE, "DMA past the mapping: S2_MISS at its end");
    tap_ok(h_dma(devfd, false, 0, 0x900000, 4, SIM_DMA_DIR_FROM_DEVICE) ==
           SIM_FAULT_S2_PERM, "DMA write to a read-only mapping: S2_PERM");
    tap_ok(h_bar_read32(devfd, SIM_DMA_REG_STATUS) ==
           (SIM_DMA_STATUS_DONE | SIM_DMA_STATUS_FAULT), "STATUS: done, fault");
    h_detach(devfd, false, 0);
    h_destroy(fd, hwpt);
}

static void test_nested(int fd, int devfd, uint32_t dev, uint32_t ioas)
{
    uint32_t parent, nested, pasid_nested;

    build_tables();
    h_hwpt_alloc(fd, dev, ioas, IOMMU_HWPT_ALLOC_NEST_PARENT |
                 IOMMU_HWPT_ALLOC_PASID, &parent);
    h_hwpt_nested(fd, dev, parent, IOMMU_HWPT_ALLOC_PASID, PML4_GPA, 48,
                  &nested);
    TAP_ERRNO(h_attach(devfd, nested, false, 0, NULL), 0, "attach nested");
    tap_ok(h_dma(devfd, false, 0, S1_IOVA, 16, SIM_DMA_DIR_TO_DEVICE) ==
           SIM_FAULT_NONE && data_byte(devfd) == 0xaa,
           "DMA through the guest page table");
    tap_ok(h_dma(devfd, false, 0, S1_IOVA + 0x1000, 16,
                 SIM_DMA_DIR_TO_DEVICE) == SIM_FAULT_FS_NOT_PRESENT,
           "unmapped first-stage page: FS_NOT_PRESENT");

    table(PT_GPA)[0] = PAGE_B_GPA | PTE_PRW_US;
    tap_ok(h_dma(devfd, false, 0, S1_IOVA, 16, SIM_DMA_DIR_TO_DEVICE) ==
           SIM_FAULT_NONE && data_byte(devfd) == 0xaa,
           "PTE changed without invalidation: the stale IOTLB entry is used");
    TAP_ERRNO(h_invalidate(fd, nested, S1_IOVA, 1), 0, "HWPT_INVALIDATE");
    tap_ok(h_dma(devfd, false, 0, S1_IOVA, 16, SIM_DMA_DIR_TO_DEVICE) ==
           SIM_FAULT_NONE && data_byte(devfd) == 0xbb,
           "after invalidation the new translation is used");

    table(PT_GPA)[0] = PAGE_A_GPA | 0x5;    /* read-only */
    h_invalidate(fd, nested, 0, UINT64_MAX);
    tap_ok(h_dma(devfd, false, 0, S1_IOVA, 4, SIM_DMA_DIR_FROM_DEVICE) ==
           SIM_FAULT_FS_WRITE, "write to a read-only first-stage page");

    table(PML4_GPA)[0] = 0x7000000ULL | PTE_PRW_US;
    h_invalidate(fd, nested, 0, UINT64_MAX);
    tap_ok(h_dma(devfd, false, 0, S1_IOVA, 4, SIM_DMA_DIR_TO_DEVICE) ==
           SIM_FAULT_S2_MISS, "page table outside guest RAM: S2_MISS");
    build_tables();

    h_hwpt_nested(fd, dev, parent, IOMMU_HWPT_ALLOC_PASID, PML4_GPA, 48,
                  &pasid_nested);
    TAP_ERRNO(h_attach(devfd, pasid_nested, true, 7, NULL), 0,
              "attach a nested HWPT to PASID 7");
    tap_ok(h_dma(devfd, true, 7, S1_IOVA, 16, SIM_DMA_DIR_TO_DEVICE) ==
           SIM_FAULT_NONE && data_byte(devfd) == 0xaa, "DMA with PASID 7");
    tap_ok(h_dma(devfd, true, 8, S1_IOVA, 16, SIM_DMA_DIR_TO_DEVICE) ==
           SIM_FAULT_BLOCKED, "DMA with an unattached PASID is blocked");
    h_detach(devfd, true, 7);
    h_detach(devfd, false, 0);
    h_destroy(fd, pasid_nested);
    h_destroy(fd, nested);

    h_hwpt_nested(fd, dev, parent, 0, PML4_GPA, 57, &nested);
    TAP_ERRNO(h_attach(devfd, nested, false, 0, NULL), 0,
              "5-level table attaches (FS5LP)");
    h_detach(devfd, false, 0);
    h_destroy(fd, nested);
    h_hwpt_nested(fd, dev, parent, 0, PML4_GPA, 39, &nested);
    TAP_ERRNO(h_attach(devfd, nested, false, 0, NULL), EINVAL,
              "39-bit first stage is refused at attach: EINVAL");
    h_destroy(fd, nested);
    h_destroy(fd, parent);
}

/*
 * The FAULT_REASON of a DMA read at S1_IOVA through a nested HWPT on
 * @parent whose pgtbl_addr is @pgtbl (4-level); whether the attach took
 * it goes to *attached.
 */
static uint32_t dma_with_pgtbl(int fd, int devfd, uint32_t dev,
                               uint32_t parent, uint64_t pgtbl,
                               bool *attached)
{
    uint32_t nested, fault;

    h_hwpt_nested(fd, dev, parent, 0, pgtbl, 48, &nested);
    *attached = !h_attach(devfd, nested, false, 0, NULL);
    fault = h_dma(devfd, false, 0, S1_IOVA, 16, SIM_DMA_DIR_TO_DEVICE);
    h_detach(devfd, false, 0);
    h_destroy(fd, nested);
    return fault;
}

/*
 * intel_pasid_setup_nested() checks the flags of iommu_hwpt_vtd_s1 and
 * then ORs pgtbl_addr unmasked into the PASID entry (pasid_set_flptr()):
 * its low 12 bits set the entry's controls or reserved bits, and high
 * bits stay in the table pointer.  DMA follows the entry.
 */
static void test_pasid_entry(int fd, int devfd, uint32_t dev, uint32_t ioas)
{
    uint64_t saved_cap = sim_config.vtd_cap, saved_ecap = sim_config.vtd_ecap;
    uint32_t parent;
    bool attached;

    build_tables();
    h_hwpt_alloc(fd, dev, ioas, IOMMU_HWPT_ALLOC_NEST_PARENT, &parent);
    tap_ok(dma_with_pgtbl(fd, devfd, dev, parent, PML4_GPA | 0x4,
                          &attached) == SIM_FAULT_FS_NOT_PRESENT && attached,
           "pgtbl_addr bit 2 sets FSPM to 5-level: a 4-level table walked "
           "with 5 levels does not translate");
    sim_config.vtd_cap &= ~VTD_CAP_FS5LP;
    tap_ok(dma_with_pgtbl(fd, devfd, dev, parent, PML4_GPA | 0x4,
                          &attached) == SIM_FAULT_PASID_ENTRY && attached,
           "... and without CAP.FS5LP the entry faults: PASID_ENTRY");
    sim_config.vtd_cap = saved_cap;
    tap_ok(dma_with_pgtbl(fd, devfd, dev, parent, PML4_GPA | 0x8,
                          &attached) == SIM_FAULT_PASID_ENTRY && attached,
           "pgtbl_addr bit 3: a reserved FSPM value: PASID_ENTRY");
    tap_ok(dma_with_pgtbl(fd, devfd, dev, parent, PML4_GPA | 0x2,
                          &attached) == SIM_FAULT_PASID_ENTRY && attached,
           "pgtbl_addr bit 1: ERE without ECAP.ERS: PASID_ENTRY");
    tap_ok(dma_with_pgtbl(fd, devfd, dev, parent, PML4_GPA | 0x100,
                          &attached) == SIM_FAULT_PASID_ENTRY && attached,
           "pgtbl_addr bit 8: a reserved bit: PASID_ENTRY");
    tap_ok(dma_with_pgtbl(fd, devfd, dev, parent, PML4_GPA | 0x80,
                          &attached) == SIM_FAULT_PASID_ENTRY && attached,
           "pgtbl_addr bit 7 sets EAFE without ECAP.EAFS, which the "
           "flags could not: PASID_ENTRY");
    sim_config.vtd_ecap |= VTD_ECAP_EAFS;
    tap_ok(dma_with_pgtbl(fd, devfd, dev, parent, PML4_GPA | 0x80,
                          &attached) == SIM_FAULT_NONE && attached &&
           (table(PT_GPA)[0] & (1ULL << 10)),
           "... with EAFS it translates, setting the extended-accessed bit");
    sim_config.vtd_ecap &= ~VTD_ECAP_SRS;
    tap_ok(dma_with_pgtbl(fd, devfd, dev, parent, PML4_GPA | 0x1,
                          &attached) == SIM_FAULT_PASID_ENTRY && attached,
           "pgtbl_addr bit 0 sets SRE without ECAP.SRS: PASID_ENTRY");
    sim_config.vtd_ecap = saved_ecap;
    tap_ok(dma_with_pgtbl(fd, devfd, dev, parent, PML4_GPA | 1ULL << 60,
                          &attached) == SIM_FAULT_S2_MISS && attached,
           "pgtbl_addr bit 60 stays in the table pointer: the table is "
           "outside stage 2, S2_MISS");
    tap_ok(dma_with_pgtbl(fd, devfd, dev, parent, PML4_GPA, &attached) ==
           SIM_FAULT_NONE && attached, "the page-aligned table translates");
    h_destroy(fd, parent);
}

/*
 * A 1 GiB first-stage leaf needs CAP.FS1GP (iommu_superpage_capability()
 * builds none without it): without it PS=1 in a PDPE is reserved.
 */
static void test_fs1gp(int fd, int devfd, uint32_t dev, uint32_t ioas)
{
    uint64_t saved_cap = sim_config.vtd_cap;
    uint32_t parent, nested;

    build_tables();
    table(PDPT_GPA)[2] = 0x0 | PTE_PRW_US | PTE_PS;
    h_hwpt_alloc(fd, dev, ioas, IOMMU_HWPT_ALLOC_NEST_PARENT, &parent);
    h_hwpt_nested(fd, dev, parent, 0, PML4_GPA, 48, &nested);
    h_attach(devfd, nested, false, 0, NULL);
    sim_config.vtd_cap &= ~VTD_CAP_FS1GP;
    tap_ok(h_dma(devfd, false, 0, S1_1G_IOVA + PAGE_A_GPA, 16,
                 SIM_DMA_DIR_TO_DEVICE) == SIM_FAULT_FS_RSVD,
           "a 1 GiB first-stage page without CAP.FS1GP: FS_RSVD");
    sim_config.vtd_cap = saved_cap;
    tap_ok(h_dma(devfd, false, 0, S1_1G_IOVA + PAGE_A_GPA, 16,
                 SIM_DMA_DIR_TO_DEVICE) == SIM_FAULT_NONE &&
           data_byte(devfd) == 0xaa,
           "with CAP.FS1GP the 1 GiB page translates");
    h_detach(devfd, false, 0);
    h_destroy(fd, nested);
    h_destroy(fd, parent);
    table(PDPT_GPA)[2] = 0;
}

int main(void)
{
    int fd = h_open_iommufd(), devfd = h_open_dev(0);
    uint32_t dev, ioas;
    uint16_t cmd = 0x2;     /* memory space only: no bus mastering */

    ram = mmap(NULL, RAM_SIZE, PROT_READ | PROT_WRITE,
               MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    h_bind(devfd, fd, &dev);
    h_ioas_alloc(fd, &ioas);
    h_map(fd, ioas, ram, RAM_SIZE, GPA_BASE, RW_FLAGS);
    h_map(fd, ioas, ram, 4096, 0x900000,
          IOMMU_IOAS_MAP_READABLE | IOMMU_IOAS_MAP_FIXED_IOVA);
    TAP_ERRNO((int)pread(devfd, &cmd, 2, REGION_OFFSET(0)), EIO,
              "BAR0 access with memory decode off: EIO");
    pwrite(devfd, &cmd, 2, REGION_OFFSET(VFIO_PCI_CONFIG_REGION_INDEX) + 4);
    tap_ok(h_bar_read32(devfd, SIM_DMA_REG_ID) == SIM_DMA_ID, "engine id");
    tap_ok(h_dma(devfd, false, 0, GPA_BASE, 4, SIM_DMA_DIR_TO_DEVICE) ==
           SIM_FAULT_BLOCKED, "no bus mastering: blocked");
    h_enable_device(devfd);
    test_paging(fd, devfd, dev, ioas);
    test_nested(fd, devfd, dev, ioas);
    test_fs1gp(fd, devfd, dev, ioas);
    test_pasid_entry(fd, devfd, dev, ioas);
    TAP_ERRNO(ioctl(devfd, VFIO_DEVICE_RESET), 0, "reset");
    tap_ok(h_bar_read32(devfd, SIM_DMA_REG_COUNT) == 0,
           "reset clears the engine");
    close(devfd);
    close(fd);
    munmap(ram, RAM_SIZE);
    return tap_done();
}
