/*
 * iommufd-sim tests: answers found by reading the kernel's source
 *
 * Each check names the kernel function whose behaviour it pins down, read
 * in Debian's linux-source-6.12 6.12.117-1~deb12u1 (drivers/iommu/iommufd/,
 * drivers/iommu/intel/, include/linux/iommu.h) unless it says the later
 * kernel of the `current` profile.  Run with the default profile; the
 * host registers are changed in sim_config where a check needs another
 * host (the test links the simulator itself).
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
#include "sim-helpers.h"
#include "tap.h"
#include "test_cmd.h"
#include "vtd_regs.h"

#define PAGE 4096ULL

/* The last allowed IOVA of an IOAS whose only domain is hwpt's. */
static uint64_t aperture_last(int fd, uint32_t ioas)
{
    struct iommu_iova_range r[3];
    struct iommu_ioas_iova_ranges cmd = {
        .size = sizeof(cmd), .ioas_id = ioas, .num_iovas = 3,
        .allowed_iovas = (uintptr_t)r,
    };

    if (ioctl(fd, IOMMU_IOAS_IOVA_RANGES, &cmd) || !cmd.num_iovas) {
        return 0;
    }
    return r[cmd.num_iovas - 1].last;
}

/* paging_domain_alloc(): the aperture of each stage on each host. */
static void test_aperture(int fd, uint32_t dev)
{
    uint64_t saved_cap = sim_config.vtd_cap;
    uint32_t ioas, hwpt;

    h_ioas_alloc(fd, &ioas);
    h_hwpt_alloc(fd, dev, ioas, 0, &hwpt);
    tap_ok(aperture_last(fd, ioas) == (1ULL << 56) - 1,
           "paging_domain_alloc(): a first-stage domain (plain paging, "
           "current kernels) ends at 2^(gaw-1) - 1, gaw 57");
    h_destroy(fd, hwpt);
    h_hwpt_alloc(fd, dev, ioas, IOMMU_HWPT_ALLOC_NEST_PARENT, &hwpt);
    tap_ok(aperture_last(fd, ioas) == (1ULL << 57) - 1,
           "paging_domain_alloc(): a second-stage domain (nesting parent) "
           "ends at 2^gaw - 1");
    h_destroy(fd, hwpt);

    sim_config.vtd_cap &= ~VTD_CAP_FS5LP;
    h_hwpt_alloc(fd, dev, ioas, 0, &hwpt);
    tap_ok(aperture_last(fd, ioas) == (1ULL << 47) - 1,
           "__iommu_calculate_sagaw(): without FS5LP the gaw is 48, a "
           "first-stage domain ends at 2^47 - 1");
    h_destroy(fd, hwpt);
    sim_config.vtd_cap = saved_cap;
    h_destroy(fd, ioas);
}

/* Automatic domains are not PASID-compatible. */
static void test_pasid_to_ioas(int fd, int devfd, uint32_t dev)
{
    uint32_t ioas, rid_hwpt, pasid_hwpt;

    h_ioas_alloc(fd, &ioas);
    h_hwpt_alloc(fd, dev, ioas, IOMMU_HWPT_ALLOC_PASID, &rid_hwpt);
    h_hwpt_alloc(fd, dev, ioas, IOMMU_HWPT_ALLOC_PASID, &pasid_hwpt);
    TAP_ERRNO(h_attach(devfd, ioas, true, 7, NULL), EINVAL,
              "iommufd_device_auto_get_domain(): a PASID attaching to an "
              "IOAS: EINVAL");
    h_attach(devfd, rid_hwpt, false, 0, NULL);
    TAP_ERRNO(h_attach(devfd, pasid_hwpt, true, 7, NULL), 0,
              "PASID 7 on a PASID-compatible HWPT");
    TAP_ERRNO(h_attach(devfd, ioas, false, 0, NULL), EINVAL,
              "iommufd_device_auto_get_domain(): the RID moving to an IOAS "
              "while PASIDs are attached: EINVAL");
    h_detach(devfd, true, 7);
    TAP_ERRNO(h_attach(devfd, ioas, false, 0, NULL), 0,
              "the RID moves to the IOAS once no PASID is attached");
    h_detach(devfd, false, 0);
    h_destroy(fd, pasid_hwpt);
    h_destroy(fd, rid_hwpt);
    h_destroy(fd, ioas);
}

