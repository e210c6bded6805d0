// TEST DOUBLE of CNRT (the MagicMind runtime's device layer): devices, queues, memory and
// notifiers, whose durations are the device time the fake runtime adds to a queue per Enqueue
// (fake_magicmind.cc). FAKE_MM_NO_DEVICE makes cnrtSetDevice and the driver version fail. Also
// the double's shared state (fake_mm_state.h) and its test hooks.
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <vector>

#include "cnrt.h"
#include "fake_mm_state.h"

namespace {
std::mutex mu;
std::vector<std::string> trace;
int counters[4] = {0, 0, 0, 0};
std::string report;
}  // namespace

namespace fakemm {
void log(const std::string& s) {
  std::lock_guard<std::mutex> lk(mu);
  if (trace.size() < 10000) trace.push_back(s);
}
void count(Counter c, int d) {
  std::lock_guard<std::mutex> lk(mu);
  counters[static_cast<int>(c)] += d;
}
bool knob(const char* n) { const char* v = std::getenv(n); return v && *v && std::strcmp(v, "0") != 0; }
}  // namespace fakemm

using fakemm::Counter;
using fakemm::count;
using fakemm::knob;
using fakemm::log;

struct FakeCnrtNotifier { FakeCnrtQueue* queue = nullptr; double stampUs = 0; };

extern "C" {
cnrtRet_t cnrtSetDevice(int d) { log("cnrtSetDevice " + std::to_string(d)); return knob("FAKE_MM_NO_DEVICE") ? cnrtErrorNoDevice : cnrtSuccess; }
cnrtRet_t cnrtQueueCreate(cnrtQueue_t* q) { log("cnrtQueueCreate"); *q = new FakeCnrtQueue; count(Counter::kLiveQueues, 1); return cnrtSuccess; }
cnrtRet_t cnrtQueueDestroy(cnrtQueue_t q) { log("cnrtQueueDestroy"); delete q; count(Counter::kLiveQueues, -1); return cnrtSuccess; }
cnrtRet_t cnrtQueueSync(cnrtQueue_t) { log("cnrtQueueSync"); return cnrtSuccess; }
cnrtRet_t cnrtMalloc(void** p, size_t n) { log("cnrtMalloc " + std::to_string(n)); *p = std::calloc(1, n); count(Counter::kLiveMlu, 1); return cnrtSuccess; }
cnrtRet_t cnrtFree(void* p) { log("cnrtFree"); std::free(p); count(Counter::kLiveMlu, -1); return cnrtSuccess; }
cnrtRet_t cnrtMemcpy(void* dst, void* src, size_t n, cnrtMemTransDir_t dir) {
  log(dir == cnrtMemcpyHostToDev ? "cnrtMemcpy H2D" : "cnrtMemcpy D2H");
  std::memcpy(dst, src, n);
  return cnrtSuccess;
}
cnrtRet_t cnrtNotifierCreate(cnrtNotifier_t* n) { log("cnrtNotifierCreate"); *n = new FakeCnrtNotifier; count(Counter::kLiveObjects, 1); return cnrtSuccess; }
cnrtRet_t cnrtNotifierDestroy(cnrtNotifier_t n) { log("cnrtNotifierDestroy"); delete n; count(Counter::kLiveObjects, -1); return cnrtSuccess; }
cnrtRet_t cnrtPlaceNotifier(cnrtNotifier_t n, cnrtQueue_t q) {
  log("cnrtPlaceNotifier");
  n->queue = q;
  n->stampUs = q->lastDeviceUs;
  return cnrtSuccess;
}
cnrtRet_t cnrtNotifierDuration(cnrtNotifier_t a, cnrtNotifier_t b, float* us) { log("cnrtNotifierDuration"); *us = static_cast<float>(b->stampUs - a->stampUs); return cnrtSuccess; }
cnrtRet_t cnrtGetLibVersion(int* a, int* b, int* c) { *a = 6; *b = 0; *c = 0; return cnrtSuccess; }
cnrtRet_t cnrtDriverGetVersion(int* a, int* b, int* c) {
  if (knob("FAKE_MM_NO_DEVICE")) return cnrtErrorNoDevice;
  *a = 5; *b = 10; *c = 0;
  return cnrtSuccess;
}
const char* cnrtGetErrorStr(cnrtRet_t r) {
  switch (r) {
    case cnrtSuccess: return "success";
    case cnrtErrorNoDevice: return "cnrtErrorNoDevice: no MLU device found";
    case cnrtErrorNoMem: return "cnrtErrorNoMem";
    case cnrtErrorArgsInvalid: break;
  }
  return "cnrtErrorArgsInvalid";
}
// Test hooks of the double (not CNRT API; declared by the addon's fake-SDK build only).
const char* infergate_fake_magicmind_report(void);
void infergate_fake_magicmind_reset(void);
const char* infergate_fake_magicmind_report(void) {
  std::lock_guard<std::mutex> lk(mu);
  report = "live_mlu=" + std::to_string(counters[0]) + " live_objects=" + std::to_string(counters[1]) + " live_queues=" + std::to_string(counters[2]) + " enqueue_allocs=" + std::to_string(counters[3]);
  for (const auto& t : trace) report += "\n" + t;
  return report.c_str();
}
void infergate_fake_magicmind_reset(void) {
  std::lock_guard<std::mutex> lk(mu);
  trace.clear();
  counters[static_cast<int>(Counter::kEnqueueAllocs)] = 0;
}
}
