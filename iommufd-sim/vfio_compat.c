/*
 * iommufd-sim: /dev/iommu as a VFIO type1 container
 *
 * The kernel's iommufd answers the VFIO container ioctls too, mapping
 * into the compat IOAS that IOMMU_VFIO_IOAS chose
 * (drivers/iommu/iommufd/vfio_compat.c, Linux 6.12); each function below
 * mirrors the one named above it.  QEMU does not use this path with
 * iommufd, the kernel's selftest does.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <linux/vfio.h>

#include "config.h"
#include "ioas.h"
#include "log.h"
#include "vfio_compat.h"
#include "vtd_regs.h"

#define SIM_PAGE_SIZE 4096ULL
#define MINSZ(type, field) (offsetof(type, field) + sizeof(((type *)0)->field))

bool sim_vfio_compat_request(unsigned long request)
{
    switch (request) {
    case VFIO_GET_API_VERSION:
    case VFIO_SET_IOMMU:
    case VFIO_CHECK_EXTENSION:
    case VFIO_IOMMU_GET_INFO:
    case VFIO_IOMMU_MAP_DMA:
    case VFIO_IOMMU_UNMAP_DMA:
        return true;
    default:
        return false;
    }
}

/* get_compat_ioas(): none chosen is ENODEV. */
static struct sim_ioas *compat_ioas(struct sim_ictx *ictx, int *err)
{
    *err = ictx->vfio_ioas ? 0 : -ENODEV;
    return ictx->vfio_ioas;
}

/* iommufd_vfio_map_dma(): at the IOVA given, READ/WRITE as asked. */
static int map_dma(struct sim_ictx *ictx, struct vfio_iommu_type1_dma_map *arg)
{
    size_t minsz = MINSZ(struct vfio_iommu_type1_dma_map, size);
    struct vfio_iommu_type1_dma_map map;
    struct sim_ioas *ioas;
    uint32_t flags = IOMMU_IOAS_MAP_FIXED_IOVA;
    uint64_t iova;
    int err;

    if (!arg) {
        return -EFAULT;
    }
    memcpy(&map, arg, minsz);
    if (map.argsz < minsz ||
        (map.flags & ~(VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE))) {
        return -EINVAL;
    }
    if (map.flags & VFIO_DMA_MAP_FLAG_READ) {
        flags |= IOMMU_IOAS_MAP_READABLE;
    }
    if (map.flags & VFIO_DMA_MAP_FLAG_WRITE) {
        flags |= IOMMU_IOAS_MAP_WRITEABLE;
    }
    ioas = compat_ioas(ictx, &err);
    if (!ioas) {
        return err;
    }
    iova = map.iova;
    return sim_ioas_map_user(ioas, flags, &iova, map.vaddr, map.size);
}

/*
 * iommufd_vfio_unmap_dma(): UNMAP_FLAG_ALL with a zero range, or the
 * whole mappings inside the range -- cut first at its ends in TYPE1 mode
 * (large pages disabled), where a mapping may be unmapped in pieces.
 */
static int unmap_dma(struct sim_ictx *ictx,
                     struct vfio_iommu_type1_dma_unmap *arg)
{
    size_t minsz = MINSZ(struct vfio_iommu_type1_dma_unmap, size);
    struct vfio_iommu_type1_dma_unmap unmap;
    uint64_t unmapped = 0;
    struct sim_ioas *ioas;
    int err;

    if (!arg) {
        return -EFAULT;
    }
    memcpy(&unmap, arg, minsz);
    if (unmap.argsz < minsz || (unmap.flags & ~VFIO_DMA_UNMAP_FLAG_ALL)) {
        return -EINVAL;
    }
    ioas = compat_ioas(ictx, &err);
    if (!ioas) {
        return err;
    }
    if (unmap.flags & VFIO_DMA_UNMAP_FLAG_ALL) {
        if (unmap.iova || unmap.size) {
            return -EINVAL;
        }
        err = sim_ioas_unmap(ictx, ioas, 0, UINT64_MAX, &unmapped);
    } else if (!unmap.size) {
        return -EINVAL;     /* iopt_unmap_iova() */
    } else if (unmap.iova + (unmap.size - 1) < unmap.iova) {
        return -EOVERFLOW;
    } else {
        uint64_t cuts[] = { unmap.iova + unmap.size - 1, unmap.iova - 1 };

        if (ioas->huge_pages_disabled) {
            err = sim_ioas_cut(ioas, cuts, unmap.iova ? 2 : 1);
            if (err) {
                return err;
            }
        }
        err = sim_ioas_unmap(ictx, ioas, unmap.iova,
                             unmap.iova + unmap.size - 1, &unmapped);
    }
    /* The size unmapped goes back even when the unmap failed. */
    arg->size = unmapped;
    return err;
}