/* Driver data longer than the kernel's struct, with a zero tail. */
static void test_driver_data_len(int fd, uint32_t dev)
{
    struct {
        struct iommu_hwpt_vtd_s1 s1;
        uint64_t tail;
    } data = { .s1 = { .pgtbl_addr = 0x1000, .addr_width = 48 } };
    struct {
        struct iommu_hwpt_vtd_s1_invalidate e;
        uint64_t tail;
    } entry = { .e = { .npages = 1 } };
    struct iommu_hwpt_alloc cmd = {
        .size = sizeof(cmd), .dev_id = dev,
        .data_type = IOMMU_HWPT_DATA_VTD_S1, .data_len = sizeof(data),
        .data_uptr = (uintptr_t)&data,
    };
    struct iommu_hwpt_invalidate inv = {
        .size = sizeof(inv), .data_type = IOMMU_HWPT_INVALIDATE_DATA_VTD_S1,
        .data_uptr = (uintptr_t)&entry, .entry_len = sizeof(entry),
        .entry_num = 1,
    };
    uint32_t ioas, parent, nested;

    h_ioas_alloc(fd, &ioas);
    h_hwpt_alloc(fd, dev, ioas, IOMMU_HWPT_ALLOC_NEST_PARENT, &parent);
    cmd.pt_id = parent;
    TAP_ERRNO(ioctl(fd, IOMMU_HWPT_ALLOC, &cmd), EINVAL,
              "__iommu_copy_struct_from_user(): VTD_S1 data_len past the "
              "struct, zero tail: EINVAL");
    h_hwpt_nested(fd, dev, parent, 0, 0x1000, 48, &nested);
    inv.hwpt_id = nested;
    TAP_ERRNO(ioctl(fd, IOMMU_HWPT_INVALIDATE, &inv), EINVAL,
              "__iommu_copy_struct_from_user_array(): entry_len past the "
              "struct, zero tail: EINVAL");
    tap_ok(inv.entry_num == 0, "... and no entry was handled");
    h_destroy(fd, nested);
    h_destroy(fd, parent);
    h_destroy(fd, ioas);
}

/* What HWPT_ALLOC and HWPT_INVALIDATE check, and what they do not. */
static void test_hwpt_bounds(int fd, uint32_t dev)
{
    struct iommu_hwpt_vtd_s1 s1 = {
        .flags = 1u << 7, .pgtbl_addr = 0x1000, .addr_width = 48,
        .__reserved = 1,
    };
    struct iommu_hwpt_vtd_s1_invalidate entry = { .npages = 1 };
    struct iommu_hwpt_alloc cmd = { .size = sizeof(cmd), .dev_id = dev };
    struct iommu_hwpt_invalidate inv = {
        .size = sizeof(inv), .data_type = IOMMU_HWPT_INVALIDATE_DATA_VTD_S1,
        .data_uptr = (uintptr_t)&entry, .entry_len = sizeof(entry),
    };
    uint32_t ioas, parent, paging, nested;

    h_ioas_alloc(fd, &ioas);
    cmd.pt_id = 999;
    TAP_ERRNO(ioctl(fd, IOMMU_HWPT_ALLOC, &cmd), EINVAL,
              "iommufd_hwpt_alloc(): an unknown pt_id: EINVAL");
    cmd.pt_id = ioas;
    cmd.__reserved2 = 1;
    TAP_ERRNO(ioctl(fd, IOMMU_HWPT_ALLOC, &cmd), 0,
              "iommufd_hwpt_alloc(): __reserved2 is not checked");
    paging = cmd.out_hwpt_id;
    h_hwpt_alloc(fd, dev, ioas, IOMMU_HWPT_ALLOC_NEST_PARENT, &parent);
    cmd = (struct iommu_hwpt_alloc) {
        .size = sizeof(cmd), .dev_id = dev, .pt_id = parent,
        .data_type = IOMMU_HWPT_DATA_VTD_S1, .data_len = sizeof(s1),
        .data_uptr = (uintptr_t)&s1,
    };
    TAP_ERRNO(ioctl(fd, IOMMU_HWPT_ALLOC, &cmd), 0,
              "intel_nested_domain_alloc(): unknown VTD_S1 flags and "
              "__reserved are not checked");
    nested = cmd.out_hwpt_id;
    inv.hwpt_id = nested;
    inv.entry_num = 1;
    inv.entry_len = PAGE + 8;
    TAP_ERRNO(ioctl(fd, IOMMU_HWPT_INVALIDATE, &inv), EINVAL,
              "iommufd_hwpt_invalidate(): entry_len > PAGE_SIZE: EINVAL");
    inv.entry_len = sizeof(entry);
    inv.entry_num = (1u << 19) + 1;
    TAP_ERRNO(ioctl(fd, IOMMU_HWPT_INVALIDATE, &inv), EINVAL,
              "iommufd_hwpt_invalidate(): entry_num > 1 << 19: EINVAL");
    inv.entry_num = 1;
    inv.hwpt_id = paging;
    TAP_ERRNO(ioctl(fd, IOMMU_HWPT_INVALIDATE, &inv), EINVAL,
              "iommufd_hwpt_invalidate() (vIOMMU-aware kernels): a paging "
              "HWPT: EINVAL");
    h_destroy(fd, nested);
    h_destroy(fd, parent);
    h_destroy(fd, paging);
    h_destroy(fd, ioas);
}

