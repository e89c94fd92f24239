# sources of src/cache
libannotty_a_SOURCES += \
	src/cache/cache.h src/cache/internal.h \
	src/cache/db.c \
	src/cache/rebuild.c \
	src/cache/schema.c \
	src/cache/shapes.c \
	src/cache/import.c \
	src/cache/query.c \
	src/cache/browse.c \
	src/cache/keypoints.c \
	src/cache/page.c \
	src/cache/edit.c \
	src/cache/outbox.c \
	src/cache/outbox_sync.c \
	src/cache/run.c \
	src/cache/store.c \
	src/cache/datalake.c \
	src/cache/undo.c \
	src/cache/shape_row.c \
	src/cache/shape_edit.c \
	src/cache/label_edit.c \
	src/cache/export.c \
	src/cache/campaign.c \
	src/cache/task.c \
	src/cache/sync.c src/cache/sync.h \
	src/cache/version.c src/cache/version.h
