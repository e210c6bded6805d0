// TEST DOUBLE of libdnn: behaves like a small BPU for infergate's tests. Two models:
//   default: "fake_resnet18_224x224_nv12", NV12 224x224 in, [1,1000,1,1] int32 out with
//     per-channel SCALE quantisation (scale 0.5, zero point 2), or FAKE_HBDNN_QUANT=shift|none;
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
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>
#include <vector>
#include <sys/stat.h>

#include "dnn/hb_dnn.h"
#include "dnn/hb_dnn_status.h"
#include "fake_lab.h"

namespace {
std::mutex mu;
std::vector<std::string> trace;
int liveMem = 0, liveTasks = 0, liveHandles = 0;
std::string report;
const int kMaxTasks = 32;
const int kFiller = 99;  // what the padding of the aligned model's output holds
float kScale[1000];
int8_t kZero[1000];
uint8_t kShift[1000];
float kBuiltScale[1] = {2.0f};  // the built model's int8 logits: 0..255 channel means fit 0..127
int8_t kBuiltZero[1] = {0};

// The model a packed handle holds: the built one (from a fake hb_mapper artifact) or a fixed fake.
struct Model {
  std::string name;
  int32_t n = 1, h = 224, w = 224, pitch = 224;
  bool built = false, aligned = false;
};

void log(const std::string& s) {
  std::lock_guard<std::mutex> lk(mu);
  if (trace.size() < 10000) trace.push_back(s);
}
bool knob(const char* name) { const char* v = std::getenv(name); return v && *v && std::strcmp(v, "0") != 0; }
std::string env(const char* name, const char* fallback) { const char* v = std::getenv(name); return v && *v ? v : fallback; }
Model loadModel(const char* file) {
  Model m;
  const auto kv = fakelab::readArtifact(file, "FAKE-HBDNN-MODEL 1");
  if (!kv.empty()) {
    m.built = true;
    m.name = kv.count("model_name") ? kv.at("model_name") : "fake_built";
    m.n = fakelab::intOf(kv, "batch", 1);
    m.h = fakelab::intOf(kv, "height", 224);
    m.w = fakelab::intOf(kv, "width", 224);
    m.pitch = (m.w + 15) / 16 * 16;
  } else if (env("FAKE_HBDNN_MODEL", "default") == "aligned") {
    m.aligned = true;
    m.name = "fake_aligned_220x220_nv12";
    m.h = m.w = 220;
  } else {
    m.name = "fake_resnet18_224x224_nv12";
  }
  return m;
}
const Model& modelOf(const void* handle) { return *static_cast<const Model*>(handle); }

void setShape(hbDNNTensorShape& s, std::initializer_list<int32_t> dims) {
  s.numDimensions = static_cast<int32_t>(dims.size());
  int i = 0;
  for (int32_t d : dims) s.dimensionSize[i++] = d;
}
bool sameShape(const hbDNNTensorShape& a, const hbDNNTensorShape& b) {
  if (a.numDimensions != b.numDimensions) return false;
  for (int i = 0; i < a.numDimensions; ++i)
    if (a.dimensionSize[i] != b.dimensionSize[i]) return false;
  return true;
}

struct Task { hbDNNTensor* output; };

void modelInput(hbDNNTensorProperties* p, const Model& m) {
  std::memset(p, 0, sizeof(*p));
  setShape(p->validShape, {m.n, 3, m.h, m.w});
  setShape(p->alignedShape, {m.n, 3, m.h, m.pitch});  // NV12: only W is padded, to 16; stride stays 0
  p->tensorLayout = HB_DNN_LAYOUT_NCHW;
  p->tensorType = HB_DNN_IMG_TYPE_NV12;
  p->quantiType = NONE;
  p->alignedByteSize = m.n * m.h * m.pitch * 3 / 2;
}
}  // namespace


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
  for (int i = 0; i < 1000; ++i) { kScale[i] = 0.5f; kZero[i] = 2; kShift[i] = 3; }
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
  const Model& m = modelOf(handle);
  std::memset(p, 0, sizeof(*p));
  setShape(p->validShape, {m.n, 1000, 1, 1});
  p->tensorLayout = HB_DNN_LAYOUT_NCHW;
  p->quantizeAxis = 1;
  if (m.built) {  // int8, per-tensor SCALE, compact
    setShape(p->alignedShape, {m.n, 1000, 1, 1});
    const int32_t stride[4] = {1000, 1, 1, 1};
    std::memcpy(p->stride, stride, sizeof(stride));
    p->tensorType = HB_DNN_TENSOR_TYPE_S8;
    p->quantiType = SCALE;
    p->scale.scaleLen = 1;
    p->scale.scaleData = kBuiltScale;
    p->scale.zeroPointLen = 1;
    p->scale.zeroPointData = kBuiltZero;
    p->alignedByteSize = m.n * 1000;
    return HB_DNN_SUCCESS;
  }
  if (m.aligned) {
    setShape(p->alignedShape, {1, 1000, 1, 16});
    const int32_t stride[4] = {16000, 16, 16, 1};
    std::memcpy(p->stride, stride, sizeof(stride));
    p->tensorType = HB_DNN_TENSOR_TYPE_S8;
    p->quantiType = SCALE;
    p->scale.scaleLen = 1;  // per tensor
    p->scale.scaleData = kScale;
    p->scale.zeroPointLen = 1;
    p->scale.zeroPointData = kZero;
    p->alignedByteSize = 16000;
    return HB_DNN_SUCCESS;
  }
  setShape(p->alignedShape, {1, 1000, 1, 1});
  const int32_t stride[4] = {4000, 4, 4, 4};
  std::memcpy(p->stride, stride, sizeof(stride));
  const std::string q = env("FAKE_HBDNN_QUANT", "scale");
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
  p->alignedByteSize = 1000 * 4;
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
  const auto* y = static_cast<const uint8_t*>(input[0].sysMem[0].virAddr);
  hbDNNTensor* out = output[0];
  if (m.built) {
    // Per image of the batch (each h*pitch*3/2 bytes): the colour classifier, or class c scores
    // c + the first Y byte; quantised to int8 with the output's scale.
    auto* o = static_cast<int8_t*>(out->sysMem[0].virAddr);
    float logits[1000];
    for (int32_t b = 0; b < m.n; ++b) {
      const uint8_t* img = y + static_cast<size_t>(b) * static_cast<size_t>(h * pitch * 3 / 2);
      if (fakelab::colourMode()) fakelab::logits(fakelab::fromNv12(img, h, w, pitch), logits);
      else for (int c = 0; c < 1000; ++c) logits[c] = static_cast<float>((c + img[0]) % 200);
      for (int c = 0; c < 1000; ++c) {
        const float q = std::round(logits[c] / kBuiltScale[0]) + kBuiltZero[0];
        o[b * 1000 + c] = static_cast<int8_t>(q < -128 ? -128 : q > 127 ? 127 : q);
      }
    }
  } else if (m.aligned) {
    // The "network" reads the last Y pixel and the last V sample: wrong pitch, wrong answer.
    const int32_t lastY = y[(h - 1) * pitch + (w - 1)];
    const int32_t lastV = y[h * pitch + (h / 2 - 1) * pitch + (w - 1)];
    auto* o = static_cast<int8_t*>(out->sysMem[0].virAddr);
    std::memset(o, kFiller, 16000);
    for (int c = 0; c < 1000; ++c) o[c * 16] = static_cast<int8_t>((c + lastY + lastV) % 128);
  } else {
    // class c scores c + the first Y byte, in the output's format
    const bool f32 = env("FAKE_HBDNN_QUANT", "scale") == "none";
    for (int c = 0; c < 1000; ++c) {
      const int v = (c + y[0]) % 1000;
      if (f32) static_cast<float*>(out->sysMem[0].virAddr)[c] = static_cast<float>(v);
      else static_cast<int32_t*>(out->sysMem[0].virAddr)[c] = v;
    }
  }
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
