/*
 * iommufd-sim: PCI Express configuration space of the simulated device
 *
 * Behaves like hardware: read-only fields ignore writes, BAR0 reports its
 * size through the all-ones probe, status error bits are write-1-to-clear.
 *
 * Layout: type 0 header, PCIe capability at 0x40 (FLR capable), MSI-X at
 * 0x80 (table and PBA in BAR0), PASID extended capability at 0x100.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef IOMMUFD_SIM_PCI_CONFIG_H
#define IOMMUFD_SIM_PCI_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

#define SIM_PCI_CONFIG_SIZE     4096
/* The Red Hat/QEMU vendor id; the device id is unassigned, no quirks. */
#define SIM_PCI_VENDOR_ID       0x1b36
#define SIM_PCI_DEVICE_ID       0x10f0
#define SIM_PCI_CLASS           0x088000    /* other system peripheral */

#define SIM_PCI_CAP_EXP         0x40
#define SIM_PCI_CAP_MSIX        0x80
#define SIM_PCI_ECAP_PASID      0x100

/* Fields of the PCI PASID capability register (IOMMUFD_SIM_PASID_CAP). */
#define SIM_PASID_CAP_EXEC      (1u << 1)
#define SIM_PASID_CAP_PRIV      (1u << 2)
#define SIM_PASID_CAP_WIDTH(c)  (((c) >> 8) & 0x1f)

struct sim_pci_config {
    uint8_t data[SIM_PCI_CONFIG_SIZE];
    uint8_t wmask[SIM_PCI_CONFIG_SIZE];     /* writable bits */
    uint8_t w1cmask[SIM_PCI_CONFIG_SIZE];   /* write-1-to-clear bits */
};

/* pasid_cap 0 leaves out the PASID capability. */
void sim_pci_config_init(struct sim_pci_config *c, uint16_t pasid_cap);
void sim_pci_config_read(const struct sim_pci_config *c, uint32_t off,
                         void *buf, uint32_t len);
/* Returns true if the write initiated a Function Level Reset. */
bool sim_pci_config_write(struct sim_pci_config *c, uint32_t off,
                          const void *buf, uint32_t len);

bool sim_pci_bus_master(const struct sim_pci_config *c);
bool sim_pci_memory_enabled(const struct sim_pci_config *c);

#endif /* IOMMUFD_SIM_PCI_CONFIG_H */