/* IOMMU_HWPT_ALLOC_PASID asks nothing of the host's PASID support. */
static void test_alloc_pasid_without_ecap(int fd, uint32_t dev)
{
    uint64_t saved_ecap = sim_config.vtd_ecap;
    uint32_t ioas, hwpt;

    h_ioas_alloc(fd, &ioas);
    sim_config.vtd_ecap &= ~VTD_ECAP_PASID;
    TAP_ERRNO(h_hwpt_alloc(fd, dev, ioas, IOMMU_HWPT_ALLOC_PASID, &hwpt), 0,
              "intel_iommu_domain_alloc_paging_flags() (current): "
              "HWPT_ALLOC_PASID without ECAP.PASID is accepted");
    sim_config.vtd_ecap = saved_ecap;
    h_destroy(fd, hwpt);
    h_destroy(fd, ioas);
}

/* GET_DIRTY_BITMAP's range checks come before the domain's support. */
static void test_dirty_zero_length(int fd, uint32_t dev)
{
    struct iommu_hwpt_get_dirty_bitmap cmd = {
        .size = sizeof(cmd), .page_size = PAGE,
    };
    uint32_t ioas, hwpt;

    h_ioas_alloc(fd, &ioas);
    h_hwpt_alloc(fd, dev, ioas, 0, &hwpt);
    cmd.hwpt_id = hwpt;
    TAP_ERRNO(ioctl(fd, IOMMU_HWPT_GET_DIRTY_BITMAP, &cmd), EINVAL,
              "iommufd_check_iova_range(): length 0: EINVAL");
    h_destroy(fd, hwpt);
    h_destroy(fd, ioas);
}

