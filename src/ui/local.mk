libannotty_a_SOURCES += \
	src/ui/app.c src/ui/app.h \
	src/ui/campaign.c src/ui/tasks.c src/ui/task.h \
	src/ui/actions.c src/ui/actions.h \
	src/ui/browse.c \
	src/ui/datalake.c \
	src/ui/datasets.c \
	src/ui/remote.c \
	src/ui/sources.c \
	src/ui/chrome.c \
	src/ui/config.c src/ui/config.h \
	src/ui/conflicts.c src/ui/conflicts.h \
	src/ui/conflict_words.c \
	src/ui/edit.c src/ui/edit_internal.h \
	src/ui/edit_mouse.c \
	src/ui/frame.c src/ui/frame.h \
	src/ui/help.c \
	src/ui/list.c \
	src/ui/marks.c src/ui/marks.h \
	src/ui/picker.c \
	src/ui/prompt.c \
	src/ui/screen.c src/ui/screen.h src/ui/screens.def \
	src/ui/stats.c src/ui/stats.h \
	src/ui/term.c src/ui/term.h \
	src/ui/theme.c src/ui/theme.h \
	src/ui/version.c src/ui/version.h \
	src/ui/viewer.c \
	src/ui/watch.c
