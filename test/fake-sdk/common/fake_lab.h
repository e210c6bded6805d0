// TEST DOUBLE helpers shared by the fake SDKs (never part of a production build): what the fake
// lab (scripts/fake-lab.mjs) needs from them.
//  - Artifacts written by the fake toolchains (test/fake-sdk/toolchain): a magic first line, then
//    key=value lines saying what the built model takes (batch, size, dtype, layout, ...).
//  - The colour classifier (FAKE_SDK_COLOUR=1): the runtime decodes its input back to RGB (NV12,
//    uint8 NHWC, or float with ImageNet normalisation undone) and scores class k = 0, 1, 2 with
//    the mean of channel R, G, B over the image (0..255); every other class scores far below. On
//    images of one dominant colour the right answer is that channel: any colour-order, layout,
//    NV12 or dequantisation bug upstream shows up as lost accuracy.
#ifndef INFERGATE_FAKE_LAB_H
#define INFERGATE_FAKE_LAB_H
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <string>

namespace fakelab {

inline bool colourMode() {
  const char* v = std::getenv("FAKE_SDK_COLOUR");
  return v && *v && std::strcmp(v, "0") != 0;
}

// key=value lines after a first line equal to `magic`; empty when the file is not such an artifact.
inline std::map<std::string, std::string> readArtifact(const std::string& path, const std::string& magic) {
  std::map<std::string, std::string> kv;
  std::ifstream f(path);
  std::string line;
  if (!std::getline(f, line) || line != magic) return kv;
  kv["magic"] = magic;
  while (std::getline(f, line)) {
    const auto eq = line.find('=');
    if (eq != std::string::npos) kv[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return kv;
}

inline int intOf(const std::map<std::string, std::string>& kv, const std::string& key, int fallback) {
  const auto it = kv.find(key);
  return it == kv.end() ? fallback : std::atoi(it->second.c_str());
}

struct Means {
  double r = 0, g = 0, b = 0;
};

inline double clamp255(double v) { return v < 0 ? 0 : v > 255 ? 255 : v; }

// uint8 RGB, NHWC (or NCHW planes), one image.
inline Means fromU8(const uint8_t* p, int h, int w, bool nchw) {
  Means m;
  const size_t plane = static_cast<size_t>(h) * static_cast<size_t>(w);
  for (size_t i = 0; i < plane; ++i) {
    m.r += nchw ? p[i] : p[3 * i];
    m.g += nchw ? p[plane + i] : p[3 * i + 1];
    m.b += nchw ? p[2 * plane + i] : p[3 * i + 2];
  }
  m.r /= static_cast<double>(plane);
  m.g /= static_cast<double>(plane);
  m.b /= static_cast<double>(plane);
  return m;
}

// float32 RGB normalised as the source network expects ((x - mean) / std, ImageNet, 0..255 scale):
// the normalisation is undone before averaging.
inline Means fromNormalisedF32(const float* p, int h, int w, bool nchw) {
  const double mean[3] = {123.675, 116.28, 103.53}, stdev[3] = {58.395, 57.12, 57.375};
  double sum[3] = {0, 0, 0};
  const size_t plane = static_cast<size_t>(h) * static_cast<size_t>(w);
  for (size_t i = 0; i < plane; ++i)
    for (int c = 0; c < 3; ++c) sum[c] += clamp255(p[nchw ? c * plane + i : 3 * i + c] * stdev[c] + mean[c]);
  return Means{sum[0] / static_cast<double>(plane), sum[1] / static_cast<double>(plane), sum[2] / static_cast<double>(plane)};
}

// NV12 with rows `pitch` bytes apart (Y plane of h rows, then h/2 rows of interleaved U,V), back
// to RGB per pixel by the inverse of BT.601 limited range.
inline Means fromNv12(const uint8_t* p, int h, int w, int pitch) {
  Means m;
  const uint8_t* uv = p + static_cast<size_t>(h) * static_cast<size_t>(pitch);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      const double Y = 1.164 * (p[y * pitch + x] - 16.0);
      const double U = uv[(y / 2) * pitch + (x / 2) * 2] - 128.0, V = uv[(y / 2) * pitch + (x / 2) * 2 + 1] - 128.0;
      m.r += clamp255(Y + 1.596 * V);
      m.g += clamp255(Y - 0.813 * V - 0.391 * U);
      m.b += clamp255(Y + 2.018 * U);
    }
  const double n = static_cast<double>(h) * w;
  m.r /= n;
  m.g /= n;
  m.b /= n;
  return m;
}

const float kFarBelow = -1000.0f;

// 1000 logits: classes 0, 1, 2 score the R, G, B means; the rest far below.
inline void logits(const Means& m, float* out) {
  for (int c = 0; c < 1000; ++c) out[c] = kFarBelow;
  out[0] = static_cast<float>(m.r);
  out[1] = static_cast<float>(m.g);
  out[2] = static_cast<float>(m.b);
}

}  // namespace fakelab
#endif
