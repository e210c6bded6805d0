// hbDNN backend (Horizon RDK X5 BPU). Compiled only where the board's headers exist
// (/usr/include/dnn or HBDNN_HOME); the documented sequence:
//   hbDNNInitializeFromFiles -> hbDNNGetModelNameList -> hbDNNGetModelHandle
//   -> hbDNNGetInput/OutputCount + TensorProperties -> hbSysAllocCachedMem per tensor
//   -> write input, hbSysFlushMem(CLEAN) -> hbDNNInfer(task = nullptr, ctrl from
//   HB_DNN_INITIALIZE_INFER_CTRL_PARAM, bpuCoreId) -> hbDNNWaitTaskDone -> hbDNNReleaseTask
//   -> hbSysFlushMem(INVALIDATE) before reading -> dequantise -> hbSysFreeMem, hbDNNRelease.
// Struct layouts change between libdnn versions: only the header's macros initialise them.
#include <cstring>
#include <string>
#include <vector>

#include <dnn/hb_dnn.h>
#include <dnn/hb_sys.h>

#include "backend.h"

namespace infergate {
namespace {

void check(int32_t rc, const std::string& call) {
  if (rc != 0) throw BackendError(call + " failed (" + std::to_string(rc) + "): " + hbDNNGetErrorDesc(rc));
}

DType dtypeOf(int32_t t) {
  switch (t) {
    case HB_DNN_IMG_TYPE_NV12: case HB_DNN_IMG_TYPE_Y: case HB_DNN_TENSOR_TYPE_U8: case HB_DNN_IMG_TYPE_RGB: case HB_DNN_IMG_TYPE_BGR: return DType::U8;
    case HB_DNN_TENSOR_TYPE_S8: return DType::S8;
    case HB_DNN_TENSOR_TYPE_F32: return DType::F32;
    case HB_DNN_TENSOR_TYPE_S32: return DType::S32;
    default: throw BackendError("hbdnn: tensor type " + std::to_string(t) + " is not supported by infergate yet");
  }
}

TensorDesc describe(int index, const hbDNNTensorProperties& p, bool input) {
  TensorDesc d;
  d.name = (input ? "input" : "output") + std::to_string(index);
  d.dtype = dtypeOf(p.tensorType);
  for (int i = 0; i < p.validShape.numDimensions; ++i) d.dims.push_back(p.validShape.dimensionSize[i]);
  d.bytes = static_cast<size_t>(p.alignedByteSize);
  d.layout = p.tensorType == HB_DNN_IMG_TYPE_NV12 ? "NV12" : p.tensorLayout == HB_DNN_LAYOUT_NHWC ? "NHWC" : "NCHW";
  return d;
}

class HbdnnSession : public Session {
 public:
  HbdnnSession(const std::string& artifact, const Options& o) {
    const char* files[] = {artifact.c_str()};
    check(hbDNNInitializeFromFiles(&packed_, files, 1), "hbDNNInitializeFromFiles(" + artifact + ")");
    try {
      const char** names = nullptr;
      int32_t count = 0;
      check(hbDNNGetModelNameList(&names, &count, packed_), "hbDNNGetModelNameList");
      if (count < 1) throw BackendError("hbdnn: " + artifact + " holds no model");
      const std::string name = optionString(o, "model_name", names[0]);
      check(hbDNNGetModelHandle(&handle_, packed_, name.c_str()), "hbDNNGetModelHandle(" + name + ")");
      const std::string core = optionString(o, "bpu_core", "any");
      coreId_ = core == "0" ? HB_BPU_CORE_0 : core == "1" ? HB_BPU_CORE_1 : HB_BPU_CORE_ANY;
      timeoutMs_ = static_cast<int32_t>(optionNumber(o, "timeout_ms", 10000));
      int32_t nIn = 0, nOut = 0;
      check(hbDNNGetInputCount(&nIn, handle_), "hbDNNGetInputCount");
      check(hbDNNGetOutputCount(&nOut, handle_), "hbDNNGetOutputCount");
      in_.resize(static_cast<size_t>(nIn));
      out_.resize(static_cast<size_t>(nOut));
      for (int i = 0; i < nIn; ++i) alloc(in_[i], i, true);
      for (int i = 0; i < nOut; ++i) alloc(out_[i], i, false);
    } catch (...) {
      release();
      throw;
    }
  }

  ~HbdnnSession() override { release(); }

  const std::vector<TensorDesc>& inputs() const override { return inDesc_; }
  const std::vector<TensorDesc>& outputs() const override { return outDesc_; }

  void setInput(size_t index, const void* data, size_t bytes) override {
    hbDNNTensor& t = in_.at(index);
    if (bytes > t.sysMem[0].memSize) throw BackendError("hbdnn: input " + std::to_string(index) + " of " + std::to_string(bytes) + " bytes exceeds its " + std::to_string(t.sysMem[0].memSize));
    std::memcpy(t.sysMem[0].virAddr, data, bytes);
    check(hbSysFlushMem(&t.sysMem[0], HB_SYS_MEM_CACHE_CLEAN), "hbSysFlushMem(CLEAN)");
  }

