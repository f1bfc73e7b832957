/*
 * iommufd-sim: configuration read from the environment at load time
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef IOMMUFD_SIM_CONFIG_H
#define IOMMUFD_SIM_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

/* Major number of the simulated /dev/vfio/devices/vfioN (minor = N). */
#define SIM_VFIO_CDEV_MAJOR 511
/* /dev/iommu is a misc device; any minor will do. */
#define SIM_IOMMU_CDEV_MAJOR 10
#define SIM_IOMMU_CDEV_MINOR 123
#define SIM_MAX_DEVICES 32

/*
 * A read-only mapping in a VT-d nesting parent: Linux 6.12 refuses it
 * (__domain_mapping(): EINVAL), Linux 7.1 maps it writeable
 * (PT_FEAT_VTDSS_FORCE_WRITEABLE in a nest parent's page table), both
 * because of erratum 772415_SPR17.
 */
enum sim_nest_parent_ro {
    SIM_NEST_PARENT_RO_REFUSED,
    SIM_NEST_PARENT_RO_FORCE_WRITEABLE,
};

/* What the host kernel answers; see profile.c. */
struct sim_profile {
    const char *name;
    bool ioas_map_file;         /* IOMMU_IOAS_MAP_FILE */
    bool ioas_change_process;   /* IOMMU_IOAS_CHANGE_PROCESS */
    bool viommu;                /* IOMMU_VIOMMU_ALLOC and friends */
    bool hwpt_alloc_pasid;      /* IOMMU_HWPT_ALLOC_PASID */
    bool hw_info_pasid;         /* iommu_hw_info.out_max_pasid_log2, PASID caps */
    bool hw_info_input_type;    /* IOMMU_HW_INFO_FLAG_INPUT_TYPE */
    bool attach_pasid;          /* VFIO_DEVICE_{ATTACH,DETACH}_PASID */
    bool bind_token;            /* VFIO_DEVICE_BIND_FLAG_TOKEN */
    bool paging_first_stage;    /* plain paging domains are first stage */
    bool mock_dev_pasid;        /* IOMMU_TEST_CMD's MOCK_FLAGS_DEVICE_PASID */
    /* What a VT-d nesting parent does with a read-only mapping. */
    enum sim_nest_parent_ro nest_parent_ro;
};

/* What the simulated IOMMU caches of first-stage translations. */
enum sim_cache_mode {
    /* The IOTLB and the paging-structure caches (psc.h) */
    SIM_CACHE_ARCHITECTURAL,
    /* The IOTLB only: the simulator before its paging-structure caches */
    SIM_CACHE_MINIMAL,
};

struct sim_config {
    const char *root;           /* IOMMUFD_SIM_ROOT, informational */
    unsigned num_devices;       /* IOMMUFD_SIM_DEVICES */
    const struct sim_profile *profile;   /* IOMMUFD_SIM_KERNEL */
    uint64_t vtd_cap;           /* IOMMUFD_SIM_VTD_CAP */
    uint64_t vtd_ecap;          /* IOMMUFD_SIM_VTD_ECAP */
    uint32_t vtd_flags;         /* IOMMUFD_SIM_VTD_FLAGS */
    int max_pasid_log2;         /* IOMMUFD_SIM_MAX_PASID_LOG2, -1: derived */
    uint16_t pasid_cap;         /* IOMMUFD_SIM_PASID_CAP, PCI PASID cap reg */
    bool log_config;            /* IOMMUFD_SIM_LOG_CONFIG */
    bool test_cmd;              /* IOMMUFD_SIM_TEST_CMD: IOMMU_TEST_CMD */
    unsigned replace_window_us; /* IOMMUFD_SIM_REPLACE_WINDOW_US */
    enum sim_cache_mode cache;  /* IOMMUFD_SIM_CACHE */
};

extern struct sim_config sim_config;

/* Parses the environment; prints the problem and exits(1) on error. */
void sim_config_load(void);

/* Looks up a profile by name; NULL if unknown. */
const struct sim_profile *sim_profile_find(const char *name);

/* Parses an unsigned number (decimal, 0x hex or 0 octal) in full. */
bool sim_parse_u64(const char *s, uint64_t *val);

#endif /* IOMMUFD_SIM_CONFIG_H */
