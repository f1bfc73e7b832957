/*
 * iommufd-sim: interposition of the calls that reach simulated devices
 *
 * Loaded with LD_PRELOAD, this file's definitions of open(), ioctl(),
 * pread() and friends take precedence over the C library's.  Calls on
 * /dev/iommu and /dev/vfio/devices/vfioN, and on the descriptors opened
 * from them, are answered by the simulator; everything else goes on to
 * the next definition (dlsym(RTLD_NEXT)).  One recursive mutex serialises
 * the simulator: QEMU calls in from several threads, and the simulator
 * itself closes files (mapping and eventfd references) while holding it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

/*
 * Both the plain and the 64-bit names are defined here, so the headers
 * must not rename the plain ones (x86-64 offsets are 64-bit either way).
 */
#undef _FILE_OFFSET_BITS

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "access.h"
#include "config.h"
#include "fd_table.h"
#include "iommufd_ioctl.h"
#include "lock_window.h"
#include "log.h"
#include "objects.h"
#include "vfio_device.h"

#define VFIO_CDEV_PREFIX "/dev/vfio/devices/vfio"

static pthread_mutex_t sim_lock = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;
static bool real_resolved;

static struct {
    int (*open)(const char *, int, ...);
    int (*openat)(int, const char *, int, ...);
    int (*close)(int);
    int (*ioctl)(int, unsigned long, ...);
    ssize_t (*pread)(int, void *, size_t, off_t);
    ssize_t (*pwrite)(int, const void *, size_t, off_t);
    int (*fstat)(int, struct stat *);
    int (*fstatat)(int, const char *, struct stat *, int);
    void *(*mmap)(void *, size_t, int, int, int, off_t);
} real;

static void *next_symbol(const char *name)
{
    void *sym = dlsym(RTLD_NEXT, name);

    if (!sym) {
        fprintf(stderr, "iommufd-sim: no next definition of %s\n", name);
        abort();
    }
    return sym;
}

/*
 * Idempotent, so threads racing here all store the same pointers; it must
 * not depend on anything interposed, as the C library may call in early.
 */
static void resolve_real(void)
{
    if (__atomic_load_n(&real_resolved, __ATOMIC_ACQUIRE)) {
        return;
    }
    real.open = next_symbol("open");
    real.openat = next_symbol("openat");
    real.close = next_symbol("close");
    real.ioctl = next_symbol("ioctl");
    real.pread = next_symbol("pread");
    real.pwrite = next_symbol("pwrite");
    real.fstat = next_symbol("fstat");
    real.fstatat = next_symbol("fstatat");
    real.mmap = next_symbol("mmap");
    __atomic_store_n(&real_resolved, true, __ATOMIC_RELEASE);
}

/* Before main(): a bad configuration must stop the program at once. */
__attribute__((constructor)) static void sim_constructor(void)
{
    resolve_real();
    sim_config_load();
    sim_log_open(getenv("IOMMUFD_SIM_LOG"));
}

/*
 * Every process started under iommufd-sim-run loads the library (shells,
 * test drivers, QEMU); only those that open a simulated file are hosts of
 * interest, so START and EXIT are logged for those alone.  Called with
 * sim_lock held.
 */
static bool sim_in_use;

static void sim_log_start_once(void)
{
    struct sim_log_rec rec;

    if (sim_in_use) {
        return;
    }
    sim_in_use = true;
    sim_log_begin(&rec, "START");
    sim_log_u64(&rec, "pid", getpid());
    sim_log_str(&rec, "kernel", sim_config.profile->name);
    sim_log_u64(&rec, "devices", sim_config.num_devices);
    sim_log_str(&rec, "root", sim_config.root ? sim_config.root : "");
    sim_log_emit(&rec);
}

/*
 * Objects still alive when the process exits: the kernel would free them
 * with the files, so they only count as leaks where the VMM was expected
 * to release them (after device removal, for instance).
 */
__attribute__((destructor)) static void sim_destructor(void)
{
    struct sim_obj_counts c = { 0 };
    struct sim_log_rec rec;

    pthread_mutex_lock(&sim_lock);
    if (!sim_in_use) {
        pthread_mutex_unlock(&sim_lock);
        return;
    }
    sim_objects_count_all(&c);
    sim_log_begin(&rec, "EXIT");
    sim_log_u64(&rec, "pid", getpid());
    sim_log_u64(&rec, "live_objects",
                c.ioas + c.hwpt_paging + c.hwpt_nested + c.devices);
    sim_log_u64(&rec, "ioas", c.ioas);
    sim_log_u64(&rec, "hwpt_paging", c.hwpt_paging);
    sim_log_u64(&rec, "hwpt_nested", c.hwpt_nested);
    sim_log_u64(&rec, "devices", c.devices);
    sim_log_u64(&rec, "attached", c.attached);
    sim_log_emit(&rec);
    pthread_mutex_unlock(&sim_lock);
}

/* -1 if path is not simulated, else SIM_FD_IOMMUFD or the device index
 * plus SIM_FD_VFIO in *kind. */
