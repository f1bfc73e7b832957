/*
 * The BAR0 register map of iommufd-sim's DMA engine
 * (docs/iommufd-sim.rst, "DMA engine (BAR0)"), for the guest programs.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef E2E_SIM_DMA_H
#define E2E_SIM_DMA_H

#define REG_ID          0x00
#define REG_PASID       0x04
#define REG_IOVA_LO     0x08
#define REG_IOVA_HI     0x0c
#define REG_LEN         0x10
#define REG_DIR         0x14
#define REG_MSIX_VECTOR 0x18
#define REG_DOORBELL    0x1c
#define REG_STATUS      0x20
#define REG_FAULT_REASON 0x24
#define REG_FAULT_LO    0x28
#define REG_FAULT_HI    0x2c
#define REG_STREAM_CTL  0x40    /* slots in 7:4, bit 0 run */
#define REG_STREAM_SLOT 0x44
#define REG_STREAM_PASID 0x48
#define REG_STREAM_IOVA_LO 0x4c
#define REG_STREAM_IOVA_HI 0x50
#define REG_STREAM_SEQ  0x54
#define REG_DATA        0x800
#define SIM_ID          0x53494d44u /* "SIMD" */
#define STATUS_DONE     1u
#define STATUS_FAULT    2u
#define DIR_TO_DEVICE   0
#define DIR_FROM_DEVICE 1

#endif
