# qemu-vtd-accel: see README.rst.  `make help` lists the targets.

BUILD       := build
SRC         := $(BUILD)/src
QEMU_BUILD  := $(BUILD)/qemu
# The same QEMU with ASan and UBSan: make check runs the iommufd-sim qtests
# against it too.
QEMU_ASAN_BUILD := $(BUILD)/qemu-asan
QEMU        := $(QEMU_BUILD)/qemu-system-x86_64
SIM_RUN     := $(BUILD)/iommufd-sim/iommufd-sim-run

# ccache (configure uses it when installed) hits across checkouts: paths
# under this one are hashed relative to it.
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := 1

# QEMU's own qtests that prove the vIOMMU, built and run by `make check`.
QEMU_QTESTS := intel-iommu-test intel-iommu-fs-translate-test
# The fork's qtests that run against iommufd-sim (meson.build runs them).
SIM_QTESTS  := vfio-iommufd-sim-test intel-iommu-accel-test \
               intel-iommu-accel-reset-test intel-iommu-accel-diff-test
# Benchmarks built with the qtests, run by `make bench`.
QTEST_BENCHES := intel-iommu-accel-reset-bench

.PHONY: all asan check check-sim check-qtest check-e2e check-series export \
        check-export dist check-dist demo bench fuzz mutants clean distclean \
        help check-targets

all: $(BUILD)/build.ninja
	ninja -C $(QEMU_BUILD) qemu-system-x86_64 \
		$(addprefix tests/qtest/,$(QEMU_QTESTS) $(SIM_QTESTS) $(QTEST_BENCHES))
	scripts/link-firmware $(QEMU_BUILD)
	ninja -C $(BUILD)

$(BUILD)/build.ninja:
	@echo "build/ is not configured: run ./configure first" >&2
	@exit 1

# Everything that proves the project.  Each suite writes a meson test log;
# scripts/check-summary adds them up into one closing line and fails when
# any test failed or none ran.
check: all asan
	rm -f $(BUILD)/meson-logs/testlog.json $(QEMU_BUILD)/meson-logs/testlog.json
	-meson test -C $(BUILD) --no-rebuild --print-errorlogs
	-$(MAKE) --no-print-directory check-qtest
	scripts/check-summary $(BUILD)/meson-logs/testlog.json \
		$(QEMU_BUILD)/meson-logs/testlog.json

asan: $(BUILD)/build.ninja
	ninja -C $(QEMU_ASAN_BUILD) qemu-system-x86_64
	scripts/link-firmware $(QEMU_ASAN_BUILD)

check-sim: all
	meson test -C $(BUILD) --no-rebuild --print-errorlogs --suite sim

check-qtest: all
	cd $(QEMU_BUILD) && meson test --no-rebuild --print-errorlogs \
		$(addprefix qtest-x86_64/,$(QEMU_QTESTS))

# Build the tree after every patch (ccache makes it incremental-cheap) and
# run checkpatch on each: every patch is proven bisectable and clean.
check-series: $(BUILD)/build.ninja
	scripts/check-series $(SRC) $(BUILD)/series

# The series changes shared code (hw/vfio, backends, hw/pci, migration) that
# other targets build too: compile what it touches for aarch64, ppc64,
# s390x, riscv64 and loongarch64 and link qemu-system-aarch64 (build/targets;
# half an hour cold on 2 cores, seconds when nothing changed).  JOBS=N for
# ninja -j N.
check-targets: $(BUILD)/build.ninja
	scripts/check-targets $(if $(JOBS),-j $(JOBS)) $(SRC) $(BUILD)/targets

# patches/ <-> build/src
export:
	@test -d $(SRC)/.git || { echo "no build/src: run ./configure" >&2; exit 1; }
	scripts/export-series $(if $(GROUP),--group $(GROUP)) $(SRC) patches
	scripts/export-docs $(SRC) docs
	git -C $(SRC) rev-parse HEAD > $(SRC)/.git/vtd-accel-exported
	@git status --short patches docs

check-export:
	scripts/check-export $(SRC) patches
	@if [ -d $(SRC)/.git ]; then scripts/export-docs --check $(SRC) docs; fi

# The series for a distribution's debian/patches, with DEP-3 headers.
dist:
	scripts/make-dist patches $(BUILD)/dist

check-dist: dist
	scripts/check-dist $(BUILD)/upstream $(BUILD)/dist $(SRC) $(BUILD)/check-dist

# Real-guest end to end (tests/e2e/README.rst): a Debian 12 guest drives
# the simulated device through the vIOMMU, under TCG.
E2E_FLAGS ?= --flts

check-e2e: all
	tests/e2e/run $(E2E_FLAGS)

demo: all
	scripts/demo $(QEMU) $(SIM_RUN)
	tests/e2e/run $(E2E_FLAGS)

