/*
 * iommufd-sim kselftest: what Debian 6.12.117's iommufd selftest lacks
 *
 * Debian's linux-source-6.12 6.12.117-1~deb12u1 carries a
 * tools/testing/selftests/iommu/iommufd.c that already uses the mock PASID
 * device of later kernels (fixture iommufd_ioas, variant mock_domain, and
 * its get_hw_info test), backported with "iommufd: Extend IOMMU_GET_HW_INFO
 * to report PASID capability" (6.12.31), while the package's
 * drivers/iommu/iommufd/iommufd_test.h does not define the two names it
 * needs: the selftest does not compile from the package as is.  Forced in
 * ahead of the selftest with -include; the values are the ABI of the
 * simulator's IOMMU_TEST_CMD (iommufd-sim/mock_iommu.c), which the 6.12
 * profile refuses for MOCK_FLAGS_DEVICE_PASID as 6.12.117's
 * mock_dev_create() does.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef IOMMUFD_SIM_KSELFTEST_BACKPORT_H
#define IOMMUFD_SIM_KSELFTEST_BACKPORT_H

#define MOCK_FLAGS_DEVICE_PASID (1 << 2)
#define MOCK_PASID_WIDTH 20

#endif
