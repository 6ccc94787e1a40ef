#include "app/gui/process_clock.h"

#include <time.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

namespace gui {

namespace {
double clock_ms(clockid_t id) {
  timespec t{};
  clock_gettime(id, &t);
  return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) / 1e6;
}
}  // namespace

double wall_ms_since_process_start() {
  std::ifstream stat("/proc/self/stat");
  std::string text;
  std::getline(stat, text);
  // Field 2 (the command) may hold spaces and parentheses: count fields after the last ')'.
  const size_t close = text.rfind(')');
  if (close == std::string::npos) return -1;
  std::istringstream fields(text.substr(close + 2));
  std::string field;
  for (int i = 3; i < 22 && fields >> field; ++i) {
  }
  unsigned long long start_ticks = 0;
  if (!(fields >> start_ticks)) return -1;  // field 22: start time after boot, in clock ticks
  const double start_ms = static_cast<double>(start_ticks) * 1e3 / static_cast<double>(sysconf(_SC_CLK_TCK));
  return clock_ms(CLOCK_BOOTTIME) - start_ms;
}

double process_cpu_ms() { return clock_ms(CLOCK_PROCESS_CPUTIME_ID); }

double thread_cpu_ms() { return clock_ms(CLOCK_THREAD_CPUTIME_ID); }

}  // namespace gui
