# sources of src/frame: building the asset image's frames, below ui and above render and cache
libannotty_a_SOURCES += \
	src/frame/graphics.c src/frame/graphics.h \
	src/frame/frame.h \
	src/frame/build.c \
	src/frame/hash.c \
	src/frame/place.c \
	src/frame/store.c src/frame/store.h \
	src/frame/worker.c src/frame/worker.h \
	src/frame/pipe.c
