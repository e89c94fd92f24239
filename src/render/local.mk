# sources of src/render
libannotty_a_SOURCES += \
	src/render/render.h \
	src/render/image.c \
	src/render/draw.c src/render/draw.h \
	src/render/font.c src/render/font.h \
	src/render/unifont.c src/render/unifont.h \
	src/render/decode.c src/render/decode.h \
	src/render/decode_jpeg.c \
	src/render/decode_png.c \
	src/render/overlay.c \
	src/render/mask.c src/render/mask.h \
	src/render/sixel.c src/render/sixel_quant.c src/render/sixel_quant.h \
	src/render/blocks.c \
	src/render/base64.c src/render/base64.h \
	src/render/kitty.c \
	src/render/tmux.c \
	src/render/iterm2.c \
	src/render/png_write.c
