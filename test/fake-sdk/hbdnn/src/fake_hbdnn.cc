// TEST DOUBLE of libdnn: behaves like a small BPU for infergate's tests. One model
// ("fake_resnet18_224x224_nv12"): NV12 224x224 in, [1,1000,1,1] int32 out with per-channel SCALE
// quantisation (scale 0.5, zero point 2), or FAKE_HBDNN_QUANT=shift|none. Knobs read at every
// call: FAKE_HBDNN_FAIL_LOAD, FAKE_HBDNN_HANG, FAKE_HBDNN_LATENCY_US. At most 32 tasks in flight.
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>
#include <vector>
#include <sys/stat.h>

#include "dnn/hb_dnn.h"

namespace {
std::mutex mu;
std::vector<std::string> trace;
int liveMem = 0, liveTasks = 0, liveHandles = 0;
std::string report;
const int kMaxTasks = 32;
float kScale[1000];
int8_t kZero[1000];
uint8_t kShift[1000];

void log(const std::string& s) {
  std::lock_guard<std::mutex> lk(mu);
  if (trace.size() < 10000) trace.push_back(s);
}
bool knob(const char* name) { const char* v = std::getenv(name); return v && *v && std::strcmp(v, "0") != 0; }
const char* quant() { const char* v = std::getenv("FAKE_HBDNN_QUANT"); return v ? v : "scale"; }

struct Task { hbDNNTensor* output; };
}  // namespace

