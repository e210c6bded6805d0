// hbDNN backend (Horizon RDK X5 BPU). Compiled only where the board's headers exist
// (/usr/include/dnn or HBDNN_HOME); the documented sequence:
//   hbDNNInitializeFromFiles -> hbDNNGetModelNameList -> hbDNNGetModelHandle
//   -> hbDNNGetInput/OutputCount + TensorProperties -> hbSysAllocCachedMem per tensor
//   -> write input, hbSysFlushMem(CLEAN) -> hbDNNInfer(task = nullptr, ctrl from
//   HB_DNN_INITIALIZE_INFER_CTRL_PARAM, bpuCoreId) -> hbDNNWaitTaskDone -> hbDNNReleaseTask
//   -> hbSysFlushMem(INVALIDATE) before reading -> dequantise -> hbSysFreeMem, hbDNNRelease.
// Struct layouts change between libdnn versions: only the header's macros initialise them.
// Memory follows alignedShape, not validShape (rdk_doc data_alignment.md, data_struct.md):
// inputs are handed over compact with alignedShape set to validShape, the documented way to
// let the library pad; outputs are read through their strides, skipping the padding.
#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include <dnn/hb_dnn.h>
#include <dnn/hb_dnn_status.h>  // hbDNNGetErrorDesc: hb_dnn.h does not declare it
#include <dnn/hb_sys.h>

#include "backend.h"

