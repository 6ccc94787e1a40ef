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
// Milliseconds of CPU time the calling thread has used so far. On the window's
// thread it is start-up's critical path when a second core is free (work
// moved to another thread leaves it), which a loaded machine's wall time hides.
double thread_cpu_ms();

}  // namespace gui
