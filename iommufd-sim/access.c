/*
 * iommufd-sim: access objects of IOMMU_TEST_CMD
 *
 * Each function mirrors the one of Linux 6.12 named above it: the
 * selftest's side in drivers/iommu/iommufd/selftest.c, iommufd's in
 * device.c.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "access.h"
#include "fd_table.h"
#include "ioas.h"

#define SIM_PAGE_SIZE 4096ULL
/* MOCK_FLAGS_ACCESS_CREATE_NEEDS_PIN_PAGES */
#define ACCESS_CREATE_NEEDS_PIN_PAGES 1u
/* MOCK_FLAGS_ACCESS_WRITE, MOCK_ACCESS_RW_WRITE: IOMMUFD_ACCESS_RW_WRITE */
#define ACCESS_WRITE 1u
#define ACCESS_RW_SLOW_PATH (1u << 2)
#define ACCESS_SYZ (1u << 16)
/* "Prevent syzkaller from triggering a WARN_ON in kvzalloc()" */
#define ACCESS_MAX_LENGTH (16ULL << 20)

/* iommufd_access_get(): the access behind an access file, else EBADFD. */
static struct sim_access *access_get(uint32_t fd)
{
    struct sim_fd *entry = sim_fd_lookup(fd);

    return entry && entry->kind == SIM_FD_ACCESS ? entry->access : NULL;
}

/*
 * iommufd_access_change_ioas(): join the new IOAS (which may raise its
 * IOVA alignment), tell the selftest's access everything of the old one
 * is unmapped, leave it.
 */
static int change_ioas(struct sim_access *access, struct sim_ioas *ioas)
{
    int ret;

    if (access->ioas == ioas) {
        return 0;
    }
    if (ioas) {
        ret = sim_ioas_add_access(ioas, access);
        if (ret) {
            return ret;
        }
        ioas->obj.users++;
    }
    if (access->ioas) {
        access->num_items = 0;      /* iommufd_test_access_unmap(0, ~0) */
        sim_ioas_remove_access(access->ioas, access);
        access->ioas->obj.users--;
    }
    access->ioas = ioas;
    return 0;
}

/* iommufd_test_create_access(): iommufd_access_create(), _attach(). */
int sim_access_create_cmd(struct sim_ucmd *u, struct sim_test_cmd *cmd)
{
    uint32_t flags = cmd->create_access.flags;
    struct sim_access *access;
    struct sim_obj *ioas;
    struct sim_fd entry = { .kind = SIM_FD_ACCESS };
    int fd, ret;

    if (flags & ~ACCESS_CREATE_NEEDS_PIN_PAGES) {
        return -EOPNOTSUPP;
    }
    access = calloc(1, sizeof(*access));
    if (!access) {
        return -ENOMEM;
    }
    /* The anonymous file: a real descriptor, as for the device files. */
    fd = syscall(SYS_openat, AT_FDCWD, "/dev/null", O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        free(access);
        return -ENOMEM;
    }
    access->needs_pin = flags & ACCESS_CREATE_NEEDS_PIN_PAGES;
    access->ictx = u->ictx;
    ret = sim_obj_add(u->ictx, &access->obj, SIM_OBJ_ACCESS);
    if (ret) {
        goto out_close;
    }
    /* The calling driver is a user until iommufd_access_destroy(). */
    access->obj.users++;
    ioas = sim_obj_find(u->ictx, cmd->id, SIM_OBJ_IOAS);
    ret = ioas ? change_ioas(access, to_ioas(ioas)) : -ENOENT;
    entry.access = access;
    if (!ret) {
        ret = sim_fd_insert(fd, &entry);
    }
    if (ret) {
        change_ioas(access, NULL);
        access->obj.users--;
        sim_obj_remove(u->ictx, &access->obj);
        goto out_close;
    }
    sim_ictx_get(u->ictx);
    cmd->create_access.out_access_fd = fd;
    u->respond = true;
    return 0;

out_close:
    syscall(SYS_close, fd);
    return ret;
}

void sim_access_release(struct sim_access *access)
{
    struct sim_ictx *ictx = access->ictx;

    change_ioas(access, NULL);
    free(access->items);
    access->obj.users--;
    sim_obj_remove(ictx, &access->obj);
    sim_ictx_put(ictx);
}

/* iommufd_test_access_replace_ioas(): iommufd_access_replace(). */
int sim_access_replace_ioas_cmd(struct sim_ucmd *u, struct sim_test_cmd *cmd)
{
    struct sim_access *access = access_get(cmd->id);
    struct sim_obj *ioas;

    if (!access) {
        return -EBADFD;
    }
    if (!access->ioas) {
        return -ENOENT;
    }
    ioas = sim_obj_find(u->ictx, cmd->access_replace_ioas.ioas_id,
                        SIM_OBJ_IOAS);
    return ioas ? change_ioas(access, to_ioas(ioas)) : -ENOENT;
}