namespace infergate {
namespace {

void check(int32_t rc, const std::string& call) {
  if (rc != 0) throw BackendError(call + " failed (" + std::to_string(rc) + "): " + hbDNNGetErrorDesc(rc));
}

// Every member is listed (built with -Wswitch-enum against the fake): a type this code cannot
// handle is an error naming it, never a silent guess.
DType dtypeOf(int32_t raw) {
  const auto t = static_cast<hbDNNDataType>(raw);
  switch (t) {
    case HB_DNN_IMG_TYPE_NV12: case HB_DNN_IMG_TYPE_Y: case HB_DNN_TENSOR_TYPE_U8: case HB_DNN_IMG_TYPE_RGB: case HB_DNN_IMG_TYPE_BGR: return DType::U8;
    case HB_DNN_TENSOR_TYPE_S8: return DType::S8;
    case HB_DNN_TENSOR_TYPE_F32: return DType::F32;
    case HB_DNN_TENSOR_TYPE_S32: return DType::S32;
    case HB_DNN_TENSOR_TYPE_S16: return DType::S16;
    case HB_DNN_IMG_TYPE_NV12_SEPARATE: case HB_DNN_IMG_TYPE_YUV444: case HB_DNN_TENSOR_TYPE_S4: case HB_DNN_TENSOR_TYPE_U4:
    case HB_DNN_TENSOR_TYPE_F16: case HB_DNN_TENSOR_TYPE_U16: case HB_DNN_TENSOR_TYPE_U32:
    case HB_DNN_TENSOR_TYPE_F64: case HB_DNN_TENSOR_TYPE_S64: case HB_DNN_TENSOR_TYPE_U64: case HB_DNN_TENSOR_TYPE_MAX: break;
  }
  throw BackendError("hbdnn: tensor type " + std::to_string(raw) + " is not supported by infergate yet");
}

size_t shapeCount(const hbDNNTensorShape& s) {
  size_t n = 1;
  for (int i = 0; i < s.numDimensions; ++i) n *= static_cast<size_t>(s.dimensionSize[i]);
  return n;
}

// Bytes of compact (validShape) data: what the caller hands over for an input (NV12: one Y plane
// and one interleaved UV plane per image of the batch).
size_t compactBytes(const hbDNNTensorProperties& p) {
  if (p.tensorType == HB_DNN_IMG_TYPE_NV12) {
    const bool nhwc = p.tensorLayout == HB_DNN_LAYOUT_NHWC;
    const auto n = static_cast<size_t>(std::max(1, p.validShape.dimensionSize[0]));
    const auto h = static_cast<size_t>(p.validShape.dimensionSize[nhwc ? 1 : 2]);
    const auto w = static_cast<size_t>(p.validShape.dimensionSize[nhwc ? 2 : 3]);
    return n * h * w * 3 / 2;
  }
  return shapeCount(p.validShape) * dtypeSize(dtypeOf(p.tensorType));
}

TensorDesc describe(int index, const hbDNNTensorProperties& p, bool input) {
  TensorDesc d;
  d.name = (input ? "input" : "output") + std::to_string(index);
  d.dtype = dtypeOf(p.tensorType);
  for (int i = 0; i < p.validShape.numDimensions; ++i) d.dims.push_back(p.validShape.dimensionSize[i]);
  d.bytes = input ? compactBytes(p) : static_cast<size_t>(p.alignedByteSize);
  d.layout = p.tensorType == HB_DNN_IMG_TYPE_NV12 ? "NV12" : p.tensorLayout == HB_DNN_LAYOUT_NHWC ? "NHWC" : "NCHW";
  return d;
}

// Byte step of each validShape dimension in the output's memory: stride[] where the model gives
// it, else the row-major steps of alignedShape.
std::vector<size_t> byteStrides(const hbDNNTensorProperties& p) {
  const int n = p.validShape.numDimensions;
  std::vector<size_t> s(static_cast<size_t>(n));
  bool given = n > 0;
  for (int i = 0; i < n; ++i) given = given && p.stride[i] > 0;
  size_t step = dtypeSize(dtypeOf(p.tensorType));
  for (int i = n - 1; i >= 0; --i) {
    s[static_cast<size_t>(i)] = given ? static_cast<size_t>(p.stride[i]) : step;
    step *= static_cast<size_t>(i < p.alignedShape.numDimensions ? p.alignedShape.dimensionSize[i] : p.validShape.dimensionSize[i]);
  }
  return s;
}

class HbdnnSession : public Session {
 public:
  HbdnnSession(const std::string& artifact, const Options& o) {
    const char* files[] = {artifact.c_str()};
    check(hbDNNInitializeFromFiles(&packed_, files, 1), "hbDNNInitializeFromFiles(" + artifact + ")");
    try {
      char const** names = nullptr;
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
    const size_t want = inDesc_.at(index).bytes;
    if (bytes > want) throw BackendError("hbdnn: input " + std::to_string(index) + " of " + std::to_string(bytes) + " bytes exceeds its " + std::to_string(want) + " (validShape)");
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
    const int nd = p.validShape.numDimensions;
    const size_t n = shapeCount(p.validShape);
    const std::vector<size_t> strides = byteStrides(p);
    const auto* base = static_cast<const uint8_t*>(t.sysMem[0].virAddr);
    out.resize(n);
    std::vector<size_t> idx(static_cast<size_t>(nd), 0);  // the element's validShape index
    for (size_t i = 0; i < n; ++i) {
      size_t offset = 0;
      for (int d = 0; d < nd; ++d) offset += idx[static_cast<size_t>(d)] * strides[static_cast<size_t>(d)];
      if (offset + dtypeSize(outDesc_[index].dtype) > t.sysMem[0].memSize) throw BackendError("hbdnn: output " + std::to_string(index) + " strides reach past its memory");
      double x = 0;
      const void* at = base + offset;
      switch (outDesc_[index].dtype) {
        case DType::F32: { float v; std::memcpy(&v, at, 4); x = v; break; }
        case DType::S32: { int32_t v; std::memcpy(&v, at, 4); x = v; break; }
        case DType::S16: { int16_t v; std::memcpy(&v, at, 2); x = v; break; }
        case DType::S8: x = *static_cast<const int8_t*>(at); break;
        case DType::U8: x = *static_cast<const uint8_t*>(at); break;
        case DType::F16: throw BackendError("hbdnn: output type " + std::to_string(p.tensorType) + " cannot be read yet");
      }
      // Per-channel parameters follow the quantisation axis; one value means per-tensor.
      const size_t c = p.quantizeAxis >= 0 && p.quantizeAxis < nd ? idx[static_cast<size_t>(p.quantizeAxis)] : 0;
      if (p.quantiType == SCALE) {
        const size_t k = p.scale.scaleLen > 1 ? c : 0;
        const double zp = p.scale.zeroPointLen > 0 ? p.scale.zeroPointData[p.scale.zeroPointLen > 1 ? k : 0] : 0;
        x = (x - zp) * p.scale.scaleData[k];
      } else if (p.quantiType == SHIFT) {
        x = x / static_cast<double>(1u << p.shift.shiftData[p.shift.shiftLen > 1 ? c : 0]);
      }
      out[i] = static_cast<float>(x);
      for (int d = nd - 1; d >= 0; --d) {  // next index, row-major over validShape
        if (++idx[static_cast<size_t>(d)] < static_cast<size_t>(p.validShape.dimensionSize[d])) break;
        idx[static_cast<size_t>(d)] = 0;
      }
    }
  }

 private:
  void alloc(hbDNNTensor& t, int index, bool input) {
    std::memset(&t, 0, sizeof(t));
    if (input) check(hbDNNGetInputTensorProperties(&t.properties, handle_, index), "hbDNNGetInputTensorProperties");
    else check(hbDNNGetOutputTensorProperties(&t.properties, handle_, index), "hbDNNGetOutputTensorProperties");
    // We hand inputs over compact: saying so (alignedShape = validShape) makes the library pad.
    if (input) t.properties.alignedShape = t.properties.validShape;
    TensorDesc d = describe(index, t.properties, input);
    const size_t bytes = std::max(d.bytes, static_cast<size_t>(t.properties.alignedByteSize));
    check(hbSysAllocCachedMem(&t.sysMem[0], static_cast<uint32_t>(bytes)), "hbSysAllocCachedMem");
    (input ? inDesc_ : outDesc_).push_back(std::move(d));
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
