/*
 * iommufd-sim: configuration read from the environment at load time
 *
 * A typo in a variable must not silently give a default host: every parse
 * error is fatal, before the program under test runs.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/iommufd.h>

#include "config.h"
#include "fail_inject.h"
#include "vtd_regs.h"

/* Width 20, Execute and Privileged Mode supported (PCIe 7.8.9.2). */
#define SIM_DEFAULT_PASID_CAP 0x1406

struct sim_config sim_config;

bool sim_parse_u64(const char *s, uint64_t *val)
{
    char *end;

    if (!s || !*s || *s == '-') {
        return false;
    }
    errno = 0;
    *val = strtoull(s, &end, 0);
    return !errno && !*end;
}

static void die(const char *var, const char *val, const char *why)
{
    fprintf(stderr, "iommufd-sim: %s=\"%s\": %s\n", var, val, why);
    exit(1);
}

static uint64_t env_u64(const char *var, uint64_t dflt, uint64_t max)
{
    const char *s = getenv(var);
    uint64_t v;

    if (!s) {
        return dflt;
    }
    if (!sim_parse_u64(s, &v)) {
        die(var, s, "not a number");
    }
    if (v > max) {
        die(var, s, "out of range");
    }
    return v;
}

void sim_config_load(void)
{
    const char *kernel = getenv("IOMMUFD_SIM_KERNEL");
    const char *fail = getenv("IOMMUFD_SIM_FAIL");
    const char *max_pasid = getenv("IOMMUFD_SIM_MAX_PASID_LOG2");
    const char *cache = getenv("IOMMUFD_SIM_CACHE");

    sim_config.root = getenv("IOMMUFD_SIM_ROOT");
    sim_config.num_devices = env_u64("IOMMUFD_SIM_DEVICES", 1, SIM_MAX_DEVICES);
    sim_config.profile = sim_profile_find(kernel ? kernel : "current");
    if (!sim_config.profile) {
        die("IOMMUFD_SIM_KERNEL", kernel, "unknown profile (current, 6.12)");
    }
    sim_config.vtd_cap = env_u64("IOMMUFD_SIM_VTD_CAP", VTD_SIM_DEFAULT_CAP,
                                 UINT64_MAX);
    sim_config.vtd_ecap = env_u64("IOMMUFD_SIM_VTD_ECAP",
                                  VTD_SIM_DEFAULT_ECAP, UINT64_MAX);
    /*
     * intel_iommu_hw_info() reports the erratum on every host, in 6.12 and
     * 7.1 alike: a host that does not is kinder than any real one.
     */
    sim_config.vtd_flags = env_u64("IOMMUFD_SIM_VTD_FLAGS",
                                   IOMMU_HW_INFO_VTD_ERRATA_772415_SPR17,
                                   UINT32_MAX);
    sim_config.pasid_cap = env_u64("IOMMUFD_SIM_PASID_CAP",
                                   SIM_DEFAULT_PASID_CAP, UINT16_MAX);
    sim_config.max_pasid_log2 = max_pasid ?
        (int)env_u64("IOMMUFD_SIM_MAX_PASID_LOG2", 0, 20) : -1;
    sim_config.log_config = env_u64("IOMMUFD_SIM_LOG_CONFIG", 0, 1);
    sim_config.test_cmd = env_u64("IOMMUFD_SIM_TEST_CMD", 0, 1);
    sim_config.replace_window_us = env_u64("IOMMUFD_SIM_REPLACE_WINDOW_US", 0,
                                           10000000);
    if (!cache || strcmp(cache, "architectural") == 0) {
        sim_config.cache = SIM_CACHE_ARCHITECTURAL;
    } else if (strcmp(cache, "minimal") == 0) {
        sim_config.cache = SIM_CACHE_MINIMAL;
    } else {
        die("IOMMUFD_SIM_CACHE", cache,
            "unknown mode (architectural, minimal)");
    }
    if (fail && !sim_fail_parse(fail)) {
        exit(1);
    }
}