/* IOVA alignment and automatic IOVAs of io_pagetable.c. */
static void test_iova_alignment(int fd, uint32_t dev)
{
    struct iommu_option opt = {
        .size = sizeof(opt), .option_id = IOMMU_OPTION_HUGE_PAGES,
        .op = IOMMU_OPTION_OP_SET, .val64 = 0,
    };
    struct iommu_ioas_iova_ranges ranges = { .size = sizeof(ranges) };
    char *buf = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    struct iommu_ioas_map map = {
        .size = sizeof(map), .user_va = (uintptr_t)buf + 0x10,
        .length = 0x100, .flags = IOMMU_IOAS_MAP_READABLE,
    };
    uint32_t ioas;

    (void)dev;
    h_ioas_alloc(fd, &ioas);
    map.ioas_id = ioas;
    TAP_ERRNO(ioctl(fd, IOMMU_IOAS_MAP, &map), 0, "map 0x100 bytes at +0x10");
    tap_ok(map.iova == PAGE + 0x10,
           "iopt_alloc_iova(): automatic IOVAs start at PAGE_SIZE and keep "
           "the user address's page offset (0x%llx)",
           (unsigned long long)map.iova);
    opt.object_id = ioas;
    TAP_ERRNO(ioctl(fd, IOMMU_OPTION, &opt), EADDRINUSE,
              "iopt_disable_large_pages(): HUGE_PAGES=0 over a misaligned "
              "area: EADDRINUSE");
    h_unmap(fd, ioas, map.iova, map.length, NULL);
    TAP_ERRNO(ioctl(fd, IOMMU_OPTION, &opt), 0, "HUGE_PAGES=0");
    ranges.ioas_id = ioas;
    ioctl(fd, IOMMU_IOAS_IOVA_RANGES, &ranges);
    tap_ok(ranges.out_iova_alignment == PAGE,
           "iopt_calculate_iova_alignment(): without large pages the IOVA "
           "alignment is PAGE_SIZE");
    TAP_ERRNO(ioctl(fd, IOMMU_IOAS_MAP, &map), EINVAL,
              "... and an unaligned length is refused: EINVAL");
    h_destroy(fd, ioas);
    munmap(buf, 4 * PAGE);
}

/* IOMMU_IOAS_ALLOW_IOVAS and IOMMU_VFIO_IOAS. */
static void test_allow_iovas(int fd)
{
    struct iommu_iova_range range = { .start = 0x10000, .last = 0x1ffff };
    struct iommu_ioas_allow_iovas allow = {
        .size = sizeof(allow), .num_iovas = 1,
        .allowed_iovas = (uintptr_t)&range,
    };
    struct iommu_vfio_ioas vfio = {
        .size = sizeof(vfio), .op = IOMMU_VFIO_IOAS_GET,
    };
    char *buf = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    struct iommu_ioas_map map = {
        .size = sizeof(map), .user_va = (uintptr_t)buf, .length = PAGE,
        .flags = IOMMU_IOAS_MAP_READABLE,
    };
    uint32_t ioas;

    h_ioas_alloc(fd, &ioas);
    allow.ioas_id = map.ioas_id = ioas;
    TAP_ERRNO(ioctl(fd, IOMMU_IOAS_ALLOW_IOVAS, &allow), 0, "ALLOW_IOVAS");
    TAP_ERRNO(ioctl(fd, IOMMU_IOAS_MAP, &map), 0, "map an automatic IOVA");
    tap_ok(map.iova == range.start,
           "iopt_alloc_iova(): automatic IOVAs come from the allowed ranges");
    range.last = range.start;
    TAP_ERRNO(ioctl(fd, IOMMU_IOAS_ALLOW_IOVAS, &allow), EINVAL,
              "iommufd_ioas_load_iovas(): start >= last: EINVAL");
    h_unmap(fd, ioas, map.iova, PAGE, NULL);

    TAP_ERRNO(ioctl(fd, IOMMU_VFIO_IOAS, &vfio), ENODEV,
              "iommufd_vfio_ioas(): GET with no compat IOAS: ENODEV");
    vfio.op = IOMMU_VFIO_IOAS_SET;
    vfio.ioas_id = ioas;
    TAP_ERRNO(ioctl(fd, IOMMU_VFIO_IOAS, &vfio), 0, "VFIO_IOAS SET");
    h_destroy(fd, ioas);
    vfio.op = IOMMU_VFIO_IOAS_GET;
    TAP_ERRNO(ioctl(fd, IOMMU_VFIO_IOAS, &vfio), ENODEV,
              "iommufd_destroy(): destroying the compat IOAS forgets it");
    munmap(buf, PAGE);
}

