/*
 * iommufd-sim: PCI Express configuration space of the simulated device
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <string.h>

#include "dma_engine.h"
#include "pci_config.h"

#define PCI_COMMAND             0x04
#define PCI_COMMAND_MEMORY      0x0002
#define PCI_COMMAND_MASTER      0x0004
#define PCI_COMMAND_WRITABLE    0x0547  /* IO MEM MASTER PARITY SERR INTX_DIS */
#define PCI_STATUS              0x06
#define PCI_STATUS_CAP_LIST     0x0010
#define PCI_STATUS_ERRORS       0xf900
#define PCI_BAR0                0x10
#define PCI_EXP_DEVCTL          0x08
#define PCI_EXP_DEVCTL_FLR      0x8000

static void set8(struct sim_pci_config *c, uint32_t off, uint8_t v)
{
    c->data[off] = v;
}

static void set16(struct sim_pci_config *c, uint32_t off, uint16_t v)
{
    c->data[off] = v;
    c->data[off + 1] = v >> 8;
}

static void set32(struct sim_pci_config *c, uint32_t off, uint32_t v)
{
    set16(c, off, v);
    set16(c, off + 2, v >> 16);
}

static uint16_t get16(const uint8_t *p, uint32_t off)
{
    return p[off] | p[off + 1] << 8;
}

static void wmask16(struct sim_pci_config *c, uint32_t off, uint16_t m)
{
    c->wmask[off] = m;
    c->wmask[off + 1] = m >> 8;
}

static void wmask32(struct sim_pci_config *c, uint32_t off, uint32_t m)
{
    wmask16(c, off, m);
    wmask16(c, off + 2, m >> 16);
}

static void init_header(struct sim_pci_config *c)
{
    set16(c, 0x00, SIM_PCI_VENDOR_ID);
    set16(c, 0x02, SIM_PCI_DEVICE_ID);
    wmask16(c, PCI_COMMAND, PCI_COMMAND_WRITABLE);
    set16(c, PCI_STATUS, PCI_STATUS_CAP_LIST);
    c->w1cmask[PCI_STATUS + 1] = PCI_STATUS_ERRORS >> 8;
    set32(c, 0x08, SIM_PCI_CLASS << 8 | 0x01);     /* revision 1 */
    c->wmask[0x0c] = 0xff;                          /* cache line size */
    c->wmask[0x0d] = 0xff;                          /* latency timer */
    /* BAR0: 32-bit non-prefetchable memory; the mask gives its size. */
    wmask32(c, PCI_BAR0, ~(uint32_t)(SIM_BAR0_SIZE - 1));
    set16(c, 0x2c, SIM_PCI_VENDOR_ID);              /* subsystem */
    set16(c, 0x2e, SIM_PCI_DEVICE_ID);
    set8(c, 0x34, SIM_PCI_CAP_EXP);
    c->wmask[0x3c] = 0xff;                          /* interrupt line */
    set8(c, 0x3d, 1);                               /* INTA# */
}

static void init_pcie_cap(struct sim_pci_config *c)
{
    uint32_t p = SIM_PCI_CAP_EXP;

    set8(c, p, 0x10);
    set8(c, p + 1, SIM_PCI_CAP_MSIX);
    set16(c, p + 2, 0x0002);            /* version 2, endpoint */
    set32(c, p + 4, 1u << 28 | 0x1);    /* DEVCAP: FLR, 256-byte payload */
    wmask16(c, p + PCI_EXP_DEVCTL, 0xffff);
    set16(c, p + PCI_EXP_DEVCTL, 0x2810);   /* relaxed ordering, no-snoop, MRRS 512 */
    set32(c, p + 0x0c, 0x00400000 | 1u << 4 | 1); /* LNKCAP: x1, 2.5GT/s */
    set16(c, p + 0x12, 1u << 4 | 1);    /* LNKSTA: x1, 2.5GT/s */
    set32(c, p + 0x24, 1u << 4);        /* DEVCAP2: completion timeout disable */
    wmask16(c, p + 0x28, 0x0010);
}

static void init_msix_cap(struct sim_pci_config *c)
{
    uint32_t p = SIM_PCI_CAP_MSIX;

    set8(c, p, 0x11);
    set8(c, p + 1, 0);
    set16(c, p + 2, SIM_MSIX_VECTORS - 1);
    wmask16(c, p + 2, 0xc000);          /* enable, function mask */
    set32(c, p + 4, SIM_MSIX_TABLE_OFFSET);     /* BIR 0 */
    set32(c, p + 8, SIM_MSIX_PBA_OFFSET);       /* BIR 0 */
}

/*
 * The host kernel enabled PASID with every feature the device offers, and
 * owns the control register: the user cannot change it.
 */
static void init_pasid_ecap(struct sim_pci_config *c, uint16_t cap)
{
    uint32_t p = SIM_PCI_ECAP_PASID;

    set32(c, p, 1u << 16 | 0x1b);       /* version 1, no next capability */
    set16(c, p + 4, cap);
    set16(c, p + 6, 1 | (cap & (SIM_PASID_CAP_EXEC | SIM_PASID_CAP_PRIV)));
}

void sim_pci_config_init(struct sim_pci_config *c, uint16_t pasid_cap)
{
    memset(c, 0, sizeof(*c));
    init_header(c);
    init_pcie_cap(c);
    init_msix_cap(c);
    if (pasid_cap) {
        init_pasid_ecap(c, pasid_cap);
    }
}

void sim_pci_config_read(const struct sim_pci_config *c, uint32_t off,
                         void *buf, uint32_t len)
{
    memcpy(buf, c->data + off, len);
}

bool sim_pci_config_write(struct sim_pci_config *c, uint32_t off,
                          const void *buf, uint32_t len)
{
    uint32_t devctl = SIM_PCI_CAP_EXP + PCI_EXP_DEVCTL;
    const uint8_t *in = buf;
    bool flr;

    for (uint32_t i = 0; i < len; i++) {
        uint32_t pos = off + i;

        c->data[pos] = (c->data[pos] & ~c->wmask[pos]) |
                       (in[i] & c->wmask[pos]);
        c->data[pos] &= ~(in[i] & c->w1cmask[pos]);
    }
    /* Initiate FLR reads back as 0; writing it resets the function. */
    flr = get16(c->data, devctl) & PCI_EXP_DEVCTL_FLR;
    c->data[devctl + 1] &= ~(PCI_EXP_DEVCTL_FLR >> 8);
    return flr;
}

bool sim_pci_bus_master(const struct sim_pci_config *c)
{
    return get16(c->data, PCI_COMMAND) & PCI_COMMAND_MASTER;
}

bool sim_pci_memory_enabled(const struct sim_pci_config *c)
{
    return get16(c->data, PCI_COMMAND) & PCI_COMMAND_MEMORY;
}
