// feedThroughLut(dst: Float32Array, at: number, bytes: Uint8Array, luts: Float32Array(768), planar: boolean)
// dst[at + i] = luts[256 * channel(i) + bytes[i]], channel(i) = i / plane (planar) or i % 3.
// Only the loop: feed.ts builds the tables and decides when to call it. The same tables as the
// TypeScript loop, so the results are identical; it runs on the feeding thread, where every
// cycle is taken from inference when inference uses every core.
#include "feed.h"

#include <cstddef>
#include <cstdint>

namespace infergate {

Napi::Value FeedThroughLut(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 5 || !info[0].IsTypedArray() || !info[1].IsNumber() || !info[2].IsTypedArray() || !info[3].IsTypedArray()) {
    throw Napi::TypeError::New(env, "feedThroughLut(dst: Float32Array, at: number, bytes: Uint8Array, luts: Float32Array, planar: boolean)");
  }
  Napi::TypedArray dstArr = info[0].As<Napi::TypedArray>();
  Napi::TypedArray bytesArr = info[2].As<Napi::TypedArray>();
  Napi::TypedArray lutArr = info[3].As<Napi::TypedArray>();
  if (dstArr.TypedArrayType() != napi_float32_array || bytesArr.TypedArrayType() != napi_uint8_array || lutArr.TypedArrayType() != napi_float32_array) {
    throw Napi::TypeError::New(env, "feedThroughLut: dst and luts must be Float32Arrays, bytes a Uint8Array");
  }
  const double atNumber = info[1].As<Napi::Number>().DoubleValue();
  const size_t n = bytesArr.ElementLength();
  if (atNumber < 0 || n % 3 != 0 || lutArr.ElementLength() != 3 * 256 || static_cast<double>(dstArr.ElementLength()) < atNumber + static_cast<double>(n)) {
    throw Napi::RangeError::New(env, "feedThroughLut: dst too short for at + bytes.length, bytes.length not a multiple of 3, or luts not 3 x 256");
  }
  float* dst = info[0].As<Napi::Float32Array>().Data() + static_cast<size_t>(atNumber);
  const uint8_t* bytes = info[2].As<Napi::Uint8Array>().Data();
  const float* lut = info[3].As<Napi::Float32Array>().Data();
  if (info[4].ToBoolean().Value()) {
    const size_t plane = n / 3;
    for (size_t c = 0; c < 3; ++c) {
      const float* l = lut + 256 * c;
      const uint8_t* src = bytes + c * plane;
      float* out = dst + c * plane;
      for (size_t i = 0; i < plane; ++i) out[i] = l[src[i]];
    }
  } else {
    for (size_t i = 0; i < n; i += 3) {
      dst[i] = lut[bytes[i]];
      dst[i + 1] = lut[256 + bytes[i + 1]];
      dst[i + 2] = lut[512 + bytes[i + 2]];
    }
  }
  return env.Undefined();
}

}  // namespace infergate