static int classify_path(const char *path, enum sim_fd_kind *kind)
{
    const char *n;
    char *end;
    unsigned long index;

    if (!path) {
        return -1;
    }
    if (!strcmp(path, "/dev/iommu")) {
        *kind = SIM_FD_IOMMUFD;
        return 0;
    }
    if (strncmp(path, VFIO_CDEV_PREFIX, strlen(VFIO_CDEV_PREFIX))) {
        return -1;
    }
    n = path + strlen(VFIO_CDEV_PREFIX);
    if (*n < '0' || *n > '9') {
        return -1;
    }
    index = strtoul(n, &end, 10);
    if (*end || index >= sim_config.num_devices) {
        return -1;
    }
    *kind = SIM_FD_VFIO;
    return index;
}

static int sim_open(const char *path, int flags)
{
    struct sim_fd entry = { 0 };
    struct sim_log_rec rec;
    int fd, index;

    index = classify_path(path, &entry.kind);
    if (index < 0) {
        return -2;  /* not ours */
    }
    pthread_mutex_lock(&sim_lock);
    sim_log_start_once();
    sim_log_begin(&rec, "OPEN");
    sim_log_str(&rec, "path", path);
    fd = real.open("/dev/null", O_RDWR | (flags & O_CLOEXEC));
    if (fd >= 0) {
        if (entry.kind == SIM_FD_IOMMUFD) {
            entry.ictx = sim_ictx_new();
        } else {
            entry.vdev = sim_vdev_get(index);
            sim_log_u64(&rec, "dev", index);
        }
        if ((entry.kind == SIM_FD_IOMMUFD && !entry.ictx) ||
            sim_fd_insert(fd, &entry)) {
            real.close(fd);
            fd = -1;
            errno = ENOMEM;
        }
    }
    sim_log_i64(&rec, "fd", fd);
    if (fd >= 0 && entry.kind == SIM_FD_IOMMUFD) {
        sim_log_u64(&rec, "ctx", entry.ictx->serial);
    }
    sim_log_end(&rec, fd < 0 ? -errno : 0);
    pthread_mutex_unlock(&sim_lock);
    return fd;
}

static int open_common(const char *path, int flags, mode_t mode, int dirfd,
                       bool at)
{
    int fd;

    resolve_real();
    if (path && path[0] == '/') {
        fd = sim_open(path, flags);
        if (fd != -2) {
            return fd;
        }
    }
    return at ? real.openat(dirfd, path, flags, mode)
              : real.open(path, flags, mode);
}

static mode_t mode_arg(int flags, va_list ap)
{
    return (flags & (O_CREAT | O_TMPFILE)) ? va_arg(ap, mode_t) : 0;
}

int open(const char *path, int flags, ...)
{
    va_list ap;
    mode_t mode;

    va_start(ap, flags);
    mode = mode_arg(flags, ap);
    va_end(ap);
    return open_common(path, flags, mode, AT_FDCWD, false);
}

int open64(const char *path, int flags, ...)
    __attribute__((alias("open")));

int openat(int dirfd, const char *path, int flags, ...)
{
    va_list ap;
    mode_t mode;

    va_start(ap, flags);
    mode = mode_arg(flags, ap);
    va_end(ap);
    return open_common(path, flags, mode, dirfd, true);
}

int openat64(int dirfd, const char *path, int flags, ...)
    __attribute__((alias("openat")));

/* The _FORTIFY_SOURCE entry points, used when the mode is not needed. */
int __open_2(const char *path, int flags)
{
    return open_common(path, flags, 0, AT_FDCWD, false);
}

int __open64_2(const char *path, int flags)
    __attribute__((alias("__open_2")));

int __openat_2(int dirfd, const char *path, int flags)
{
    return open_common(path, flags, 0, dirfd, true);
}

int __openat64_2(int dirfd, const char *path, int flags)
    __attribute__((alias("__openat_2")));

void sim_lock_window(unsigned us)
{
    pthread_mutex_unlock(&sim_lock);
    usleep(us);
    pthread_mutex_lock(&sim_lock);
}

void sim_lock_enter(void)
{
    pthread_mutex_lock(&sim_lock);
}

void sim_lock_leave(void)
{
    pthread_mutex_unlock(&sim_lock);
}

/* Locks and returns the simulated entry for fd, or NULL (not locked). */
static struct sim_fd *lock_fd(int fd)
{
    struct sim_fd *entry;

    resolve_real();
    pthread_mutex_lock(&sim_lock);
    entry = sim_fd_lookup(fd);
    if (!entry) {
        pthread_mutex_unlock(&sim_lock);
    }
    return entry;
}

static long set_errno(long ret)
{
    if (ret < 0) {
        errno = -ret;
        return -1;
    }
    return ret;
}

