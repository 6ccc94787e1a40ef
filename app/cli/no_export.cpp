// no_export.cpp — an empty export registration, used by the GUI build until
// app/export/export_commands.cpp exists (CMake picks one of the two).
#include "app/cli/commands.h"

namespace cli {

void register_export_commands(CLI::App&, Action&) {}

}  // namespace cli