/* Where the byte at iova of area a lives in this process or its file. */
static uint64_t user_addr(const struct sim_area *a, uint64_t iova)
{
    return (a->file_fd >= 0 ? a->file_start : a->user_va) + (iova - a->iova);
}

/*
 * iopt_for_each_contig_area(): the area holding iova, then the ones that
 * follow without a hole, up to last; NULL at a hole (ENOENT).
 */
static const struct sim_area *contig_area(const struct sim_ioas *ioas,
                                          uint64_t iova)
{
    return sim_iova_map_find(&ioas->map, iova);
}

/* check_area_prot() */
static bool area_prot_ok(const struct sim_area *a, uint32_t flags)
{
    return a->prot & (flags & ACCESS_WRITE ? IOMMU_IOAS_MAP_WRITEABLE :
                                             IOMMU_IOAS_MAP_READABLE);
}

/*
 * The checks iommufd_access_pin_pages() and iommufd_access_rw() share:
 * a non-empty range that does not wrap, on an access with an IOAS.
 * Sets *@last to the range's last IOVA.
 */
static int access_range(const struct sim_access *access, uint64_t iova,
                        uint64_t len, uint64_t *last)
{
    if (!len) {
        return -EINVAL;
    }
    if (iova + (len - 1) < iova) {
        return -EOVERFLOW;
    }
    if (!access->ioas) {
        return -ENOENT;
    }
    *last = iova + len - 1;
    return 0;
}

/*
 * iommufd_access_pin_pages(): [iova, last] must be mapped without holes
 * (ENOENT), each area page aligned where it starts and, unless last,
 * where it ends (iopt_area_contig_is_aligned(), EINVAL), with the access's
 * permission (EPERM).
 */
static int pin_pages(const struct sim_access *access, uint64_t iova,
                     uint64_t len, uint32_t flags)
{
    uint64_t last, cur = iova;
    int ret = access_range(access, iova, len, &last);

    if (ret) {
        return ret;
    }
    for (;;) {
        const struct sim_area *a = contig_area(access->ioas, cur);

        if (!a) {
            return -ENOENT;
        }
        if (user_addr(a, cur) % SIM_PAGE_SIZE ||
            (a->last < last &&
             user_addr(a, a->last) % SIM_PAGE_SIZE != SIM_PAGE_SIZE - 1)) {
            return -EINVAL;
        }
        if (!area_prot_ok(a, flags)) {
            return -EPERM;
        }
        if (a->last >= last) {
            return 0;
        }
        cur = a->last + 1;
    }
}

/*
 * iommufd_test_check_pages(): the pinned pages are the pages of uptr,
 * from the page holding iova on (EBADE).
 */
static int check_pages(const struct sim_access *access, uint64_t iova,
                       uint64_t len, uint64_t uptr)
{
    uint64_t first = iova & ~(SIM_PAGE_SIZE - 1);
    uint64_t upage = uptr - (iova - first);

    for (uint64_t cur = first; cur < iova + len; cur += SIM_PAGE_SIZE) {
        const struct sim_area *a = contig_area(access->ioas,
                                               cur < iova ? iova : cur);
        uint64_t page = user_addr(a, cur < iova ? iova : cur) &
                        ~(SIM_PAGE_SIZE - 1);

        if (a->file_fd >= 0 || page != upage + (cur - first)) {
            return -EBADE;
        }
    }
    return 0;
}

/* iommufd_test_access_pages() */
int sim_access_pages_cmd(struct sim_ucmd *u, struct sim_test_cmd *cmd)
{
    uint64_t iova = cmd->access_pages.iova, len = cmd->access_pages.length;
    uint32_t flags = cmd->access_pages.flags;
    struct sim_access *access;
    struct sim_access_item *grown;
    int ret;

    (void)u;
    if (len > ACCESS_MAX_LENGTH) {
        return -ENOMEM;
    }
    if (flags & ~(ACCESS_WRITE | ACCESS_SYZ)) {
        return -EOPNOTSUPP;
    }
    access = access_get(cmd->id);
    if (!access) {
        return -EBADFD;
    }
    if (!access->needs_pin) {
        return -EOPNOTSUPP;
    }
    /* The syzkaller IOVA conversion is not modelled. */
    if (flags & ACCESS_SYZ) {
        return -EOPNOTSUPP;
    }
    ret = pin_pages(access, iova, len, flags);
    if (ret) {
        return ret;
    }
    if (cmd->access_pages.uptr) {
        ret = check_pages(access, iova, len, cmd->access_pages.uptr);
        if (ret) {
            return ret;
        }
    }
    grown = realloc(access->items, (access->num_items + 1) * sizeof(*grown));
    if (!grown) {
        return -ENOMEM;
    }
    access->items = grown;
    access->items[access->num_items++] = (struct sim_access_item) {
        .iova = iova, .length = len, .id = access->next_id,
    };
    cmd->access_pages.out_access_pages_id = access->next_id++;
    u->respond = true;
    return 0;
}

