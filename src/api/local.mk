# sources of src/api
libannotty_a_SOURCES += \
	src/api/backend.h src/api/backend.c src/api/registry.h \
	src/api/local/backend_local.c \
	src/api/local/coco.c src/api/local/coco.h \
	src/api/local/coco_internal.h \
	src/api/local/coco_ann.c \
	src/api/local/coco_find.c \
	src/api/local/coco_keys.c \
	src/api/local/coco_rle.c \
	src/api/local/coco_stream.c \
	src/api/local/coco_write.c \
	src/api/local/local_format.h \
	src/api/local/local_scan.c \
	src/api/local/local_write.c \
	src/api/local/backend_formats.c \
	src/api/local/backend_writer.c \
	src/api/local/voc.c src/api/local/voc_write.c \
	src/api/local/yolo.c src/api/local/yolo_config.c src/api/local/yolo_internal.h \
	src/api/local/yolo_write.c \
	src/api/local/labelme.c src/api/local/labelme_internal.h src/api/local/labelme_write.c \
	src/api/local/cvat.c \
	src/api/local/imgdir.c \
	src/api/version.c src/api/version.h
include src/api/picsellia/local.mk
