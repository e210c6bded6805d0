// TEST DOUBLE of libdnn: behaves like a small BPU for infergate's tests (its models live in
// fake_hbdnn_model.cc). Two models:
//   default: "fake_resnet18_224x224_nv12", NV12 224x224 in, [1,1000,1,1] int32 out with
//     per-channel SCALE quantisation (scale 0.5, zero point 2), or FAKE_HBDNN_QUANT=shift|none,
//     or int16 (int16 out, the same SCALE);
//   FAKE_HBDNN_MODEL=aligned: "fake_aligned_220x220_nv12", where memory follows alignedShape,
//     not validShape: NV12 220x220 whose rows are 224 bytes apart (W padded to 16), and an int8
//     [1,1000,1,1] output whose every element sits in a 16-byte slot (stride 16), the rest filler.
// Like the real library it honours the input's alignedShape: the model's own (caller padded the
// rows) or validShape (the caller handed compact data and the library pads). Other knobs, read
// at every call: FAKE_HBDNN_FAIL_LOAD, FAKE_HBDNN_HANG, FAKE_HBDNN_LATENCY_US. At most 32 tasks.
// A .bin written by the fake hb_mapper (test/fake-sdk/toolchain) is a third model: NV12 at its
// batch and size (rows padded to 16 bytes in alignedShape) and an int8 [N,1000,1,1] output with
// per-tensor SCALE quantisation; with FAKE_SDK_COLOUR=1 it is the fake lab's colour classifier.
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>
#include <vector>
#include <sys/stat.h>

#include "dnn/hb_dnn.h"
#include "dnn/hb_dnn_status.h"
#include "fake_hbdnn_model.h"

namespace {
std::mutex mu;
std::vector<std::string> trace;
int liveMem = 0, liveTasks = 0, liveHandles = 0;
std::string report;
const int kMaxTasks = 32;

void log(const std::string& s) {
  std::lock_guard<std::mutex> lk(mu);
  if (trace.size() < 10000) trace.push_back(s);
}
struct Task { hbDNNTensor* output; };
}  // namespace

using namespace fakehb;

