/*
 * iommufd-sim: the simulated device's DMA engine (BAR0)
 *
 * BAR0 is 4 KiB of 32-bit registers, the MSI-X table and PBA, and a data
 * window.  A write of 1 to DOORBELL runs the transfer synchronously, so
 * STATUS is final when the write returns.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef IOMMUFD_SIM_DMA_ENGINE_H
#define IOMMUFD_SIM_DMA_ENGINE_H

#include <stdbool.h>
#include <stdint.h>

#include "objects.h"
#include "vtd_fs_walk.h"

#define SIM_BAR0_SIZE               0x1000

#define SIM_DMA_REG_ID              0x00    /* RO: SIM_DMA_ID */
#define SIM_DMA_REG_PASID           0x04    /* PASID in 19:0, bit 31 valid */
#define SIM_DMA_REG_IOVA_LO         0x08
#define SIM_DMA_REG_IOVA_HI         0x0c
#define SIM_DMA_REG_LEN             0x10    /* bytes, 1..SIM_DMA_DATA_SIZE */
#define SIM_DMA_REG_DIR             0x14    /* SIM_DMA_DIR_* */
#define SIM_DMA_REG_MSIX_VECTOR     0x18    /* raised at completion; ~0 none */
#define SIM_DMA_REG_DOORBELL        0x1c    /* write 1: run the transfer */
#define SIM_DMA_REG_STATUS          0x20    /* RO: SIM_DMA_STATUS_* */
#define SIM_DMA_REG_FAULT_REASON    0x24    /* RO: enum sim_fault */
#define SIM_DMA_REG_FAULT_ADDR_LO   0x28    /* RO: first IOVA that faulted */
#define SIM_DMA_REG_FAULT_ADDR_HI   0x2c
#define SIM_DMA_REG_COUNT           0x30    /* RO: transfers since reset */

#define SIM_DMA_ID                  0x53494d44  /* "SIMD" */
#define SIM_DMA_PASID_VALID         (1u << 31)
/*
 * With VALID: a privileged-mode request (the PASID TLP prefix's PMR),
 * which the device issues only if the host enabled Privileged Mode in
 * its PASID capability; otherwise nothing is sent (BLOCKED).
 */
#define SIM_DMA_PASID_PRIV          (1u << 30)
#define SIM_DMA_PASID_MASK          0xfffffu
#define SIM_DMA_DIR_TO_DEVICE       0       /* read memory into DATA */
#define SIM_DMA_DIR_FROM_DEVICE     1       /* write DATA to memory */
#define SIM_DMA_STATUS_DONE         (1u << 0)
#define SIM_DMA_STATUS_FAULT        (1u << 1)

#define SIM_MSIX_VECTORS            4
#define SIM_MSIX_TABLE_OFFSET       0x400
#define SIM_MSIX_PBA_OFFSET         0x600
#define SIM_DMA_DATA_OFFSET         0x800
#define SIM_DMA_DATA_SIZE           0x800

struct sim_dma_engine {
    uint32_t pasid;
    uint64_t iova;
    uint32_t len;
    uint32_t dir;
    uint32_t msix_vector;
    uint32_t status;
    uint32_t fault_reason;
    uint64_t fault_addr;
    uint32_t count;
    uint8_t msix_table[SIM_MSIX_VECTORS * 16];
    uint8_t data[SIM_DMA_DATA_SIZE];
};

void sim_dma_reset(struct sim_dma_engine *e);
void sim_dma_mmio_read(struct sim_dma_engine *e, uint32_t off, void *buf,
                       uint32_t len);
/* Returns true if the write rang the doorbell. */
bool sim_dma_mmio_write(struct sim_dma_engine *e, uint32_t off,
                        const void *buf, uint32_t len);

/*
 * Runs the programmed transfer through hwpt (NULL: blocked) and updates
 * STATUS; blocked is forced when bus mastering is off, and for a
 * privileged request unless @priv_enabled (PASID capability).  Logged
 * as DMA.
 */
void sim_dma_run(struct sim_dma_engine *e, struct sim_hwpt *hwpt,
                 bool bus_master, bool priv_enabled, unsigned dev_index);

#endif /* IOMMUFD_SIM_DMA_ENGINE_H */