/* iommufd_test_access_item_destroy() */
int sim_access_destroy_pages_cmd(struct sim_ucmd *u, struct sim_test_cmd *cmd)
{
    struct sim_access *access = access_get(cmd->id);

    (void)u;
    if (!access) {
        return -EBADFD;
    }
    for (size_t i = 0; i < access->num_items; i++) {
        if (access->items[i].id == cmd->destroy_access_pages.access_pages_id) {
            access->items[i] = access->items[--access->num_items];
            return 0;
        }
    }
    return -ENOENT;
}

/*
 * iommufd_access_rw(): copies through every area of [iova, last], which
 * must be mapped without holes (ENOENT) with the permission asked (EPERM).
 */
static int access_rw(const struct sim_access *access, uint64_t iova,
                     unsigned char *buf, uint64_t len, uint32_t flags)
{
    uint64_t last, cur = iova;
    int ret = access_range(access, iova, len, &last);

    if (ret) {
        return ret;
    }
    while (cur <= last) {
        const struct sim_area *a = contig_area(access->ioas, cur);
        uint64_t end = a && a->last < last ? a->last : last;
        struct sim_host_range r;

        if (!a) {
            return -ENOENT;
        }
        if (!area_prot_ok(a, flags)) {
            return -EPERM;
        }
        r = (struct sim_host_range) {
            .hva = a->file_fd >= 0 ? NULL :
                   (void *)(uintptr_t)user_addr(a, cur),
            .file_fd = a->file_fd,
            .file_off = a->file_fd >= 0 ? user_addr(a, cur) : 0,
        };
        if (!(flags & ACCESS_WRITE ?
              sim_host_write(&r, buf + (cur - iova), end - cur + 1) :
              sim_host_read(&r, buf + (cur - iova), end - cur + 1))) {
            return -EFAULT;
        }
        if (end == last) {
            break;
        }
        cur = end + 1;
    }
    return 0;
}

/*
 * iommufd_test_access_rw(): the kernel bounces through its own buffer;
 * the simulator copies between the caller's buffer and the IOAS directly.
 */
int sim_access_rw_cmd(struct sim_ucmd *u, struct sim_test_cmd *cmd)
{
    uint32_t flags = cmd->access_rw.flags;
    struct sim_access *access;

    (void)u;
    if (cmd->access_rw.length > ACCESS_MAX_LENGTH) {
        return -ENOMEM;
    }
    if (flags & ~(ACCESS_WRITE | ACCESS_RW_SLOW_PATH | ACCESS_SYZ)) {
        return -EOPNOTSUPP;
    }
    access = access_get(cmd->id);
    if (!access) {
        return -EBADFD;
    }
    if (flags & ACCESS_SYZ) {
        return -EOPNOTSUPP;
    }
    if (cmd->access_rw.length && !cmd->access_rw.uptr) {
        return -EFAULT;
    }
    return access_rw(access, cmd->access_rw.iova,
                     (void *)(uintptr_t)cmd->access_rw.uptr,
                     cmd->access_rw.length, flags);
}

/* iommufd_test_access_unmap(), through iommufd_access_notify_unmap() */
void sim_access_notify_unmap(struct sim_ioas *ioas, uint64_t iova,
                             uint64_t last)
{
    for (size_t k = 0; k < ioas->num_accesses; k++) {
        struct sim_access *access = ioas->accesses[k];

        for (size_t i = 0; i < access->num_items;) {
            const struct sim_access_item *it = &access->items[i];

            if (iova > it->iova + it->length - 1 || last < it->iova) {
                i++;
                continue;
            }
            access->items[i] = access->items[--access->num_items];
        }
    }
}

bool sim_access_pinned(const struct sim_ioas *ioas, uint64_t iova)
{
    for (size_t k = 0; k < ioas->num_accesses; k++) {
        const struct sim_access *access = ioas->accesses[k];

        for (size_t i = 0; i < access->num_items; i++) {
            const struct sim_access_item *it = &access->items[i];

            /* Pins are whole pages (iopt_area_add_access()). */
            if ((iova & ~(SIM_PAGE_SIZE - 1)) <=
                    ((it->iova + it->length - 1) & ~(SIM_PAGE_SIZE - 1)) &&
                (iova & ~(SIM_PAGE_SIZE - 1)) >=
                    (it->iova & ~(SIM_PAGE_SIZE - 1))) {
                return true;
            }
        }
    }
    return false;
}
