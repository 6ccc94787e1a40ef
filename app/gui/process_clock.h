// process_clock.h — time since this process started, for `--bench-startup`.
//
// The wall time counts from the kernel's record of the process start
// (/proc/self/stat, in clock ticks: 10 ms steps on Linux), so it includes
// exec, the dynamic loader and static initialisers, not only main(). The CPU
// time is the whole process's (all threads), exact to the microsecond.
#pragma once

namespace gui {

// Milliseconds of wall-clock time since the process started; < 0 if unknown.
double wall_ms_since_process_start();
// Milliseconds of CPU time the process has used so far.
double process_cpu_ms();

}  // namespace gui