/* Pinning: a hole in the user range is EFAULT once a domain needs it. */
static void test_pin_efault(int fd, uint32_t dev)
{
    char *buf = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    uint32_t ioas, hwpt;

    munmap(buf + PAGE, PAGE);
    h_ioas_alloc(fd, &ioas);
    TAP_ERRNO(h_map(fd, ioas, buf, 2 * PAGE, 0x100000, RW_FLAGS), 0,
              "iopt_map_user_pages(): without a domain nothing is pinned: "
              "a hole is accepted");
    h_unmap(fd, ioas, 0x100000, 2 * PAGE, NULL);
    h_hwpt_alloc(fd, dev, ioas, 0, &hwpt);
    TAP_ERRNO(h_map(fd, ioas, buf, 2 * PAGE, 0x100000, RW_FLAGS), EFAULT,
              "iopt_fill_domains_pages(): with a domain the pages are "
              "pinned: a hole is EFAULT");
    h_destroy(fd, hwpt);
    h_destroy(fd, ioas);
    munmap(buf, PAGE);
}

/* A fresh anonymous mapping of @pages pages with @prot. */
static char *anon(unsigned pages, int prot)
{
    char *p = mmap(NULL, pages * PAGE, prot, MAP_PRIVATE | MAP_ANONYMOUS,
                   -1, 0);

    if (p == MAP_FAILED) {
        abort();
    }
    return p;
}

/*
 * iopt_table_add_domain() -> iopt_fill_domain() pins every area the new
 * domain maps, and IOAS_MAP pins at once where a domain exists
 * (iopt_fill_domains_pages()): pin_user_pages_fast() with FOLL_LONGTERM,
 * and FOLL_WRITE for pages mapped writeable (pfn_reader_user_init()),
 * fails with EFAULT where check_vma_flags() refuses the mapping.
 */
static void test_pin_vma(int fd, int devfd, uint32_t dev)
{
    char *buf = anon(2, PROT_READ | PROT_WRITE);
    char *ro = anon(1, PROT_READ), *none = anon(1, PROT_NONE);
    char *wo = anon(1, PROT_WRITE);
    struct iommu_ioas_copy cp = {
        .size = sizeof(cp),
        .flags = IOMMU_IOAS_MAP_READABLE | IOMMU_IOAS_MAP_FIXED_IOVA,
        .dst_iova = 0x100000, .src_iova = 0x100000, .length = PAGE,
    };
    uint32_t ioas, copy, hwpt, hwpt2;

    h_ioas_alloc(fd, &ioas);
    h_map(fd, ioas, buf, 2 * PAGE, 0x100000, RW_FLAGS);
    munmap(buf, 2 * PAGE);
    TAP_ERRNO(h_hwpt_alloc(fd, dev, ioas, 0, &hwpt), EFAULT,
              "iopt_fill_domain(): HWPT_ALLOC over an area whose memory was "
              "unmapped: EFAULT");
    TAP_ERRNO(h_attach(devfd, ioas, false, 0, NULL), EFAULT,
              "... and so does the automatic domain of an attach");
    h_unmap(fd, ioas, 0x100000, 2 * PAGE, NULL);

    h_map(fd, ioas, ro, PAGE, 0x100000, RW_FLAGS);
    TAP_ERRNO(h_hwpt_alloc(fd, dev, ioas, 0, &hwpt), EFAULT,
              "check_vma_flags(): a read-only mapping mapped WRITEABLE "
              "cannot be pinned for writing: EFAULT");
    h_unmap(fd, ioas, 0x100000, PAGE, NULL);
    h_map(fd, ioas, ro, PAGE, 0x100000,
          IOMMU_IOAS_MAP_READABLE | IOMMU_IOAS_MAP_FIXED_IOVA);
    TAP_ERRNO(h_hwpt_alloc(fd, dev, ioas, 0, &hwpt), 0,
              "... mapped READABLE only it can");
    TAP_ERRNO(h_map(fd, ioas, ro, PAGE, 0x200000, RW_FLAGS), EFAULT,
              "iopt_fill_domains_pages(): IOAS_MAP WRITEABLE of a read-only "
              "mapping with a domain present: EFAULT");
    TAP_ERRNO(h_map(fd, ioas, none, PAGE, 0x200000,
                    IOMMU_IOAS_MAP_READABLE | IOMMU_IOAS_MAP_FIXED_IOVA),
              EFAULT, "... IOAS_MAP of a PROT_NONE mapping: EFAULT");
    TAP_ERRNO(h_map(fd, ioas, wo, PAGE, 0x200000, RW_FLAGS), 0,
              "... a write-only mapping pins for writing (VM_WRITE is all "
              "FOLL_WRITE asks)");

    /*
     * Pages a domain holds are not pinned again (pfn_reader_fill_span()):
     * not by another domain of the IOAS, nor by a domain of an IOAS they
     * were copied to.
     */
    munmap(ro, PAGE);
    TAP_ERRNO(h_hwpt_alloc(fd, dev, ioas, 0, &hwpt2), 0,
              "memory unmapped, a second domain of the IOAS takes the pages "
              "from the first");
    h_destroy(fd, hwpt2);
    h_ioas_alloc(fd, &copy);
    cp.src_ioas_id = ioas;
    cp.dst_ioas_id = copy;
    TAP_ERRNO(ioctl(fd, IOMMU_IOAS_COPY, &cp), 0, "IOAS_COPY");
    TAP_ERRNO(h_hwpt_alloc(fd, dev, copy, 0, &hwpt2), 0,
              "... and a domain of the IOAS they were copied to too");
    h_destroy(fd, hwpt2);
    h_destroy(fd, hwpt);
    TAP_ERRNO(h_hwpt_alloc(fd, dev, copy, 0, &hwpt2), EFAULT,
              "with no domain holding them they are pinned from the process: "
              "EFAULT");
    h_destroy(fd, copy);
    h_destroy(fd, ioas);
    munmap(none, PAGE);
    munmap(wo, PAGE);
}

