libannotty_a_SOURCES += \
	src/core/err.c src/core/err.h \
	src/core/doc_sink.h \
	src/core/change.c src/core/change.h \
	src/core/campaign.c src/core/campaign.h \
	src/core/buf.c src/core/buf.h \
	src/core/str.c src/core/str.h \
	src/core/num.c src/core/num.h \
	src/core/json_out.c src/core/json_out.h \
	src/core/model.c src/core/model.h \
	src/core/shape_edit.c src/core/shape_edit.h \
	src/core/palette.c src/core/palette.h \
	src/core/imgprobe.c src/core/imgprobe.h \
	src/core/rle.c src/core/rle.h \
	src/core/paths.c src/core/paths.h \
	src/core/log.c src/core/log.h \
	src/core/workq.c src/core/workq.h