extern "C" {

char const* hbDNNGetVersion(void) { return "fake-libdnn 1.0 (infergate test double)"; }

char const* hbDNNGetErrorDesc(int32_t code) {
  switch (code) {
    case HB_DNN_INVALID_ARGUMENT: return "HB_DNN_INVALID_ARGUMENT: an argument does not match the model";
    case HB_DNN_INVALID_MODEL: return "HB_DNN_INVALID_MODEL: model file cannot be parsed";
    case HB_DNN_CAN_NOT_OPEN_FILE: return "HB_DNN_CAN_NOT_OPEN_FILE: model file cannot be opened";
    case HB_DNN_TIMEOUT: return "HB_DNN_TIMEOUT: task did not finish in time";
    case HB_DNN_TASK_NUM_EXCEED_LIMIT: return "HB_DNN_TASK_NUM_EXCEED_LIMIT: more than 32 tasks in flight";
    default: return "HB_DNN_UNKNOWN";
  }
}

int32_t hbDNNInitializeFromFiles(hbPackedDNNHandle_t* packed, char const** files, int32_t count) {
  log(std::string("hbDNNInitializeFromFiles ") + (count > 0 ? files[0] : ""));
  struct stat st;
  if (count < 1 || stat(files[0], &st) != 0) return HB_DNN_CAN_NOT_OPEN_FILE;
  if (knob("FAKE_HBDNN_FAIL_LOAD")) return HB_DNN_INVALID_MODEL;
  initQuantisation();
  Model* m = new Model(loadModel(files[0]));
  std::lock_guard<std::mutex> lk(mu);
  *packed = m;
  liveHandles++;
  return HB_DNN_SUCCESS;
}

int32_t hbDNNGetModelNameList(char const*** names, int32_t* count, hbPackedDNNHandle_t packed) {
  log("hbDNNGetModelNameList");
  static thread_local char const* list[1];
  list[0] = modelOf(packed).name.c_str();
  *names = list;
  *count = 1;
  return HB_DNN_SUCCESS;
}

int32_t hbDNNGetModelHandle(hbDNNHandle_t* handle, hbPackedDNNHandle_t packed, char const* name) {
  log(std::string("hbDNNGetModelHandle ") + name);
  if (modelOf(packed).name != name) return HB_DNN_INVALID_ARGUMENT;
  *handle = packed;
  return HB_DNN_SUCCESS;
}

int32_t hbDNNGetInputCount(int32_t* n, hbDNNHandle_t) { log("hbDNNGetInputCount"); *n = 1; return HB_DNN_SUCCESS; }
int32_t hbDNNGetOutputCount(int32_t* n, hbDNNHandle_t) { log("hbDNNGetOutputCount"); *n = 1; return HB_DNN_SUCCESS; }

int32_t hbDNNGetInputTensorProperties(hbDNNTensorProperties* p, hbDNNHandle_t handle, int32_t i) {
  log("hbDNNGetInputTensorProperties " + std::to_string(i));
  modelInput(p, modelOf(handle));
  return HB_DNN_SUCCESS;
}


int32_t hbDNNGetOutputTensorProperties(hbDNNTensorProperties* p, hbDNNHandle_t handle, int32_t i) {
  log("hbDNNGetOutputTensorProperties " + std::to_string(i));
  modelOutput(p, modelOf(handle));
  return HB_DNN_SUCCESS;
}

int32_t hbSysAllocCachedMem(hbSysMem* mem, uint32_t size) {
  log("hbSysAllocCachedMem " + std::to_string(size));
  mem->virAddr = std::calloc(1, size);
  mem->phyAddr = reinterpret_cast<uint64_t>(mem->virAddr);
  mem->memSize = size;
  std::lock_guard<std::mutex> lk(mu);
  liveMem++;
  return HB_DNN_SUCCESS;
}

int32_t hbSysFlushMem(hbSysMem*, int32_t flag) {
  if (flag == HB_SYS_MEM_CACHE_CLEAN) log("hbSysFlushMem CLEAN");
  else if (flag == HB_SYS_MEM_CACHE_INVALIDATE) log("hbSysFlushMem INVALIDATE");
  else return HB_DNN_INVALID_ARGUMENT;
  return HB_DNN_SUCCESS;
}

int32_t hbSysFreeMem(hbSysMem* mem) {
  log("hbSysFreeMem");
  std::free(mem->virAddr);
  mem->virAddr = nullptr;
  std::lock_guard<std::mutex> lk(mu);
  liveMem--;
  return HB_DNN_SUCCESS;
}

int32_t hbDNNInfer(hbDNNTaskHandle_t* task, hbDNNTensor** output, hbDNNTensor const* input, hbDNNHandle_t handle, hbDNNInferCtrlParam* ctrl) {
  const Model& m = modelOf(handle);
  const hbDNNTensorProperties& ip = input[0].properties;
  const bool compact = sameShape(ip.alignedShape, ip.validShape);
  log("hbDNNInfer core " + std::to_string(ctrl->bpuCoreId) + (*task == nullptr ? " task=null" : " task=SET") + (compact ? " input=valid" : " input=aligned"));
  // The input's memory is laid out by its alignedShape: the model's own, or validShape.
  hbDNNTensorProperties model;
  modelInput(&model, m);
  if (!compact && !sameShape(ip.alignedShape, model.alignedShape)) return HB_DNN_INVALID_ARGUMENT;
  const int32_t h = ip.validShape.dimensionSize[2], w = ip.validShape.dimensionSize[3];
  const int32_t pitch = ip.alignedShape.dimensionSize[3];
  if (!sameShape(ip.validShape, model.validShape)) return HB_DNN_INVALID_ARGUMENT;
  if (input[0].sysMem[0].memSize < static_cast<uint32_t>(m.n * h * pitch * 3 / 2)) return HB_DNN_INVALID_ARGUMENT;
  {
    std::lock_guard<std::mutex> lk(mu);
    if (liveTasks >= kMaxTasks) return HB_DNN_TASK_NUM_EXCEED_LIMIT;
    liveTasks++;
  }
  hbDNNTensor* out = output[0];
  writeScores(m, static_cast<const uint8_t*>(input[0].sysMem[0].virAddr), h, w, pitch, out->sysMem[0].virAddr);
  *task = new Task{out};
  return HB_DNN_SUCCESS;
}

int32_t hbDNNWaitTaskDone(hbDNNTaskHandle_t, int32_t timeout) {
  log("hbDNNWaitTaskDone " + std::to_string(timeout));
  if (knob("FAKE_HBDNN_HANG")) {
    std::this_thread::sleep_for(std::chrono::milliseconds(timeout > 0 ? timeout : 100));
    return HB_DNN_TIMEOUT;
  }
  const char* lat = std::getenv("FAKE_HBDNN_LATENCY_US");
  if (lat) std::this_thread::sleep_for(std::chrono::microseconds(std::atoi(lat)));
  return HB_DNN_SUCCESS;
}

int32_t hbDNNReleaseTask(hbDNNTaskHandle_t task) {
  log("hbDNNReleaseTask");
  delete static_cast<Task*>(task);
  std::lock_guard<std::mutex> lk(mu);
  liveTasks--;
  return HB_DNN_SUCCESS;
}

int32_t hbDNNRelease(hbPackedDNNHandle_t packed) {
  log("hbDNNRelease");
  delete static_cast<Model*>(packed);
  std::lock_guard<std::mutex> lk(mu);
  liveHandles--;
  return HB_DNN_SUCCESS;
}

// Test hooks of the double (not hbDNN API; declared by the addon's fake-SDK build only).
char const* infergate_fake_hbdnn_report(void);
void infergate_fake_hbdnn_reset(void);

char const* infergate_fake_hbdnn_report(void) {
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