/*
 * Pages an access pinned are not pinned again for a domain
 * (pfn_reader_fill_span() reads them from pinned_pfns); the selftest's
 * access objects (IOMMU_TEST_CMD) pin them.
 */
static void test_pin_access(int fd, uint32_t dev)
{
    char *buf = anon(2, PROT_READ | PROT_WRITE);
    struct sim_test_cmd cmd = {
        .size = sizeof(cmd), .op = SIM_TEST_OP_CREATE_ACCESS,
        /* MOCK_FLAGS_ACCESS_CREATE_NEEDS_PIN_PAGES */
        .create_access.flags = 1,
    };
    uint32_t ioas, hwpt;
    int access_fd;

    sim_config.test_cmd = true;
    h_ioas_alloc(fd, &ioas);
    h_map(fd, ioas, buf, 2 * PAGE, 0x100000, RW_FLAGS);
    cmd.id = ioas;
    ioctl(fd, SIM_IOMMU_TEST_CMD, &cmd);
    access_fd = cmd.create_access.out_access_fd;
    cmd = (struct sim_test_cmd) {
        .size = sizeof(cmd), .op = SIM_TEST_OP_ACCESS_PAGES, .id = access_fd,
        .access_pages = { .iova = 0x100000, .length = PAGE },
    };
    TAP_ERRNO(ioctl(fd, SIM_IOMMU_TEST_CMD, &cmd), 0,
              "an access pins the first page");
    munmap(buf, PAGE);
    TAP_ERRNO(h_hwpt_alloc(fd, dev, ioas, 0, &hwpt), 0,
              "iopt_fill_domain(): the pinned page, unmapped, comes from the "
              "access");
    h_destroy(fd, hwpt);
    munmap(buf + PAGE, PAGE);
    TAP_ERRNO(h_hwpt_alloc(fd, dev, ioas, 0, &hwpt), EFAULT,
              "... the other one, unmapped too, is pinned from the process: "
              "EFAULT");
    close(access_fd);
    h_destroy(fd, ioas);
    sim_config.test_cmd = false;
}

/* IOAS_MAP_FILE: the pages come from the file, wherever it is mapped. */
static void test_pin_file(int fd, uint32_t dev)
{
    int mfd = memfd_create("pin", MFD_CLOEXEC);
    struct iommu_ioas_map_file mf = {
        .size = sizeof(mf), .fd = mfd, .length = PAGE,
        .flags = RW_FLAGS, .iova = 0x100000,
    };
    uint32_t ioas, hwpt;

    if (mfd < 0 || ftruncate(mfd, PAGE)) {
        abort();
    }
    h_ioas_alloc(fd, &ioas);
    mf.ioas_id = ioas;
    TAP_ERRNO(ioctl(fd, IOMMU_IOAS_MAP_FILE, &mf), 0,
              "IOAS_MAP_FILE of a memfd mapped nowhere");
    TAP_ERRNO(h_hwpt_alloc(fd, dev, ioas, 0, &hwpt), 0,
              "iopt_fill_domain(): a file area is pinned through the file");
    mf.iova = 0x200000;
    TAP_ERRNO(ioctl(fd, IOMMU_IOAS_MAP_FILE, &mf), 0,
              "... and so is IOAS_MAP_FILE with a domain present");
    h_destroy(fd, hwpt);
    h_destroy(fd, ioas);
    close(mfd);
}

