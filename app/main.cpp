// convscope — see how Conv2D shrinks a grid and Conv2DTranspose enlarges one.
// All the work is in cli/ (command line) and, for the window, in gui/ and
// for export in export/; here the program names its modules.
#include "app/cli/commands.h"

int main(int argc, char** argv) {
  return cli::run(argc, argv, {cli::register_core_commands, cli::register_window_commands, cli::register_export_commands});
}