/*
 * iommufd_vfio_cc_iommu(): whether every paging domain on the compat IOAS
 * enforces cache coherency -- VT-d's do when the IOMMU snoops (ECAP.SC,
 * intel_iommu_capable()), the mock driver's never.
 */
static int cc_iommu(struct sim_ictx *ictx)
{
    struct sim_ioas *ioas;
    int err;

    ioas = compat_ioas(ictx, &err);
    if (!ioas) {
        return err;
    }
    for (uint32_t id = 1; id < ictx->objects.next; id++) {
        struct sim_obj *obj = sim_id_lookup(&ictx->objects, id);

        if (obj && obj->type == SIM_OBJ_HWPT_PAGING &&
            to_hwpt(obj)->ioas == ioas &&
            (to_hwpt(obj)->mock || !(sim_config.vtd_ecap & VTD_ECAP_SC))) {
            return 0;
        }
    }
    return 1;
}

/*
 * iommufd_vfio_check_extension().  The simulated host has no
 * CONFIG_VFIO_NOIOMMU, and /dev/iommu is never in no-IOMMU mode (only a
 * VFIO group could put it there).
 */
static int check_extension(struct sim_ictx *ictx, unsigned long type)
{
    switch (type) {
    case VFIO_TYPE1_IOMMU:
    case VFIO_TYPE1v2_IOMMU:
    case VFIO_UNMAP_ALL:
        return 1;
    case VFIO_DMA_CC_IOMMU:
        return cc_iommu(ictx);
    default:
        return 0;
    }
}

/* iommufd_vfio_set_iommu(): TYPE1 emulated by disabling large pages. */
static int set_iommu(struct sim_ictx *ictx, unsigned long type)
{
    struct sim_ioas *ioas;
    int err;

    if (type != VFIO_TYPE1_IOMMU && type != VFIO_TYPE1v2_IOMMU) {
        return -EINVAL;
    }
    ioas = compat_ioas(ictx, &err);
    if (!ioas) {
        return err;
    }
    return type == VFIO_TYPE1_IOMMU ? sim_ioas_disable_large_pages(ioas) : 0;
}

/* iommufd_get_pagesizes() */
static uint64_t pagesizes(const struct sim_ioas *ioas)
{
    uint64_t bitmap = UINT64_MAX;

    for (size_t i = 0; i < ioas->num_domains; i++) {
        bitmap &= ioas->domains[i].pgsize_bitmap;
    }
    /* See vfio_update_pgsize_bitmap() */
    if (bitmap & (SIM_PAGE_SIZE - 1)) {
        bitmap &= ~(SIM_PAGE_SIZE - 1);
        bitmap |= SIM_PAGE_SIZE;
    }
    return bitmap > sim_ioas_iova_alignment(ioas) ?
           bitmap : sim_ioas_iova_alignment(ioas);
}

/*
 * A capability writer: fills what fits in avail bytes at cur (NULL: none)
 * and returns the capability's size, or -errno.
 */
typedef long (*fill_cap_fn)(const struct sim_ioas *ioas, unsigned char *cur,
                            size_t avail);

/* iommufd_fill_cap_dma_avail() */
static long fill_dma_avail(const struct sim_ioas *ioas, unsigned char *cur,
                           size_t avail)
{
    struct vfio_iommu_type1_info_dma_avail cap = {
        .header = { .id = VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL, .version = 1 },
        .avail = UINT32_MAX,
    };

    (void)ioas;
    if (avail >= sizeof(cap)) {
        memcpy(cur, &cap, sizeof(cap));
    }
    return sizeof(cap);
}