# Figures, not verdicts: the reset teardown (host calls against the
# minimum, time per binding), preceded by the simulator's own cost per op
# against object count (bench-sim, which the reset bench runs and prints);
# then a real guest's VFIO map/unmap, nested against shadowing against no
# vIOMMU (tests/e2e/bench, three TCG boots); last, the emulated VT-d
# paths (no host device) of the fork against the pinned upstream build
# (scripts/build-upstream-qemu), ratio printed.
bench: all
	$(SIM_RUN) --devices 32 --max-pasid-log2 11 -- \
		env QTEST_QEMU_BINARY=$(QEMU) \
		$(QEMU_BUILD)/tests/qtest/intel-iommu-accel-reset-bench
	# bind and reset scaling: 1K to 64K bindings, 1024+ PASIDs per device
	$(SIM_RUN) --devices 32 --max-pasid-log2 11 -- \
		env QTEST_QEMU_BINARY=$(QEMU) \
		$(QEMU_BUILD)/tests/qtest/intel-iommu-accel-reset-bench \
		-d 1,2,4,8,16,32 -p 1024,2048 -r 3
	# a global invalidation scanning a directory of 2^20 PASIDs
	$(SIM_RUN) --devices 1 --max-pasid-log2 20 -- \
		env QTEST_QEMU_BINARY=$(QEMU) \
		$(QEMU_BUILD)/tests/qtest/intel-iommu-accel-reset-bench -s
	tests/bench/reset-instructions
	tests/e2e/bench
	scripts/build-upstream-qemu
	tests/bench/emulated-vs-upstream

# The differential tester, long, against the ASan/UBSan QEMU on the strict
# host with the free-running device: FUZZ_STEPS steps in all, spread over
# every case in runs of FUZZ_CHUNK steps from seed FUZZ_SEED (random by
# default, printed), FUZZ_JOBS at a time; prints the figures of the whole
# (scripts/fuzz).  make check runs every case, briefly.
FUZZ_STEPS ?= 120000
FUZZ_CHUNK ?= 10000
FUZZ_JOBS  ?= $(shell nproc)
FUZZ_SEED  ?= $(shell od -An -N4 -tu2 /dev/urandom | tr -d ' ')

fuzz: all asan
	scripts/fuzz $(FUZZ_STEPS) $(FUZZ_SEED) $(FUZZ_CHUNK) $(FUZZ_JOBS)

# Mutation testing (tests/mutants/*.diff): each mutant of the fork's QEMU
# code built in build/mutants and run against the accel qtests and the
# differential tester; prints killed/total and names the survivors.
# MUTANTS="name ..." runs some only.
mutants: all
	scripts/mutants $(MUTANTS)

clean:
	-test -f $(QEMU_BUILD)/build.ninja && ninja -C $(QEMU_BUILD) -t clean
	-test -f $(BUILD)/build.ninja && ninja -C $(BUILD) -t clean
	rm -rf $(BUILD)/dist $(BUILD)/check-dist

# Removes build/ entirely, build/src with it: refuses while build/src holds
# work that patches/ lacks (FORCE=1 to discard it).
distclean:
	@if [ -d $(SRC)/.git ] && [ -z "$(FORCE)" ] && \
	    ! scripts/check-export $(SRC) patches >/dev/null 2>&1; then \
		echo "build/src holds work that patches/ lacks: make export, or make distclean FORCE=1" >&2; \
		exit 1; \
	fi
	rm -rf $(BUILD)

help:
	@echo "qemu-vtd-accel targets:"
	@echo "  all           build QEMU (build/qemu) and iommufd-sim (build/)"
	@echo "  check         every test: iommufd-sim unit tests, the series round trip,"
	@echo "                QEMU's intel-iommu-test, the fork's qtests against iommufd-sim"
	@echo "  check-sim     iommufd-sim's own tests only (ASan/UBSan)"
	@echo "  asan          build QEMU with ASan/UBSan (build/qemu-asan), for make check"
	@echo "  check-qtest   the qtests only"
	@echo "  check-e2e     boot a Debian guest with a simulated passthrough device (TAP)"
	@echo "  check-series  build and checkpatch every patch of the series in turn"
	@echo "  check-targets build what the series touches for aarch64, ppc64, s390x,"
	@echo "                riscv64, loongarch64; link qemu-system-aarch64 (JOBS=N)"
	@echo "  bench         benchmarks, printed: reset teardown, iommufd-sim's cost per op,"
	@echo "                a real guest's VFIO map/unmap nested vs shadowed vs no vIOMMU,"
	@echo "                the emulated VT-d paths, fork vs pinned upstream"
	@echo "  fuzz          the differential tester, every case, long, on the ASan QEMU"
	@echo "  mutants       mutation testing: named bugs of the fork's QEMU code, killed or not"
	@echo "  demo          the main job: build what is missing and show the fork at work"
	@echo "  export        rewrite patches/ from build/src commits (GROUP=fixes for new fixes)"
	@echo "  check-export  fail while build/src holds work that patches/ lacks"
	@echo "  dist          the series with DEP-3 headers in build/dist/"
	@echo "  check-dist    prove the dist series applies with quilt to Debian's source"
	@echo "  clean         remove build products, keep build/src and the configuration"
	@echo "  distclean     remove build/ (refuses while build/src has unexported work)"