/* The dirty ioctls of a VT-d paging HWPT. */
static void test_dirty_ioctls(int fd, uint32_t dev)
{
    uint64_t saved_ecap = sim_config.vtd_ecap;
    uint64_t bitmap = 0xf0;
    struct iommu_hwpt_set_dirty_tracking set = {
        .size = sizeof(set), .flags = IOMMU_HWPT_DIRTY_TRACKING_ENABLE,
        .__reserved = 1,
    };
    struct iommu_hwpt_get_dirty_bitmap get = {
        .size = sizeof(get), .iova = 0x100000, .length = 4 * PAGE,
        .page_size = PAGE, .data = (uintptr_t)&bitmap,
    };
    uint32_t ioas, hwpt;

    sim_config.vtd_ecap |= VTD_ECAP_SSADS | VTD_ECAP_SMPWC;
    h_ioas_alloc(fd, &ioas);
    h_hwpt_alloc(fd, dev, ioas, IOMMU_HWPT_ALLOC_DIRTY_TRACKING, &hwpt);
    set.hwpt_id = get.hwpt_id = hwpt;
    TAP_ERRNO(ioctl(fd, IOMMU_HWPT_SET_DIRTY_TRACKING, &set), 0,
              "iommufd_hwpt_set_dirty_tracking(): __reserved is not checked");
    TAP_ERRNO(ioctl(fd, IOMMU_HWPT_GET_DIRTY_BITMAP, &get), 0,
              "GET_DIRTY_BITMAP");
    tap_ok(bitmap == 0xf0, "iova_bitmap: the kernel only sets bits, it "
           "leaves the caller's others alone");
    h_destroy(fd, hwpt);
    h_destroy(fd, ioas);
    sim_config.vtd_ecap = saved_ecap;
}

/* GET_HW_INFO and HWPT_ALLOC both offer dirty tracking, or neither does. */
static void check_dirty(int fd, uint32_t dev, uint32_t ioas, bool want,
                        const char *what)
{
    struct iommu_hw_info info = { .size = sizeof(info), .dev_id = dev };
    uint32_t hwpt;

    ioctl(fd, IOMMU_GET_HW_INFO, &info);
    tap_ok(!!(info.out_capabilities & IOMMU_HW_CAP_DIRTY_TRACKING) == want,
           "%s: GET_HW_INFO %s IOMMU_HW_CAP_DIRTY_TRACKING", what,
           want ? "reports" : "does not report");
    TAP_ERRNO(h_hwpt_alloc(fd, dev, ioas, IOMMU_HWPT_ALLOC_DIRTY_TRACKING,
                           &hwpt), want ? 0 : EOPNOTSUPP,
              "%s: HWPT_ALLOC DIRTY_TRACKING %s", what,
              want ? "succeeds" : "EOPNOTSUPP");
    if (want) {
        h_destroy(fd, hwpt);
    }
}

/*
 * ssads_supported(): dirty tracking needs SMTS, SLADS (SSADS here) and
 * SMPWC; intel_iommu_capable() answers GET_HW_INFO and HWPT_ALLOC with it.
 */
