/* annotty: terminal review of computer-vision datasets. */
#include "cli/cli.h"

int main(int argc, char **argv)
{
	return cli_main(argc, argv);
}
