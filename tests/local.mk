# Unit tests are C programs printing TAP; script tests are shell scripts printing TAP.
TEST_EXTENSIONS = .t .sh
T_LOG_DRIVER = $(LOG_DRIVER)
SH_LOG_DRIVER = $(LOG_DRIVER)
SH_LOG_COMPILER = $(SHELL)
TEST_LDADD = libannotty.a $(DEPS_LIBS)
EXTRA_DIST += tests/tap.h tests/lib.sh

# Each area lists its tests in its own fragment.
include tests/core.mk
include tests/api.mk
include tests/cache.mk
include tests/sync.mk
include tests/render.mk
include tests/frame.mk
include tests/ui.mk
include tests/cli.mk
include tests/demo.mk
include tests/fuzz.mk
