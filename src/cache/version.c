/* The SQLite library version (see version.h). */
#include "cache/version.h"

#include <sqlite3.h>

const char *cache_sqlite_version(void)
{
	return sqlite3_libversion();
}
