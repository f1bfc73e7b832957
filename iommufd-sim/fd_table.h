/*
 * iommufd-sim: file descriptors that stand for simulated device files
 *
 * Each simulated open reserves a real descriptor (of /dev/null) so that
 * numbers never collide with the process's other files; this table says
 * what each reserved descriptor stands for.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef IOMMUFD_SIM_FD_TABLE_H
#define IOMMUFD_SIM_FD_TABLE_H

struct sim_access;
struct sim_ictx;
struct sim_vdev;

enum sim_fd_kind {
    SIM_FD_NONE,
    SIM_FD_IOMMUFD,
    SIM_FD_VFIO,
    SIM_FD_ACCESS,              /* an IOMMU_TEST_CMD access's file */
};

struct sim_fd {
    enum sim_fd_kind kind;
    struct sim_ictx *ictx;      /* SIM_FD_IOMMUFD */
    struct sim_vdev *vdev;      /* SIM_FD_VFIO */
    struct sim_access *access;  /* SIM_FD_ACCESS */
};

/* The entry for fd, or NULL if fd is not simulated. */
struct sim_fd *sim_fd_lookup(int fd);
/* 0 or -ENOMEM. */
int sim_fd_insert(int fd, const struct sim_fd *entry);
void sim_fd_remove(int fd);
/* Calls fn for every simulated fd (at exit). */
void sim_fd_for_each(void (*fn)(int fd, struct sim_fd *entry));

#endif /* IOMMUFD_SIM_FD_TABLE_H */