int close(int fd)
{
    struct sim_fd *entry = lock_fd(fd);
    struct sim_fd copy;
    struct sim_log_rec rec;
    int ret;

    if (!entry) {
        return real.close(fd);
    }
    copy = *entry;
    sim_fd_remove(fd);
    sim_log_begin(&rec, "CLOSE");
    sim_log_i64(&rec, "fd", fd);
    if (copy.kind == SIM_FD_ACCESS) {
        sim_log_str(&rec, "kind", "access");
        sim_log_end(&rec, 0);
        sim_access_release(copy.access);
    } else if (copy.kind == SIM_FD_IOMMUFD) {
        sim_log_str(&rec, "kind", "iommufd");
        sim_log_end(&rec, 0);
        sim_ictx_put(copy.ictx);
    } else {
        sim_log_str(&rec, "kind", "vfio");
        sim_log_u64(&rec, "dev", copy.vdev->index);
        sim_log_end(&rec, 0);
        sim_vdev_close(copy.vdev, fd);
    }
    ret = real.close(fd);
    pthread_mutex_unlock(&sim_lock);
    return ret;
}

int ioctl(int fd, unsigned long request, ...)
{
    struct sim_fd *entry;
    va_list ap;
    void *arg;
    int ret;

    va_start(ap, request);
    arg = va_arg(ap, void *);
    va_end(ap);
    entry = lock_fd(fd);
    if (!entry) {
        return real.ioctl(fd, request, arg);
    }
    if (entry->kind == SIM_FD_IOMMUFD) {
        ret = sim_iommufd_ioctl(entry->ictx, fd, request, arg);
    } else if (entry->kind == SIM_FD_VFIO) {
        ret = sim_vdev_ioctl(entry->vdev, fd, request, arg);
    } else {
        ret = -ENOTTY;      /* an access's anonymous file has no ioctl */
    }
    pthread_mutex_unlock(&sim_lock);
    return set_errno(ret);
}

static ssize_t region_io(int fd, void *buf, size_t count, off_t offset,
                         bool write)
{
    struct sim_fd *entry = lock_fd(fd);
    ssize_t ret;

    if (!entry) {
        return write ? real.pwrite(fd, buf, count, offset)
                     : real.pread(fd, buf, count, offset);
    }
    if (entry->kind != SIM_FD_VFIO) {
        ret = -EINVAL;      /* /dev/iommu, access files: no read or write */
    } else if (write) {
        ret = sim_vdev_pwrite(entry->vdev, fd, buf, count, offset);
    } else {
        ret = sim_vdev_pread(entry->vdev, fd, buf, count, offset);
    }
    pthread_mutex_unlock(&sim_lock);
    return set_errno(ret);
}

ssize_t pread(int fd, void *buf, size_t count, off_t offset)
{
    return region_io(fd, buf, count, offset, false);
}

ssize_t pread64(int fd, void *buf, size_t count, off_t offset)
    __attribute__((alias("pread")));

ssize_t pwrite(int fd, const void *buf, size_t count, off_t offset)
{
    return region_io(fd, (void *)buf, count, offset, true);
}

ssize_t pwrite64(int fd, const void *buf, size_t count, off_t offset)
    __attribute__((alias("pwrite")));

/* A character device with the number the run script put in sysfs. */
static int sim_fstat(int fd, struct sim_fd *entry, struct stat *st)
{
    int ret = real.fstat(fd, st);

    if (!ret && entry->kind != SIM_FD_ACCESS) {
        st->st_mode = S_IFCHR | 0600;
        st->st_rdev = entry->kind == SIM_FD_IOMMUFD ?
            makedev(SIM_IOMMU_CDEV_MAJOR, SIM_IOMMU_CDEV_MINOR) :
            makedev(SIM_VFIO_CDEV_MAJOR, entry->vdev->index);
    }
    return ret;
}

int fstat(int fd, struct stat *st)
{
    struct sim_fd *entry = lock_fd(fd);
    int ret;

    if (!entry) {
        return real.fstat(fd, st);
    }
    ret = sim_fstat(fd, entry, st);
    pthread_mutex_unlock(&sim_lock);
    return ret;
}

int fstat64(int fd, struct stat64 *st)
{
    return fstat(fd, (struct stat *)st);
}

int fstatat(int dirfd, const char *path, struct stat *st, int flags)
{
    struct sim_fd *entry;
    int ret;

    if (!(flags & AT_EMPTY_PATH) || *path) {
        resolve_real();
        return real.fstatat(dirfd, path, st, flags);
    }
    entry = lock_fd(dirfd);
    if (!entry) {
        return real.fstatat(dirfd, path, st, flags);
    }
    ret = sim_fstat(dirfd, entry, st);
    pthread_mutex_unlock(&sim_lock);
    return ret;
}

int fstatat64(int dirfd, const char *path, struct stat64 *st, int flags)
{
    return fstatat(dirfd, path, (struct stat *)st, flags);
}

/* No simulated region can be mapped (the kernel says EINVAL). */
void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
    struct sim_fd *entry = (flags & MAP_ANONYMOUS) ? NULL : lock_fd(fd);

    if (!entry) {
        resolve_real();
        return real.mmap(addr, len, prot, flags, fd, off);
    }
    pthread_mutex_unlock(&sim_lock);
    errno = EINVAL;
    return MAP_FAILED;
}

void *mmap64(void *addr, size_t len, int prot, int flags, int fd, off_t off)
    __attribute__((alias("mmap")));