/* iommufd_fill_cap_iova(): the allowed IOVA ranges. */
static long fill_iova(const struct sim_ioas *ioas, unsigned char *cur,
                      size_t avail)
{
    struct vfio_iommu_type1_info_cap_iova_range cap = {
        .header = { .id = VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE, .version = 1 },
    };
    size_t range_at = offsetof(struct vfio_iommu_type1_info_cap_iova_range,
                               iova_ranges);
    struct sim_iova_range *r;
    long n = sim_ioas_allowed_ranges(ioas, &r);

    if (n < 0) {
        return n;
    }
    for (long i = 0; i < n; i++) {
        struct vfio_iova_range range = { r[i].first, r[i].last };

        if (avail >= range_at + (i + 1) * sizeof(range)) {
            memcpy(cur + range_at + i * sizeof(range), &range, sizeof(range));
        }
    }
    free(r);
    cap.nr_iovas = n;
    if (avail >= range_at + n * sizeof(struct vfio_iova_range)) {
        memcpy(cur, &cap, sizeof(cap));
    }
    return range_at + n * sizeof(struct vfio_iova_range);
}

/*
 * iommufd_vfio_iommu_get_info(): the page sizes, then the capability
 * chain as far as argsz holds it; argsz returns the size of all of it.
 */
static int get_info(struct sim_ictx *ictx, struct vfio_iommu_type1_info *arg)
{
    static const fill_cap_fn fill_fns[] = { fill_dma_avail, fill_iova };
    size_t minsz = MINSZ(struct vfio_iommu_type1_info, iova_pgsizes);
    struct vfio_iommu_type1_info info = { 0 };
    unsigned char *base = (unsigned char *)arg;
    struct vfio_info_cap_header *last_cap = NULL;
    struct sim_ioas *ioas;
    size_t total = sizeof(info);
    int err;

    if (!arg) {
        return -EFAULT;
    }
    memcpy(&info, arg, minsz);
    if (info.argsz < minsz) {
        return -EINVAL;
    }
    minsz = info.argsz < sizeof(info) ? info.argsz : sizeof(info);
    ioas = compat_ioas(ictx, &err);
    if (!ioas) {
        return err;
    }
    info.flags = VFIO_IOMMU_INFO_PGSIZES;
    info.iova_pgsizes = pagesizes(ioas);
    info.cap_offset = 0;
    for (size_t i = 0; i < sizeof(fill_fns) / sizeof(fill_fns[0]); i++) {
        long cap_size = info.argsz > total ?
                        fill_fns[i](ioas, base + total, info.argsz - total) :
                        fill_fns[i](ioas, NULL, 0);

        if (cap_size < 0) {
            return cap_size;
        }
        cap_size = (cap_size + 7) & ~7L;
        if (last_cap && info.argsz >= total) {
            last_cap->next = total;
        }
        last_cap = (struct vfio_info_cap_header *)(base + total);
        total += cap_size;
    }
    if (info.argsz >= total) {
        info.cap_offset = sizeof(info);
    }
    info.argsz = total;
    info.flags |= VFIO_IOMMU_INFO_CAPS;
    memcpy(arg, &info, minsz);
    return 0;
}

/* iommufd_vfio_ioctl() */
int sim_vfio_compat_ioctl(struct sim_ictx *ictx, int fd, unsigned long request,
                          void *arg)
{
    struct sim_log_rec log;
    int ret;

    sim_log_begin(&log, "VFIO_COMPAT");
    sim_log_i64(&log, "fd", fd);
    sim_log_u64(&log, "ctx", ictx->serial);
    sim_log_u64(&log, "cmd", request);
    switch (request) {
    case VFIO_GET_API_VERSION:
        ret = VFIO_API_VERSION;
        break;
    case VFIO_SET_IOMMU:
        ret = set_iommu(ictx, (unsigned long)arg);
        break;
    case VFIO_CHECK_EXTENSION:
        ret = check_extension(ictx, (unsigned long)arg);
        break;
    case VFIO_IOMMU_GET_INFO:
        ret = get_info(ictx, arg);
        break;
    case VFIO_IOMMU_MAP_DMA:
        ret = map_dma(ictx, arg);
        break;
    default:
        ret = unmap_dma(ictx, arg);
        break;
    }
    sim_log_end(&log, ret < 0 ? ret : 0);
    return ret;
}
