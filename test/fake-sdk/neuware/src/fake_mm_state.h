// Shared by the fake CNRT (fake_cnrt.cc) and the fake MagicMind runtime (fake_magicmind.cc): the
// call trace and live-object counters the tests read through infergate_fake_magicmind_report, the
// environment knobs, and the queue the notifiers read device time from.
#pragma once
#include <string>

namespace fakemm {
enum class Counter { kLiveMlu, kLiveObjects, kLiveQueues, kEnqueueAllocs };
void log(const std::string& s);
void count(Counter c, int d);
// An environment switch: set, non-empty and not "0".
bool knob(const char* name);
}  // namespace fakemm

// What the device did on a queue so far: the fake's clock for notifiers.
struct FakeCnrtQueue { double lastDeviceUs = 0; };
