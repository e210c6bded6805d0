// The fake libdnn's models: see fake_hbdnn_model.h and the knobs listed in fake_hbdnn.cc.
#include "fake_hbdnn_model.h"

#include <cmath>
#include <cstdlib>
#include <cstring>

#include "fake_lab.h"

namespace fakehb {
namespace {
const int kFiller = 99;  // what the padding of the aligned model's output holds
float kScale[1000];
int8_t kZero[1000];
uint8_t kShift[1000];
float kBuiltScale[1] = {2.0f};  // the built model's int8 logits: 0..255 channel means fit 0..127
int8_t kBuiltZero[1] = {0};
}  // namespace

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

static void setShape(hbDNNTensorShape& s, std::initializer_list<int32_t> dims) {
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

void initQuantisation() {
  for (int i = 0; i < 1000; ++i) { kScale[i] = 0.5f; kZero[i] = 2; kShift[i] = 3; }
}

void modelInput(hbDNNTensorProperties* p, const Model& m) {
  std::memset(p, 0, sizeof(*p));
  setShape(p->validShape, {m.n, 3, m.h, m.w});
  setShape(p->alignedShape, {m.n, 3, m.h, m.pitch});  // NV12: only W is padded, to 16; stride stays 0
  p->tensorLayout = HB_DNN_LAYOUT_NCHW;
  p->tensorType = HB_DNN_IMG_TYPE_NV12;
  p->quantiType = NONE;
  p->alignedByteSize = m.n * m.h * m.pitch * 3 / 2;
}

void modelOutput(hbDNNTensorProperties* p, const Model& m) {
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
    return;
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
    return;
  }
  setShape(p->alignedShape, {1, 1000, 1, 1});
  const std::string q = env("FAKE_HBDNN_QUANT", "scale");
  const int32_t bytes = q == "int16" ? 2 : 4;
  const int32_t stride[4] = {1000 * bytes, bytes, bytes, bytes};
  std::memcpy(p->stride, stride, sizeof(stride));
  if (q == "none") {
    p->tensorType = HB_DNN_TENSOR_TYPE_F32;
    p->quantiType = NONE;
  } else if (q == "shift") {
    p->tensorType = HB_DNN_TENSOR_TYPE_S32;
    p->quantiType = SHIFT;
    p->shift.shiftLen = 1000;
    p->shift.shiftData = kShift;
  } else {
    p->tensorType = q == "int16" ? HB_DNN_TENSOR_TYPE_S16 : HB_DNN_TENSOR_TYPE_S32;
    p->quantiType = SCALE;
    p->scale.scaleLen = 1000;
    p->scale.scaleData = kScale;
    p->scale.zeroPointLen = 1000;
    p->scale.zeroPointData = kZero;
  }
  p->alignedByteSize = 1000 * bytes;
}

void writeScores(const Model& m, const uint8_t* y, int32_t h, int32_t w, int32_t pitch, void* out) {
  if (m.built) {
    // Per image of the batch (each h*pitch*3/2 bytes): the colour classifier, or class c scores
    // c + the first Y byte; quantised to int8 with the output's scale.
    auto* o = static_cast<int8_t*>(out);
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
    auto* o = static_cast<int8_t*>(out);
    std::memset(o, kFiller, 16000);
    for (int c = 0; c < 1000; ++c) o[c * 16] = static_cast<int8_t>((c + lastY + lastV) % 128);
  } else {
    // class c scores c + the first Y byte, in the output's format
    const std::string q = env("FAKE_HBDNN_QUANT", "scale");
    for (int c = 0; c < 1000; ++c) {
      const int v = (c + y[0]) % 1000;
      if (q == "none") static_cast<float*>(out)[c] = static_cast<float>(v);
      else if (q == "int16") static_cast<int16_t*>(out)[c] = static_cast<int16_t>(v);
      else static_cast<int32_t*>(out)[c] = v;
    }
  }
}

}  // namespace fakehb
