# sources of src/api/picsellia: the Picsellia platform client
libannotty_a_SOURCES += \
	src/api/picsellia/picsellia.h src/api/picsellia/internal.h \
	src/api/picsellia/http.c \
	src/api/picsellia/json.c \
	src/api/picsellia/objects.c \
	src/api/picsellia/shapes.c \
	src/api/picsellia/client.c \
	src/api/picsellia/browse.c \
	src/api/picsellia/download.c \
	src/api/picsellia/push.c \
	src/api/picsellia/tasks.c \
	src/api/picsellia/backend_picsellia.c
