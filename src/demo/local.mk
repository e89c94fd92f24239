# sources of src/demo
libannotty_a_SOURCES += \
	src/demo/demo.c src/demo/demo.h \
	src/demo/catalog.c src/demo/catalog.h \
	src/demo/scene.c src/demo/scene.h \
	src/demo/scenes_street.c src/demo/scenes_nature.c src/demo/scenes_closeup.c \
	src/demo/backdrop.c \
	src/demo/obj_vehicles.c src/demo/obj_living.c src/demo/obj_fixtures.c \
	src/demo/paint.c src/demo/texture.c src/demo/paint.h \
	src/demo/rng.h
