# tests of src/render
EXTRA_DIST += tests/render_fixtures.h

check_PROGRAMS += tests/render_decode.t
tests_render_decode_t_SOURCES = tests/render_decode.c
tests_render_decode_t_LDADD = $(TEST_LDADD)
TESTS += tests/render_decode.t

check_PROGRAMS += tests/render_image.t
tests_render_image_t_SOURCES = tests/render_image.c
tests_render_image_t_LDADD = $(TEST_LDADD)
TESTS += tests/render_image.t

check_PROGRAMS += tests/render_overlay.t
tests_render_overlay_t_SOURCES = tests/render_overlay.c
tests_render_overlay_t_LDADD = $(TEST_LDADD)
TESTS += tests/render_overlay.t

check_PROGRAMS += tests/render_frame.t
tests_render_frame_t_SOURCES = tests/render_frame.c
tests_render_frame_t_LDADD = $(TEST_LDADD)
TESTS += tests/render_frame.t

check_PROGRAMS += tests/render_kitty.t
tests_render_kitty_t_SOURCES = tests/render_kitty.c
tests_render_kitty_t_LDADD = $(TEST_LDADD)
TESTS += tests/render_kitty.t

check_PROGRAMS += tests/render_sixel.t
tests_render_sixel_t_SOURCES = tests/render_sixel.c
tests_render_sixel_t_LDADD = $(TEST_LDADD)
TESTS += tests/render_sixel.t