extern "C" {

const char* hbDNNGetVersion(void) { return "fake-libdnn 1.0 (infergate test double)"; }

const char* hbDNNGetErrorDesc(int32_t code) {
  switch (code) {
    case -6000001: return "HB_DNN_INVALID_MODEL: model file cannot be parsed";
    case -6000002: return "HB_DNN_INVALID_ARGUMENT";
    case -6000012: return "HB_DNN_TASK_NUM_EXCEED_LIMIT: more than 32 tasks in flight";
    case -6000023: return "HB_DNN_TIMEOUT: task did not finish in time";
    default: return "HB_DNN_UNKNOWN";
  }
}

int32_t hbDNNInitializeFromFiles(hbPackedDNNHandle_t* packed, const char** files, int32_t count) {
  log(std::string("hbDNNInitializeFromFiles ") + (count > 0 ? files[0] : ""));
  struct stat st;
  if (knob("FAKE_HBDNN_FAIL_LOAD") || count < 1 || stat(files[0], &st) != 0) return -6000001;
  for (int i = 0; i < 1000; ++i) { kScale[i] = 0.5f; kZero[i] = 2; kShift[i] = 3; }
  std::lock_guard<std::mutex> lk(mu);
  *packed = new int(1);
  liveHandles++;
  return 0;
}

int32_t hbDNNGetModelNameList(const char*** names, int32_t* count, hbPackedDNNHandle_t) {
  log("hbDNNGetModelNameList");
  static const char* list[] = {"fake_resnet18_224x224_nv12"};
  *names = list;
  *count = 1;
  return 0;
}

int32_t hbDNNGetModelHandle(hbDNNHandle_t* handle, hbPackedDNNHandle_t packed, const char* name) {
  log(std::string("hbDNNGetModelHandle ") + name);
  if (std::strcmp(name, "fake_resnet18_224x224_nv12") != 0) return -6000002;
  *handle = packed;
  return 0;
}

int32_t hbDNNGetInputCount(int32_t* n, hbDNNHandle_t) { log("hbDNNGetInputCount"); *n = 1; return 0; }
int32_t hbDNNGetOutputCount(int32_t* n, hbDNNHandle_t) { log("hbDNNGetOutputCount"); *n = 1; return 0; }

int32_t hbDNNGetInputTensorProperties(hbDNNTensorProperties* p, hbDNNHandle_t, int32_t i) {
  log("hbDNNGetInputTensorProperties " + std::to_string(i));
  std::memset(p, 0, sizeof(*p));
  p->validShape.numDimensions = 4;
  int dims[4] = {1, 3, 224, 224};
  for (int d = 0; d < 4; ++d) p->validShape.dimensionSize[d] = p->alignedShape.dimensionSize[d] = dims[d];
  p->alignedShape.numDimensions = 4;
  p->tensorLayout = HB_DNN_LAYOUT_NCHW;
  p->tensorType = HB_DNN_IMG_TYPE_NV12;
  p->quantiType = NONE;
  p->alignedByteSize = 224 * 224 * 3 / 2;
  return 0;
}

int32_t hbDNNGetOutputTensorProperties(hbDNNTensorProperties* p, hbDNNHandle_t, int32_t i) {
  log("hbDNNGetOutputTensorProperties " + std::to_string(i));
  std::memset(p, 0, sizeof(*p));
  p->validShape.numDimensions = p->alignedShape.numDimensions = 4;
  int dims[4] = {1, 1000, 1, 1};
  for (int d = 0; d < 4; ++d) p->validShape.dimensionSize[d] = p->alignedShape.dimensionSize[d] = dims[d];
  p->tensorLayout = HB_DNN_LAYOUT_NCHW;
  const std::string q = quant();
  if (q == "none") {
    p->tensorType = HB_DNN_TENSOR_TYPE_F32;
    p->quantiType = NONE;
  } else if (q == "shift") {
    p->tensorType = HB_DNN_TENSOR_TYPE_S32;
    p->quantiType = SHIFT;
    p->shift.shiftLen = 1000;
    p->shift.shiftData = kShift;
  } else {
    p->tensorType = HB_DNN_TENSOR_TYPE_S32;
    p->quantiType = SCALE;
    p->scale.scaleLen = 1000;
    p->scale.scaleData = kScale;
    p->scale.zeroPointLen = 1000;
    p->scale.zeroPointData = kZero;
  }
  p->quantizeAxis = 1;
  p->alignedByteSize = 1000 * 4;
  return 0;
}

int32_t hbSysAllocCachedMem(hbSysMem* mem, uint32_t size) {
  log("hbSysAllocCachedMem " + std::to_string(size));
  mem->virAddr = std::calloc(1, size);
  mem->phyAddr = reinterpret_cast<uint64_t>(mem->virAddr);
  mem->memSize = size;
  std::lock_guard<std::mutex> lk(mu);
  liveMem++;
  return 0;
}

int32_t hbSysFlushMem(hbSysMem*, int32_t flag) {
  log(flag == HB_SYS_MEM_CACHE_CLEAN ? "hbSysFlushMem CLEAN" : "hbSysFlushMem INVALIDATE");
  return 0;
}

int32_t hbSysFreeMem(hbSysMem* mem) {
  log("hbSysFreeMem");
  std::free(mem->virAddr);
  mem->virAddr = nullptr;
  std::lock_guard<std::mutex> lk(mu);
  liveMem--;
  return 0;
}

int32_t hbDNNInfer(hbDNNTaskHandle_t* task, hbDNNTensor** output, const hbDNNTensor* input, hbDNNHandle_t, hbDNNInferCtrlParam* ctrl) {
  log("hbDNNInfer core " + std::to_string(ctrl->bpuCoreId) + (*task == nullptr ? " task=null" : " task=SET"));
  {
    std::lock_guard<std::mutex> lk(mu);
    if (liveTasks >= kMaxTasks) return -6000012;
    liveTasks++;
  }
  // The "network": class c scores c + the first Y byte; output in the tensor's integer format.
  const auto* y = static_cast<const uint8_t*>(input[0].sysMem[0].virAddr);
  const std::string q = quant();
  hbDNNTensor* out = output[0];
  for (int c = 0; c < 1000; ++c) {
    const int v = (c + y[0]) % 1000;
    if (q == "none") static_cast<float*>(out->sysMem[0].virAddr)[c] = static_cast<float>(v);
    else static_cast<int32_t*>(out->sysMem[0].virAddr)[c] = v;
  }
  *task = new Task{out};
  return 0;
}

int32_t hbDNNWaitTaskDone(hbDNNTaskHandle_t, int32_t timeout) {
  log("hbDNNWaitTaskDone " + std::to_string(timeout));
  if (knob("FAKE_HBDNN_HANG")) {
    std::this_thread::sleep_for(std::chrono::milliseconds(timeout > 0 ? timeout : 100));
    return -6000023;
  }
  const char* lat = std::getenv("FAKE_HBDNN_LATENCY_US");
  if (lat) std::this_thread::sleep_for(std::chrono::microseconds(std::atoi(lat)));
  return 0;
}

int32_t hbDNNReleaseTask(hbDNNTaskHandle_t task) {
  log("hbDNNReleaseTask");
  delete static_cast<Task*>(task);
  std::lock_guard<std::mutex> lk(mu);
  liveTasks--;
  return 0;
}

int32_t hbDNNRelease(hbPackedDNNHandle_t packed) {
  log("hbDNNRelease");
  delete static_cast<int*>(packed);
  std::lock_guard<std::mutex> lk(mu);
  liveHandles--;
  return 0;
}

const char* infergate_fake_hbdnn_report(void) {
  std::lock_guard<std::mutex> lk(mu);
  report = "live_mem=" + std::to_string(liveMem) + " live_tasks=" + std::to_string(liveTasks) + " live_handles=" + std::to_string(liveHandles);
  for (const auto& t : trace) report += "\n" + t;
  return report.c_str();
}

void infergate_fake_hbdnn_reset(void) {
  std::lock_guard<std::mutex> lk(mu);
  trace.clear();
}

}  // extern "C"