  InferTiming infer() override {
    hbDNNTaskHandle_t task = nullptr;
    hbDNNInferCtrlParam ctrl;
    HB_DNN_INITIALIZE_INFER_CTRL_PARAM(&ctrl);
    ctrl.bpuCoreId = coreId_;
    hbDNNTensor* outputs = out_.data();
    check(hbDNNInfer(&task, &outputs, in_.data(), handle_, &ctrl), "hbDNNInfer");
    const int32_t rc = hbDNNWaitTaskDone(task, timeoutMs_);
    hbDNNReleaseTask(task);  // released whether or not it finished: no task leaks
    check(rc, "hbDNNWaitTaskDone(timeout " + std::to_string(timeoutMs_) + " ms)");
    for (auto& t : out_) check(hbSysFlushMem(&t.sysMem[0], HB_SYS_MEM_CACHE_INVALIDATE), "hbSysFlushMem(INVALIDATE)");
    return {};
  }

  void readOutput(size_t index, std::vector<float>& out) override {
    const hbDNNTensor& t = out_.at(index);
    const hbDNNTensorProperties& p = t.properties;
    size_t n = 1;
    for (int i = 0; i < p.validShape.numDimensions; ++i) n *= static_cast<size_t>(p.validShape.dimensionSize[i]);
    out.resize(n);
    // Per-channel parameters follow the quantisation axis; one value means per-tensor.
    size_t inner = 1;
    for (int i = p.quantizeAxis + 1; i < p.validShape.numDimensions; ++i) inner *= static_cast<size_t>(p.validShape.dimensionSize[i]);
    const size_t axisLen = p.quantizeAxis < p.validShape.numDimensions ? static_cast<size_t>(p.validShape.dimensionSize[p.quantizeAxis]) : 1;
    auto channel = [&](size_t i) { return (i / inner) % axisLen; };
    for (size_t i = 0; i < n; ++i) {
      double x;
      switch (p.tensorType) {
        case HB_DNN_TENSOR_TYPE_F32: x = static_cast<const float*>(t.sysMem[0].virAddr)[i]; break;
        case HB_DNN_TENSOR_TYPE_S32: x = static_cast<const int32_t*>(t.sysMem[0].virAddr)[i]; break;
        case HB_DNN_TENSOR_TYPE_S8: x = static_cast<const int8_t*>(t.sysMem[0].virAddr)[i]; break;
        case HB_DNN_TENSOR_TYPE_U8: x = static_cast<const uint8_t*>(t.sysMem[0].virAddr)[i]; break;
        default: throw BackendError("hbdnn: output type " + std::to_string(p.tensorType) + " cannot be read yet");
      }
      if (p.quantiType == SCALE) {
        const size_t c = p.scale.scaleLen > 1 ? channel(i) : 0;
        const double zp = p.scale.zeroPointLen > 0 ? p.scale.zeroPointData[p.scale.zeroPointLen > 1 ? c : 0] : 0;
        x = (x - zp) * p.scale.scaleData[c];
      } else if (p.quantiType == SHIFT) {
        const size_t c = p.shift.shiftLen > 1 ? channel(i) : 0;
        x = x / static_cast<double>(1u << p.shift.shiftData[c]);
      }
      out[i] = static_cast<float>(x);
    }
  }

 private:
  void alloc(hbDNNTensor& t, int index, bool input) {
    std::memset(&t, 0, sizeof(t));
    if (input) check(hbDNNGetInputTensorProperties(&t.properties, handle_, index), "hbDNNGetInputTensorProperties");
    else check(hbDNNGetOutputTensorProperties(&t.properties, handle_, index), "hbDNNGetOutputTensorProperties");
    check(hbSysAllocCachedMem(&t.sysMem[0], static_cast<uint32_t>(t.properties.alignedByteSize)), "hbSysAllocCachedMem");
    (input ? inDesc_ : outDesc_).push_back(describe(index, t.properties, input));
  }

  void release() {
    for (auto* v : {&in_, &out_})
      for (auto& t : *v)
        if (t.sysMem[0].virAddr) hbSysFreeMem(&t.sysMem[0]);
    in_.clear();
    out_.clear();
    if (packed_) hbDNNRelease(packed_);
    packed_ = nullptr;
  }

  hbPackedDNNHandle_t packed_ = nullptr;
  hbDNNHandle_t handle_ = nullptr;
  int32_t coreId_ = HB_BPU_CORE_ANY;
  int32_t timeoutMs_ = 10000;
  std::vector<hbDNNTensor> in_, out_;
  std::vector<TensorDesc> inDesc_, outDesc_;
};

class HbdnnBackend : public Backend {
 public:
  std::unique_ptr<Session> open(const std::string& artifact, const Options& options) override { return std::make_unique<HbdnnSession>(artifact, options); }
  std::map<std::string, std::string> versions() override { return {{"libdnn", hbDNNGetVersion()}}; }
};

}  // namespace

std::shared_ptr<Backend> makeHbdnnBackend() { return std::make_shared<HbdnnBackend>(); }

}  // namespace infergate