static void test_dirty_capability(int fd, uint32_t dev)
{
    uint64_t saved_ecap = sim_config.vtd_ecap;
    uint32_t ioas;

    h_ioas_alloc(fd, &ioas);
    sim_config.vtd_ecap = VTD_SIM_DEFAULT_ECAP | VTD_ECAP_SSADS;
    sim_config.vtd_ecap &= ~VTD_ECAP_SMPWC;
    check_dirty(fd, dev, ioas, false,
                "ssads_supported(): SSADS without SMPWC");
    sim_config.vtd_ecap |= VTD_ECAP_SMPWC;
    check_dirty(fd, dev, ioas, true,
                "ssads_supported(): SMTS, SSADS and SMPWC");
    sim_config.vtd_ecap &= ~VTD_ECAP_SMTS;
    check_dirty(fd, dev, ioas, false,
                "ssads_supported(): SSADS and SMPWC without SMTS");
    sim_config.vtd_ecap = saved_ecap;
    h_destroy(fd, ioas);
}

/* /dev/iommu as a VFIO type1 container (vfio_compat.c). */
static void test_vfio_compat(int fd)
{
    char *buf = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    struct iommu_vfio_ioas set = {
        .size = sizeof(set), .op = IOMMU_VFIO_IOAS_SET,
    };
    struct vfio_iommu_type1_dma_map map = {
        .argsz = sizeof(map),
        .flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
        .vaddr = (uintptr_t)buf, .iova = 0x100000, .size = 4 * PAGE,
    };
    struct vfio_iommu_type1_dma_unmap unmap = {
        .argsz = sizeof(unmap), .iova = 0x101000, .size = PAGE,
    };
    uint32_t ioas;

    TAP_ERRNO(ioctl(fd, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU), ENODEV,
              "iommufd_vfio_set_iommu(): no compat IOAS: ENODEV");
    h_ioas_alloc(fd, &ioas);
    set.ioas_id = ioas;
    ioctl(fd, IOMMU_VFIO_IOAS, &set);
    tap_ok(ioctl(fd, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU) == 1,
           "iommufd_vfio_check_extension(): TYPE1v2");
    TAP_ERRNO(ioctl(fd, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU), 0,
              "SET_IOMMU TYPE1v2");
    TAP_ERRNO(ioctl(fd, VFIO_IOMMU_MAP_DMA, &map), 0, "MAP_DMA 4 pages");
    TAP_ERRNO(ioctl(fd, VFIO_IOMMU_UNMAP_DMA, &unmap), ENOENT,
              "iommufd_vfio_unmap_dma(): TYPE1v2 cannot unmap a piece: "
              "ENOENT");
    tap_ok(unmap.size == 0, "... and the size unmapped, 0, goes back");
    unmap.size = PAGE;
    TAP_ERRNO(ioctl(fd, VFIO_SET_IOMMU, VFIO_TYPE1_IOMMU), 0,
              "SET_IOMMU TYPE1 (iopt_disable_large_pages())");
    TAP_ERRNO(ioctl(fd, VFIO_IOMMU_UNMAP_DMA, &unmap), 0,
              "iopt_cut_iova(): TYPE1 unmaps a piece of a mapping");
    tap_ok(unmap.size == PAGE, "... and reports its size");
    unmap.iova = 0x100000;
    unmap.size = 4 * PAGE;
    TAP_ERRNO(ioctl(fd, VFIO_IOMMU_UNMAP_DMA, &unmap), 0,
              "unmap the rest around the hole");
    tap_ok(unmap.size == 3 * PAGE, "... 3 pages");
    h_destroy(fd, ioas);
    munmap(buf, 4 * PAGE);
}

int main(void)
{
    int fd = h_open_iommufd(), devfd = h_open_dev(0);
    uint32_t dev;

    h_bind(devfd, fd, &dev);
    test_aperture(fd, dev);
    test_pasid_to_ioas(fd, devfd, dev);
    test_driver_data_len(fd, dev);
    test_hwpt_bounds(fd, dev);
    test_alloc_pasid_without_ecap(fd, dev);
    test_dirty_zero_length(fd, dev);
    test_iova_alignment(fd, dev);
    test_allow_iovas(fd);
    test_pin_efault(fd, dev);
    test_pin_vma(fd, devfd, dev);
    test_pin_access(fd, dev);
    test_pin_file(fd, dev);
    test_dirty_ioctls(fd, dev);
    test_dirty_capability(fd, dev);
    test_vfio_compat(fd);
    close(devfd);
    close(fd);
    return tap_done();
}
