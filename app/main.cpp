// convscope — see how Conv2D shrinks a grid and Conv2DTranspose enlarges one.
// All the work is in cli/ (command line) and, for the window, in gui/.
#include "app/cli/commands.h"

int main(int argc, char** argv) { return cli::run(argc, argv); }
